// Mercado Livre publishes no maintained Node.js client, so these tests speak plain HTTP (fetch),
// exactly as Mercado Livre's own documentation does with curl.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SandboxControlClient } from '../common/control-client.ts';
import { startWebhookReceiver } from '../common/webhook-receiver.ts';
import type { WebhookReceiver } from '../common/webhook-receiver.ts';
import { createMercadoLivreSandbox } from './mercadolivre-sandbox.ts';
import type { MercadoLivreSandbox, MercadoLivreSandboxOptions } from './mercadolivre-sandbox.ts';

describe('Mercado Livre sandbox over its public HTTP API', () => {
  let sandbox: MercadoLivreSandbox;
  let control: SandboxControlClient;
  let receiver: WebhookReceiver | undefined;
  let clock = Date.parse('2026-11-28T12:00:00Z');

  async function start(options: MercadoLivreSandboxOptions = {}) {
    sandbox = createMercadoLivreSandbox({ now: () => clock, notificationRetry: { initialDelayMs: 5, maxDelayMs: 20, timeoutMs: 5_000 }, ...options });
    control = new SandboxControlClient(await sandbox.listen());
  }

  async function api(path: string, init: RequestInit & { token?: string } = {}) {
    const response = await fetch(`${sandbox.url}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${init.token ?? sandbox.accessToken}`, 'Content-Type': 'application/json', ...(init.headers as Record<string, string>) },
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  async function itemIdOf(sku: string): Promise<string> {
    const search = await api(`/users/${sandbox.userId}/items/search?seller_sku=${encodeURIComponent(sku)}`);
    expect(search.status).toBe(200);
    expect(search.body.results).toHaveLength(1);
    return search.body.results[0];
  }

  beforeEach(async () => {
    clock = Date.parse('2026-11-28T12:00:00Z');
    await start();
  });

  afterEach(async () => {
    await sandbox.close();
    await receiver?.close();
    receiver = undefined;
  });

  it('requires a bearer token, refreshes it once per refresh token, and expires it after 6 hours', async () => {
    const anonymous = await fetch(`${sandbox.url}/users/me`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ message: 'authorization value not present', status: 401 });
    expect((await api('/users/me', { token: 'APP_USR-forged' })).body).toMatchObject({ message: 'invalid access token', status: 401 });

    const form = { grant_type: 'refresh_token', client_id: String(sandbox.application.applicationId), client_secret: sandbox.application.clientSecret, refresh_token: sandbox.refreshToken };
    const refreshed = await fetch(`${sandbox.url}/oauth/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
    const token = (await refreshed.json()) as { access_token: string; refresh_token: string; expires_in: number; user_id: number; token_type: string };
    expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 21_600, user_id: sandbox.userId });
    expect(token.refresh_token).not.toBe(sandbox.refreshToken);
    expect((await api('/users/me', { token: token.access_token })).body).toMatchObject({ id: sandbox.userId });

    const reused = await fetch(`${sandbox.url}/oauth/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant' });

    clock += 6 * 60 * 60 * 1000;
    expect((await api('/users/me', { token: token.access_token })).status).toBe(401);
  });

  it('lists an item with variations and shows SELLER_SKU only with include_attributes=all', async () => {
    const itemId = await itemIdOf('MOC-URBANA-VERDE');
    expect(itemId).toMatch(/^MLB\d{10}$/);
    const plain = await api(`/items/${itemId}`);
    expect(plain.body).toMatchObject({ id: itemId, title: 'Mochila Urbana 20L', currency_id: 'BRL', status: 'active', seller_id: sandbox.userId });
    expect(plain.body.variations).toHaveLength(3);
    expect(plain.body.variations[0].attributes).toBeUndefined();
    expect(plain.body.variations[0].attribute_combinations[0]).toMatchObject({ id: 'COLOR', value_name: 'PRETO' });
    const full = await api(`/items/${itemId}?include_attributes=all`);
    expect(full.body.variations.map((variation: any) => variation.attributes.find((attribute: any) => attribute.id === 'SELLER_SKU').value_name)).toEqual(['MOC-URBANA-PRETO', 'MOC-URBANA-VERDE', 'MOC-URBANA-AREIA']);
    expect(full.body.available_quantity).toBe(full.body.variations.reduce((sum: number, variation: any) => sum + variation.available_quantity, 0));

    const simple = await api(`/items/${await itemIdOf('CAF-GRAOS-1KG')}?attributes=id,available_quantity,attributes`);
    expect(Object.keys(simple.body).sort()).toEqual(['attributes', 'available_quantity', 'id']);
    expect(simple.body.attributes).toContainEqual({ id: 'SELLER_SKU', name: 'SKU', value_id: null, value_name: 'CAF-GRAOS-1KG' });

    const tooMany = await api(`/users/${sandbox.userId}/items/search?limit=101`);
    expect(tooMany.status).toBe(400);
  });

  it('replaces the variation list on PUT: a variation left out is deleted', async () => {
    const itemId = await itemIdOf('BON-ABA-PRETO');
    const before = (await api(`/items/${itemId}?include_attributes=all`)).body;
    const [black, white] = before.variations;

    const rejected = await api(`/items/${itemId}`, { method: 'PUT', body: JSON.stringify({ available_quantity: 5 }) });
    expect(rejected.status).toBe(400);
    expect(rejected.body).toMatchObject({ error: 'validation_error', cause: [{ code: 'item.available_quantity.invalid' }] });

    const updated = await api(`/items/${itemId}`, { method: 'PUT', body: JSON.stringify({ variations: [{ id: black.id, available_quantity: 9 }] }) });
    expect(updated.status).toBe(200);
    expect(updated.body.variations).toHaveLength(1);
    expect(updated.body.variations[0]).toMatchObject({ id: black.id, available_quantity: 9 });
    expect((await control.stock()).some((entry) => entry.sku === 'BON-ABA-BRANCO')).toBe(false);
    expect(white.id).not.toBe(black.id);

    const unknown = await api(`/items/${itemId}`, { method: 'PUT', body: JSON.stringify({ variations: [{ id: 1, available_quantity: 1 }] }) });
    expect(unknown.body.cause[0].code).toBe('item.variations.id.invalid');
  });

  it('pauses an item that reaches zero and reactivates it when restocked', async () => {
    const itemId = await itemIdOf('LIV-RECEITAS');
    const paused = await api(`/items/${itemId}`, { method: 'PUT', body: JSON.stringify({ available_quantity: 0 }) });
    expect(paused.body).toMatchObject({ status: 'paused', sub_status: ['out_of_stock'] });
    await expect(control.placeOrder([{ sku: 'LIV-RECEITAS', quantity: 1 }])).rejects.toThrow(/cannot sell/);
    const restocked = await api(`/items/${itemId}`, { method: 'PUT', body: JSON.stringify({ available_quantity: 4 }) });
    expect(restocked.body).toMatchObject({ status: 'active', sub_status: [], available_quantity: 4 });
  });

  it('answers 429 local_rate_limited once the application runs out of requests', async () => {
    await sandbox.close();
    await start({ rateLimit: { burst: 3, perHour: 3600 } });
    for (let call = 0; call < 3; call++) expect((await api('/users/me')).status).toBe(200);
    const limited = await api('/users/me');
    expect(limited).toEqual({ status: 429, body: { code: 'local_rate_limited', message: 'Local limit exceeded' } });
    clock += 1_000; // 3,600 an hour is one a second
    expect((await api('/users/me')).status).toBe(200);
    const calls = await control.calls();
    expect(calls).toMatchObject({ total: 5, rateLimited: 1 });
  });

  it('notifies orders_v2 without data, retries with a growing attempts count, and the order is readable', async () => {
    receiver = await startWebhookReceiver((sequence) => (sequence === 1 ? 500 : 200));
    sandbox.notificationCallbackUrl = receiver.url;
    const before = (await control.quantityOf('TEN-CORRIDA-41')) as number;

    const order = await control.placeOrder([{ sku: 'TEN-CORRIDA-41', quantity: 1 }]);
    const [first, second] = await receiver.waitFor(2);
    const firstBody = JSON.parse(first?.rawBody ?? '{}');
    const secondBody = JSON.parse(second?.rawBody ?? '{}');
    expect(Object.keys(firstBody).sort()).toEqual(['_id', 'application_id', 'attempts', 'received', 'resource', 'sent', 'topic', 'user_id']);
    expect(firstBody).toMatchObject({ resource: `/orders/${order.id}`, topic: 'orders_v2', user_id: sandbox.userId, application_id: sandbox.application.applicationId, attempts: 1 });
    expect(secondBody).toMatchObject({ _id: firstBody._id, attempts: 2, received: firstBody.received });

    const read = await api(firstBody.resource);
    expect(read.body).toMatchObject({ id: Number(order.id), status: 'paid', order_items: [{ item: { seller_sku: 'TEN-CORRIDA-41' }, quantity: 1, unit_price: 349.9 }] });
    expect(read.body.order_items[0].item.variation_id).toEqual(expect.any(Number));
    expect(await control.quantityOf('TEN-CORRIDA-41')).toBe(before - 1);

    await control.cancelOrder(order.id);
    const [, , cancelled] = await receiver.waitFor(3);
    expect(JSON.parse(cancelled?.rawBody ?? '{}').resource).toBe(`/orders/${order.id}`);
    expect((await api(`/orders/${order.id}`)).body.status).toBe('cancelled');
    expect(await control.quantityOf('TEN-CORRIDA-41')).toBe(before);
  });

  it("serves an order's shipment with the shopper's address only to its seller, in the JSON x-format-new asks for", async () => {
    const order = await control.placeOrder([{ sku: 'TEN-CORRIDA-41', quantity: 1 }], { shopper: 2 });
    const shippingId = (await api(`/orders/${order.id}`)).body.shipping.id;
    expect(shippingId).toEqual(expect.any(Number));

    const current = await api(`/shipments/${shippingId}`, { headers: { 'x-format-new': 'true' } });
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({ id: shippingId, order_id: Number(order.id), status: 'ready_to_ship', logistic: { mode: 'me2' } });
    // Ana lives in Belo Horizonte (MG): Mercado Livre writes the CEP as digits.
    expect(current.body.destination).toMatchObject({ type: 'buying_address', receiver_name: 'Ana Oliveira', receiver_phone: null, shipping_address: { zip_code: '30130005', state: { id: 'BR-MG' }, city: { name: 'Belo Horizonte' } } });
    expect(current.body.receiver_address).toBeUndefined();
    const older = await api(`/shipments/${shippingId}`);
    expect(older.body.receiver_address).toMatchObject({ zip_code: '30130005', state: { id: 'BR-MG' } });
    expect(older.body.destination).toBeUndefined();

    const anonymous = await fetch(`${sandbox.url}/shipments/${shippingId}`);
    expect(anonymous.status).toBe(401);
    expect((await api(`/shipments/${shippingId}`, { token: 'APP_USR-forged' })).status).toBe(401);
    expect(await api('/shipments/1')).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });

  it('lists notifications that were never answered under /missed_feeds', async () => {
    await sandbox.close();
    receiver = await startWebhookReceiver(() => 503);
    // A token that outlives the two days this test moves the clock by.
    await start({ notificationRetry: { maxAttempts: 2, initialDelayMs: 5, timeoutMs: 5_000 }, accessTokenTtlSeconds: 3 * 24 * 3600 });
    await control.subscribe('orders_v2', receiver.url);
    const order = await control.placeOrder([{ sku: 'CAF-MOIDO-500', quantity: 1 }]);
    await sandbox.webhooks.settled();
    expect(receiver.received).toHaveLength(2);
    const missed = await api(`/missed_feeds?app_id=${sandbox.application.applicationId}&topic=orders_v2`);
    expect(missed.body).toMatchObject({ total: 1, messages: [{ resource: `/orders/${order.id}`, attempts: 2, response: { status: 503 } }] });

    // The topic the callback failed to take is off until the application subscribes again.
    const application = await api(`/applications/${sandbox.application.applicationId}`);
    expect(application.body).toMatchObject({ id: sandbox.application.applicationId, notifications_callback_url: receiver.url, notifications_topics: [] });
    await control.placeOrder([{ sku: 'CAF-MOIDO-500', quantity: 1 }]);
    await sandbox.webhooks.settled();
    expect(receiver.received).toHaveLength(2);
    await control.subscribe('orders_v2', receiver.url);
    expect((await api(`/applications/${sandbox.application.applicationId}`)).body.notifications_topics).toEqual(['orders_v2']);

    // /missed_feeds keeps two days.
    clock += 2 * 24 * 3600_000 + 1000;
    expect((await api(`/missed_feeds?app_id=${sandbox.application.applicationId}&topic=orders_v2`)).body).toMatchObject({ total: 0, messages: [] });
  });

  it("searches the seller's orders: updated since the hour, by date closed, 50 a page, without cancelled ones, for the seller only", async () => {
    const search = (query: string) => api(`/orders/search?seller=${sandbox.userId}&${query}`);
    clock = Date.parse('2026-11-28T12:10:00Z');
    const earlier = await control.placeOrder([{ sku: 'CAF-MOIDO-500', quantity: 1 }]);
    clock = Date.parse('2026-11-28T13:05:00Z');
    const first = await control.placeOrder([{ sku: 'CAF-MOIDO-500', quantity: 1 }]);
    clock += 1000;
    const second = await control.placeOrder([{ sku: 'TEN-CORRIDA-41', quantity: 1 }]);
    clock += 1000;
    const cancelled = await control.placeOrder([{ sku: 'TEN-CORRIDA-41', quantity: 1 }]);
    await control.cancelOrder(cancelled.id);
    // The earlier order changes now: updated this hour, closed before the others.
    clock += 1000;
    await control.fulfilOrder(earlier.id);

    // 13:40 counts from 13:00. date_asc by default, by when each order closed.
    const ascending = await search('order.date_last_updated.from=2026-11-28T13:40:00.000-00:00');
    expect(ascending.status).toBe(200);
    expect(ascending.body.results.map((order: any) => String(order.id))).toEqual([earlier.id, first.id, second.id]);
    expect(ascending.body).toMatchObject({ paging: { total: 3, offset: 0, limit: 50 }, sort: { id: 'date_asc' }, available_sorts: [{ id: 'date_desc' }] });
    const [result] = ascending.body.results;
    expect(result).toMatchObject({ id: Number(earlier.id), status: 'paid', fulfilled: true, shipping: { id: expect.any(Number) }, seller: { id: sandbox.userId } });
    expect(Date.parse(result.date_last_updated)).toBe(Date.parse('2026-11-28T13:05:03Z'));

    const descending = await search('order.date_last_updated.from=2026-11-28T13:59:59.999-00:00&sort=date_desc&limit=2&offset=0');
    expect(descending.body.results.map((order: any) => String(order.id))).toEqual([second.id, first.id]);
    expect(descending.body.paging).toEqual({ total: 3, offset: 0, limit: 2 });
    expect((await search('order.date_last_updated.from=2026-11-28T13:40:00.000-00:00&sort=date_desc&limit=2&offset=2')).body.results.map((order: any) => String(order.id))).toEqual([earlier.id]);
    // From 14:00 nothing has changed; without a date the earlier hour is there too (cancelled orders never are).
    expect((await search('order.date_last_updated.from=2026-11-28T14:00:00.000-00:00')).body.paging.total).toBe(0);
    expect((await search('sort=date_desc')).body.paging.total).toBe(3);
    expect(sandbox.store.orders.size).toBe(4);

    expect(await search('limit=51')).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    expect(await search('sort=date_closed_desc')).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    expect(await search('order.date_last_updated.from=yesterday')).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    expect(await api('/orders/search?seller=42')).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    expect((await api('/orders/search')).status).toBe(403);
  });

  it('refuses offset paging past 1,000 results and walks the rest with search_type=scan and scroll_id', async () => {
    const pastTheLimit = await api(`/users/${sandbox.userId}/items/search?offset=990&limit=20`);
    expect(pastTheLimit.status).toBe(400);
    expect(pastTheLimit.body).toEqual({ message: expect.stringContaining('search_type=scan'), error: 'bad_request', status: 400, cause: [] });
    expect((await api(`/users/${sandbox.userId}/items/search?search_type=scan&offset=0`)).status).toBe(400);
    expect((await api(`/users/${sandbox.userId}/items/search?search_type=scan&limit=101`)).status).toBe(400);

    const all = (await api(`/users/${sandbox.userId}/items/search?limit=100`)).body.results as string[];
    const walked: string[] = [];
    let page = await api(`/users/${sandbox.userId}/items/search?search_type=scan&limit=7`);
    while (page.body.results.length > 0) {
      walked.push(...page.body.results);
      page = await api(`/users/${sandbox.userId}/items/search?search_type=scan&limit=7&scroll_id=${encodeURIComponent(page.body.scroll_id)}`);
    }
    expect(walked).toEqual(all);
  });
});
