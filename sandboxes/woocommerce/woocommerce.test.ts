import { createHmac } from 'node:crypto';
import WooCommerceRestApiModule from '@woocommerce/woocommerce-rest-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoProducts } from '../../demo/catalog.ts';
import { productFamilies } from '../common/catalog.ts';
import { SandboxControlClient } from '../common/control-client.ts';
import { startWebhookReceiver } from '../common/webhook-receiver.ts';
import type { WebhookReceiver } from '../common/webhook-receiver.ts';
import { createWooCommerceSandbox } from './woocommerce-sandbox.ts';
import type { WooCommerceSandbox, WooCommerceSandboxOptions } from './woocommerce-sandbox.ts';

// The package is CommonJS with `exports.default`: depending on the loader the default import is the class or the module.
const WooCommerceRestApi = ((WooCommerceRestApiModule as unknown as { default?: unknown }).default ?? WooCommerceRestApiModule) as typeof WooCommerceRestApiModule.default;

/** WooCommerce's own client, pointed at the sandbox: over plain HTTP it signs every call with OAuth 1.0a. */
function wooClient(sandbox: WooCommerceSandbox, consumerSecret = 'cs_sandbox') {
  return new WooCommerceRestApi({ url: sandbox.url, consumerKey: 'ck_sandbox', consumerSecret, version: 'wc/v3' });
}

async function failure(promise: Promise<unknown>): Promise<{ status: number; data: any }> {
  try {
    await promise;
  } catch (error) {
    const response = (error as { response?: { status: number; data: unknown } }).response;
    if (response) return response;
    throw error;
  }
  throw new Error('Expected the WooCommerce call to fail');
}

const basic = `Basic ${Buffer.from('ck_sandbox:cs_sandbox').toString('base64')}`;

describe('WooCommerce sandbox through @woocommerce/woocommerce-rest-api', () => {
  let sandbox: WooCommerceSandbox;
  let control: SandboxControlClient;
  let receiver: WebhookReceiver | undefined;

  async function start(options: WooCommerceSandboxOptions = {}) {
    sandbox = createWooCommerceSandbox(options);
    control = new SandboxControlClient(await sandbox.listen());
  }

  beforeEach(async () => {
    await start();
  });

  afterEach(async () => {
    await sandbox.close();
    await receiver?.close();
    receiver = undefined;
  });

  it('pages products with per_page, X-WP-Total, X-WP-TotalPages and Link, signed with OAuth 1.0a', async () => {
    const client = wooClient(sandbox);
    const families = productFamilies(demoProducts);
    const first = await client.get('products', { per_page: 20, orderby: 'id', order: 'asc' });
    expect(first.headers['x-wp-total']).toBe(String(families.length));
    expect(first.headers['x-wp-totalpages']).toBe(String(Math.ceil(families.length / 20)));
    expect(first.headers['link']).toMatch(/page=2>; rel="next"/);
    const second = await client.get('products', { per_page: 20, orderby: 'id', order: 'asc', page: 2 });
    expect(second.headers['link']).toMatch(/rel="prev"/);
    const names = [...first.data, ...second.data].map((product: { name: string }) => product.name);
    expect(names).toEqual(families.map((family) => family.title));
    const variable = first.data.find((product: { sku: string }) => product.sku === 'CAM-BASICA');
    expect(variable).toMatchObject({ type: 'variable', manage_stock: false, stock_quantity: null });
    expect(variable.variations).toHaveLength(4);

    const invalid = await failure(client.get('products', { per_page: 101 }));
    expect(invalid.status).toBe(400);
    expect(invalid.data).toMatchObject({ code: 'rest_invalid_param', data: { status: 400, params: { per_page: expect.stringMatching(/between 1/) } } });
  });

  it('checks the OAuth signature, the nonce, and the consumer key and secret', async () => {
    const badSignature = await failure(wooClient(sandbox, 'cs_wrong').get('products'));
    expect(badSignature).toMatchObject({ status: 401, data: { code: 'woocommerce_rest_authentication_error', message: 'Invalid signature - provided signature does not match.' } });

    // A captured signed URL cannot be replayed: WooCommerce remembers the nonce.
    const signed = await wooClient(sandbox).get('products', { per_page: 1 });
    const replayUrl = new URL(String(signed.config.url));
    for (const [name, value] of Object.entries(signed.config.params as Record<string, unknown>)) replayUrl.searchParams.set(name, String(value));
    const replayed = await fetch(replayUrl);
    expect(replayed.status).toBe(401);
    expect(await replayed.json()).toMatchObject({ message: 'Invalid nonce - nonce has already been used.' });

    const anonymous = await fetch(`${sandbox.url}/wp-json/wc/v3/products`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } });

    const viaBasic = await fetch(`${sandbox.url}/wp-json/wc/v3/products?per_page=1`, { headers: { Authorization: basic } });
    expect(viaBasic.status).toBe(200);
    const viaQuery = await fetch(`${sandbox.url}/wp-json/wc/v3/orders?consumer_key=ck_sandbox&consumer_secret=cs_wrong`);
    expect(await viaQuery.json()).toMatchObject({ code: 'woocommerce_rest_authentication_error', message: 'Consumer secret is invalid.' });

    const noRoute = await fetch(`${sandbox.url}/wp-json/wc/v3/nowhere`, { headers: { Authorization: basic } });
    expect(await noRoute.json()).toMatchObject({ code: 'rest_no_route', data: { status: 404 } });
  });

  it('finds variations by SKU on /products, as WooCommerce searches products and variations for a SKU filter', async () => {
    const client = wooClient(sandbox);
    const { data } = await client.get('products', { sku: 'CAM-BASICA-M,CAF-MOIDO-500', per_page: 100 });
    const bySku = new Map((data as Array<{ sku: string }>).map((product) => [product.sku, product]));
    expect(bySku.size).toBe(2);
    const [parent] = (await client.get('products', { sku: 'CAM-BASICA' })).data;
    expect(bySku.get('CAM-BASICA-M')).toMatchObject({ type: 'variation', parent_id: parent.id, manage_stock: true, categories: [] });
    expect(bySku.get('CAF-MOIDO-500')).toMatchObject({ type: 'simple', parent_id: 0 });
    // Without a SKU filter the collection lists parents only.
    const all = (await client.get('products', { per_page: 100 })).data as Array<{ type: string }>;
    expect(all.some((product) => product.type === 'variation')).toBe(false);
  });

  it('updates a variation stock and derives stock_status, and batch-updates products', async () => {
    const client = wooClient(sandbox);
    const [parent] = (await client.get('products', { sku: 'TEN-CORRIDA' })).data;
    const variations = (await client.get(`products/${parent.id}/variations`, { per_page: 100 })).data;
    const size40 = variations.find((variation: { sku: string }) => variation.sku === 'TEN-CORRIDA-40');
    const updated = await client.put(`products/${parent.id}/variations/${size40.id}`, { stock_quantity: 0 });
    expect(updated.data).toMatchObject({ sku: 'TEN-CORRIDA-40', stock_quantity: 0, stock_status: 'outofstock', manage_stock: true });
    expect(await control.quantityOf('TEN-CORRIDA-40')).toBe(0);

    const wrongType = await failure(client.put(`products/${parent.id}/variations/${size40.id}`, { stock_quantity: 'many' }));
    expect(wrongType.data).toMatchObject({ code: 'rest_invalid_param', data: { params: { stock_quantity: 'stock_quantity is not of type integer.' } } });

    const simple = (await client.get('products', { sku: 'CAF-MOIDO-500,XIC-PORCELANA' })).data as Array<{ id: number; sku: string }>;
    const batch = await client.post('products/batch', { update: [...simple.map((product) => ({ id: product.id, stock_quantity: 11 })), { id: 999_999, stock_quantity: 1 }] });
    expect(batch.data.update.slice(0, 2).map((product: { stock_quantity: number }) => product.stock_quantity)).toEqual([11, 11]);
    expect(batch.data.update[2]).toEqual({ id: 999_999, error: { code: 'woocommerce_rest_product_invalid_id', message: 'Invalid ID.', data: { status: 404 } } });
    expect(await control.quantityOf('XIC-PORCELANA')).toBe(11);
  });

  it('delivers a signed order.created webhook, reduces stock, and restores it when the order is cancelled', async () => {
    receiver = await startWebhookReceiver();
    const client = wooClient(sandbox);
    const secret = 'whsec-ponte';
    const created = await client.post('webhooks', { name: 'Ponte orders', topic: 'order.created', delivery_url: receiver.url, secret });
    expect(created.status).toBe(201);
    await client.post('webhooks', { topic: 'order.updated', delivery_url: receiver.url, secret });

    const before = (await control.quantityOf('CHA-ERVA-MATE')) as number;
    const order = await control.placeOrder([{ sku: 'CHA-ERVA-MATE', quantity: 2 }]);
    const [delivery] = await receiver.waitFor(1);
    expect(delivery?.headers).toMatchObject({ 'x-wc-webhook-topic': 'order.created', 'x-wc-webhook-resource': 'order', 'x-wc-webhook-event': 'created', 'x-wc-webhook-id': String(created.data.id) });
    expect(delivery?.headers['x-wc-webhook-source']).toBe(`${sandbox.url}/`);
    expect(delivery?.headers['x-wc-webhook-signature']).toBe(createHmac('sha256', secret).update(delivery?.rawBody ?? '').digest('base64'));
    expect(JSON.parse(delivery?.rawBody ?? '{}')).toMatchObject({ id: Number(order.id), status: 'processing', line_items: [{ sku: 'CHA-ERVA-MATE', quantity: 2 }] });
    const [product] = (await client.get('products', { sku: 'CHA-ERVA-MATE' })).data;
    expect(product.stock_quantity).toBe(before - 2);

    const cancelled = await client.put(`orders/${order.id}`, { status: 'cancelled' });
    expect(cancelled.data.status).toBe('cancelled');
    const [, update] = await receiver.waitFor(2);
    expect(update?.headers['x-wc-webhook-topic']).toBe('order.updated');
    expect(await control.quantityOf('CHA-ERVA-MATE')).toBe(before);

    const listed = await client.get('orders', { status: 'cancelled' });
    expect(listed.headers['x-wp-total']).toBe('1');
  });

  // WC_Webhook::failed_delivery() checks `failure_count > 5` before counting (plugins/woocommerce/includes/class-wc-webhook.php):
  // six failures leave the webhook active with a count of 6, the seventh disables it; a success resets the count.
  it('delivers once by default and disables a webhook on the 7th consecutive failure, not before', async () => {
    let answer = 500;
    receiver = await startWebhookReceiver(() => answer);
    const client = wooClient(sandbox);
    const { data: webhook } = await client.post('webhooks', { topic: 'order.created', delivery_url: receiver.url });
    const order = async () => {
      await control.placeOrder([{ sku: 'CAB-USBC', quantity: 1 }]);
      await sandbox.webhooks.settled();
    };
    for (let failure = 1; failure <= 5; failure++) await order();
    answer = 200;
    await order();
    expect(sandbox.store.webhooks.get(webhook.id)?.failureCount).toBe(0);
    answer = 500;
    for (let failure = 1; failure <= 6; failure++) await order();
    expect(receiver.received).toHaveLength(12);
    expect((await client.get(`webhooks/${webhook.id}`)).data.status).toBe('active');
    expect(sandbox.store.webhooks.get(webhook.id)?.failureCount).toBe(6);
    await order();
    expect(receiver.received).toHaveLength(13);
    expect((await client.get(`webhooks/${webhook.id}`)).data.status).toBe('disabled');
    await order();
    expect(receiver.received).toHaveLength(13);
  });

  // wc_maybe_increase_stock_levels is hooked to the cancelled and pending statuses only
  // (plugins/woocommerce/includes/wc-stock-functions.php), once per order (its stock-reduced flag).
  it('puts stock back on cancelled and pending only, once, and takes it again when the order is paid again', async () => {
    const client = wooClient(sandbox);
    const sku = 'CHA-ERVA-MATE';
    const before = (await control.quantityOf(sku)) as number;
    const order = await control.placeOrder([{ sku, quantity: 3 }]);
    expect(await control.quantityOf(sku)).toBe(before - 3);
    for (const status of ['refunded', 'failed', 'on-hold']) {
      await client.put(`orders/${order.id}`, { status });
      expect(await control.quantityOf(sku)).toBe(before - 3);
    }
    await client.put(`orders/${order.id}`, { status: 'pending' });
    expect(await control.quantityOf(sku)).toBe(before);
    await client.put(`orders/${order.id}`, { status: 'cancelled' });
    expect(await control.quantityOf(sku)).toBe(before);
    await client.put(`orders/${order.id}`, { status: 'processing' });
    expect(await control.quantityOf(sku)).toBe(before - 3);
    await client.put(`orders/${order.id}`, { status: 'cancelled' });
    expect(await control.quantityOf(sku)).toBe(before);
  });

  it('can be told to strip the Authorization header, as some hosts do: the key then only works in the query string', async () => {
    const products = (init?: RequestInit, query = '') => fetch(`${sandbox.url}/wp-json/wc/v3/products?sku=CAB-USBC${query}`, init);
    expect((await products({ headers: { Authorization: basic } })).status).toBe(200);
    const set = await fetch(`${sandbox.url}/_sandbox/host`, { method: 'PUT', body: JSON.stringify({ stripAuthorizationHeader: true }) });
    expect(await set.json()).toEqual({ stripAuthorizationHeader: true });
    const stripped = await products({ headers: { Authorization: basic } });
    expect(stripped.status).toBe(401);
    expect(await stripped.json()).toEqual({ code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } });
    expect((await products(undefined, '&consumer_key=ck_sandbox&consumer_secret=cs_sandbox')).status).toBe(200);
    // The official client signs OAuth 1.0a in the query string over plain HTTP: unaffected.
    expect((await wooClient(sandbox).get('products', { sku: 'CAB-USBC' })).status).toBe(200);
    const refused = await fetch(`${sandbox.url}/_sandbox/host`, { method: 'PUT', body: JSON.stringify({ stripAuthorizationHeader: 'yes' }) });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
  });

  it('retries with a new delivery id when retries are configured, and duplicates on request', async () => {
    await sandbox.close();
    await start({ webhookRetry: { maxAttempts: 3, initialDelayMs: 5 } });
    receiver = await startWebhookReceiver((sequence) => (sequence === 1 ? 503 : 200));
    await control.subscribe('order.created', receiver.url);
    await control.placeOrder([{ sku: 'SAB-NATURAL', quantity: 1 }]);
    const [failed, retried] = await receiver.waitFor(2);
    expect(retried?.rawBody).toBe(failed?.rawBody);
    expect(retried?.headers['x-wc-webhook-signature']).toBe(failed?.headers['x-wc-webhook-signature']);
    expect(retried?.headers['x-wc-webhook-delivery-id']).not.toBe(failed?.headers['x-wc-webhook-delivery-id']);

    await control.setDeliveryMode({ duplicate: true });
    await control.placeOrder([{ sku: 'SAB-NATURAL', quantity: 1 }]);
    const [, , original, duplicate] = await receiver.waitFor(4);
    expect(duplicate?.rawBody).toBe(original?.rawBody);
  });

  it('drops the connection during an injected timeout and logs it', async () => {
    await control.injectFault({ mode: 'timeout', delayMs: 20, calls: 1 });
    const client = wooClient(sandbox);
    await expect(client.get('products')).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await client.get('products')).status).toBe(200);
    const calls = await control.calls();
    expect(calls.calls.map((call) => call.fault)).toEqual(['timeout', null]);
    expect(calls.calls[0]?.status).toBeNull();
  });

  it('answers 5xx with an HTML error page for an injected failure, as a broken WordPress does', async () => {
    await control.injectFault({ mode: 'error', status: 502, calls: 2, pathPrefix: '/wp-json/wc/v3/orders' });
    const client = wooClient(sandbox);
    expect((await failure(client.get('orders'))).status).toBe(502);
    expect((await client.get('products')).status).toBe(200);
    expect((await failure(client.get('orders'))).status).toBe(502);
    expect((await client.get('orders')).status).toBe(200);
    expect((await control.calls()).failed).toBe(2);
  });
});
