// The @sp-api-sdk clients (OrdersApiClient, ListingsItemsApiClient) take no base URL: their
// endpoint comes from a fixed region table. Their generated API classes (OrdersApi of
// @sp-api-sdk/orders-api-2026-01-01,
// ListingsItemsApi) do take one, so the tests build those with the SDK's own axios instance
// (auth header, error wrapping) from @sp-api-sdk/common and change only the base URL.
import type { SellingPartnerApiAuth } from '@sp-api-sdk/auth';
import { createAxiosInstance } from '@sp-api-sdk/common';
import { clientRateLimits as listingsRateLimits, ListingsItemsApi } from '@sp-api-sdk/listings-items-api-2021-08-01';
import { clientRateLimits as ordersRateLimits, OrdersApi } from '@sp-api-sdk/orders-api-2026-01-01';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SandboxControlClient } from '../common/control-client.ts';
import { createAmazonSandbox } from './amazon-sandbox.ts';
import type { AmazonSandbox, AmazonSandboxOptions } from './amazon-sandbox.ts';

async function failure(promise: Promise<unknown>): Promise<{ status: number; data: any; headers: Record<string, string> }> {
  try {
    await promise;
  } catch (error) {
    const response = (error as { response?: { status: number; data: unknown; headers: Record<string, string> } }).response;
    if (response) return response;
    throw error;
  }
  throw new Error('Expected the SP-API call to fail');
}

describe('Amazon SP-API sandbox through the @sp-api-sdk API classes', () => {
  let sandbox: AmazonSandbox;
  let control: SandboxControlClient;
  let clock = Date.parse('2026-11-28T12:00:00Z');

  async function start(options: AmazonSandboxOptions = {}) {
    sandbox = createAmazonSandbox({ now: () => clock, ...options });
    control = new SandboxControlClient(await sandbox.listen());
  }

  /** Exchanges the LWA refresh token at the sandbox's stand-in for api.amazon.com/auth/o2/token. */
  async function lwaAccessToken(refreshToken = sandbox.lwa.refreshToken): Promise<{ status: number; body: any }> {
    const response = await fetch(`${sandbox.url}/auth/o2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: sandbox.lwa.clientId, client_secret: sandbox.lwa.clientSecret }),
    });
    return { status: response.status, body: await response.json() };
  }

  function clients(accessToken: string) {
    const auth = { getAccessToken: async () => accessToken } as unknown as SellingPartnerApiAuth;
    const orders = createAxiosInstance({ auth, region: 'na' }, ordersRateLimits);
    const listings = createAxiosInstance({ auth, region: 'na' }, listingsRateLimits);
    return { orders: new OrdersApi(undefined, sandbox.url, orders.axios), listings: new ListingsItemsApi(undefined, sandbox.url, listings.axios) };
  }

  beforeEach(async () => {
    clock = Date.parse('2026-11-28T12:00:00Z');
    await start();
  });

  afterEach(async () => {
    await sandbox.close();
  });

  it('issues access tokens through the LWA stand-in and refuses calls without a valid one', async () => {
    const exchanged = await lwaAccessToken();
    expect(exchanged.body).toMatchObject({ token_type: 'bearer', expires_in: 3600, access_token: expect.stringMatching(/^Atza\|/) });
    expect((await lwaAccessToken('Atzr|stolen')).body).toMatchObject({ error: 'invalid_grant' });

    const { listings } = clients(exchanged.body.access_token);
    const item = await listings.getListingsItem({ sellerId: sandbox.sellerId, sku: 'CAB-USBC', marketplaceIds: [sandbox.marketplaceId] });
    expect(item.data.summaries?.[0]).toMatchObject({ marketplaceId: sandbox.marketplaceId, itemName: 'Cabo USB-C 1m', status: ['BUYABLE', 'DISCOVERABLE'] });
    expect(item.headers['x-amzn-ratelimit-limit']).toBe('5');

    const forged = await failure(clients('Atza|forged').listings.getListingsItem({ sellerId: sandbox.sellerId, sku: 'CAB-USBC', marketplaceIds: [sandbox.marketplaceId] }));
    expect(forged.status).toBe(403);
    expect(forged.data.errors[0]).toMatchObject({ code: 'Unauthorized', message: 'Access to requested resource is denied.' });

    clock += 3600 * 1000;
    const expired = await failure(listings.getListingsItem({ sellerId: sandbox.sellerId, sku: 'CAB-USBC', marketplaceIds: [sandbox.marketplaceId] }));
    expect(expired.data.errors[0].details).toMatch(/expired/);
  });

  it('finds up to 20 listings by SKU in one searchListingsItems call, paged by pageSize', async () => {
    const { listings } = clients(sandbox.accessToken);
    const skus = (await control.stock()).map((entry) => entry.sku).slice(0, 20);
    const found = await listings.searchListingsItems({
      sellerId: sandbox.sellerId,
      marketplaceIds: [sandbox.marketplaceId],
      identifiers: skus,
      identifiersType: 'SKU',
      includedData: ['summaries', 'offers', 'fulfillmentAvailability'],
      pageSize: 20,
    });
    expect(found.headers['x-amzn-ratelimit-limit']).toBe('5');
    expect(found.data.numberOfResults).toBe(20);
    expect(found.data.pagination).toBeUndefined();
    expect(found.data.items.map((item) => item.sku).sort()).toEqual([...skus].sort());
    expect(found.data.items[0]).toMatchObject({ summaries: [expect.objectContaining({ marketplaceId: sandbox.marketplaceId })], offers: [expect.objectContaining({ offerType: 'B2C' })] });

    // pageSize defaults to 10, as on Amazon: the rest comes with the nextToken.
    const firstPage = await listings.searchListingsItems({ sellerId: sandbox.sellerId, marketplaceIds: [sandbox.marketplaceId], identifiers: skus, identifiersType: 'SKU', sortBy: 'sku', sortOrder: 'ASC' });
    expect(firstPage.data.items).toHaveLength(10);
    const secondPage = await listings.searchListingsItems({ sellerId: sandbox.sellerId, marketplaceIds: [sandbox.marketplaceId], identifiers: skus, identifiersType: 'SKU', sortBy: 'sku', sortOrder: 'ASC', pageToken: firstPage.data.pagination?.nextToken as string });
    expect([...firstPage.data.items, ...secondPage.data.items].map((item) => item.sku)).toEqual([...skus].sort());

    const tooMany = await failure(listings.searchListingsItems({ sellerId: sandbox.sellerId, marketplaceIds: [sandbox.marketplaceId], identifiers: [...skus, 'ONE-MORE'], identifiersType: 'SKU' }));
    expect(tooMany.status).toBe(400);
    expect(tooMany.data.errors[0].code).toBe('InvalidInput');
    expect((await control.calls()).calls.map((call) => call.operation)).toEqual(['searchListingsItems', 'searchListingsItems', 'searchListingsItems', 'searchListingsItems']);
  });

  it('patches fulfillment_availability and rejects an invalid quantity without applying it', async () => {
    const { listings } = clients(sandbox.accessToken);
    const request = { sellerId: sandbox.sellerId, sku: 'CAM-LINHO-G', marketplaceIds: [sandbox.marketplaceId] };
    const before = await listings.getListingsItem({ ...request, includedData: ['fulfillmentAvailability'] });
    expect(before.data.fulfillmentAvailability).toEqual([{ fulfillmentChannelCode: 'DEFAULT', quantity: await control.quantityOf('CAM-LINHO-G') }]);

    const accepted = await listings.patchListingsItem({
      ...request,
      body: { productType: 'SHIRT', patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 17 }] }] },
    });
    expect(accepted.data).toMatchObject({ sku: 'CAM-LINHO-G', status: 'ACCEPTED', issues: [] });
    const after = await listings.getListingsItem({ ...request, includedData: ['attributes'] });
    expect(after.data.attributes?.['fulfillment_availability']).toEqual([{ fulfillment_channel_code: 'DEFAULT', quantity: 17 }]);

    const invalid = await listings.patchListingsItem({
      ...request,
      body: { productType: 'SHIRT', patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: -3 }] }] },
    });
    expect(invalid.data.status).toBe('INVALID');
    expect(invalid.data.issues?.[0]).toMatchObject({ severity: 'ERROR', attributeNames: ['fulfillment_availability'] });
    expect(await control.quantityOf('CAM-LINHO-G')).toBe(17);

    const missing = await failure(listings.getListingsItem({ ...request, sku: 'NOPE' }));
    expect(missing.status).toBe(404);
  });

  it('limits each operation with its own token bucket and answers 429 QuotaExceeded', async () => {
    await sandbox.close();
    await start({ rateLimits: { patchListingsItem: { rate: 0.5, burst: 2 } } });
    const { listings } = clients(sandbox.accessToken);
    const patch = (quantity: number) =>
      listings.patchListingsItem({
        sellerId: sandbox.sellerId,
        sku: 'CAB-USBC',
        marketplaceIds: [sandbox.marketplaceId],
        body: { productType: 'CONSUMER_ELECTRONICS', patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity }] }] },
      });
    await patch(1);
    await patch(2);
    const limited = await failure(patch(3));
    expect(limited.status).toBe(429);
    expect(limited.headers['x-amzn-ratelimit-limit']).toBe('0.5');
    expect(limited.data).toEqual({ errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.', details: '' }] });
    // Another operation has its own bucket.
    expect((await listings.getListingsItem({ sellerId: sandbox.sellerId, sku: 'CAB-USBC', marketplaceIds: [sandbox.marketplaceId] })).status).toBe(200);
    clock += 2_000; // 0.5 requests a second: one more token
    await patch(4);
    expect(await control.quantityOf('CAB-USBC')).toBe(4);
    const calls = await control.calls();
    expect(calls).toMatchObject({ total: 5, rateLimited: 1 });
    expect(calls.calls.find((call) => call.rateLimited)).toMatchObject({ operation: 'patchListingsItem', status: 429 });
  });

  it('pages searchOrders (v2026-01-01) with paginationToken and finds changed orders by lastUpdatedAfter', async () => {
    const { orders } = clients(sandbox.accessToken);
    const placed = [];
    for (const sku of ['GAR-TERMICA-INOX', 'OCU-SOL', 'CIN-COURO']) {
      placed.push(await control.placeOrder([{ sku, quantity: 1 }]));
      clock += 60_000;
    }
    const createdAfter = new Date(Date.parse('2026-11-28T11:00:00Z')).toISOString();
    const first = await orders.searchOrders({ marketplaceIds: [sandbox.marketplaceId], createdAfter, maxResultsPerPage: 2, includedData: ['FULFILLMENT'] });
    expect(first.data.orders.map((order) => order.orderId)).toEqual(placed.slice(0, 2).map((order) => order.id));
    expect(first.data.pagination?.nextToken).toBeTruthy();
    expect(first.headers['x-amzn-ratelimit-limit']).toBe('0.0056');
    // The next page repeats the filters, as the model requires; includedData may change.
    const second = await orders.searchOrders({ marketplaceIds: [sandbox.marketplaceId], createdAfter, paginationToken: first.data.pagination?.nextToken as string, includedData: ['FULFILLMENT'] });
    expect(second.data.orders.map((order) => order.orderId)).toEqual([placed[2]?.id]);
    expect(second.data.pagination).toBeUndefined();
    expect(second.data.orders[0]).toMatchObject({
      salesChannel: { channelName: 'AMAZON', marketplaceId: sandbox.marketplaceId },
      fulfillment: { fulfillmentStatus: 'UNSHIPPED', fulfilledBy: 'MERCHANT' },
      orderItems: [{ quantityOrdered: 1, product: { sellerSku: 'CIN-COURO' }, fulfillment: { quantityFulfilled: 0 } }],
    });
    // A token with other filters is refused.
    const changedFilters = await failure(orders.searchOrders({ marketplaceIds: [sandbox.marketplaceId], createdAfter: '2026-11-28T11:30:00Z', paginationToken: first.data.pagination?.nextToken as string }));
    expect(changedFilters.status).toBe(400);
    // Without includedData=FULFILLMENT there is no status to read.
    const bare = await orders.getOrder({ orderId: placed[1]?.id as string });
    expect(bare.data.order).not.toHaveProperty('fulfillment');
    expect(bare.data.order.orderItems).toEqual([expect.objectContaining({ quantityOrdered: 1, product: expect.objectContaining({ sellerSku: 'OCU-SOL' }) })]);
    expect(bare.headers['x-amzn-ratelimit-limit']).toBe('0.5');

    const pollFrom = new Date(clock).toISOString();
    clock += 60_000;
    await control.cancelOrder(placed[0]?.id as string);
    await control.fulfilOrder(placed[2]?.id as string);
    const changed = await orders.searchOrders({ marketplaceIds: [sandbox.marketplaceId], lastUpdatedAfter: pollFrom, includedData: ['FULFILLMENT'] });
    expect(changed.data.orders.map((order) => [order.orderId, order.fulfillment?.fulfillmentStatus])).toEqual([
      [placed[0]?.id, 'CANCELLED'],
      [placed[2]?.id, 'SHIPPED'],
    ]);
    expect(changed.data.lastUpdatedBefore).toBe(new Date(clock - 120_000).toISOString().replace('.000Z', 'Z'));

    for (const refused of [
      orders.searchOrders({ marketplaceIds: [sandbox.marketplaceId] }),
      orders.searchOrders({ createdAfter, lastUpdatedAfter: pollFrom }),
      orders.searchOrders({ lastUpdatedAfter: pollFrom, lastUpdatedBefore: new Date(clock).toISOString() }),
      orders.searchOrders({ lastUpdatedAfter: pollFrom, maxResultsPerPage: 101 }),
    ]) {
      const error = await failure(refused);
      expect(error.status).toBe(400);
      expect(error.data.errors[0].code).toBe('InvalidInput');
    }
    // Orders API v0 is deprecated (migrate by 27 March 2027); the sandbox no longer serves it.
    expect((await fetch(`${sandbox.url}/orders/v0/orders?MarketplaceIds=${sandbox.marketplaceId}&CreatedAfter=${createdAfter}`, { headers: { 'x-amz-access-token': sandbox.accessToken } })).status).toBe(404);
  });

  it('merge changes only the quantity of the matched channel; replace drops what the request leaves out', async () => {
    const { listings } = clients(sandbox.accessToken);
    const request = { sellerId: sandbox.sellerId, sku: 'CAM-LINHO-G', marketplaceIds: [sandbox.marketplaceId] };
    const attributes = async () => (await listings.getListingsItem({ ...request, includedData: ['attributes'] })).data.attributes?.['fulfillment_availability'];
    const patch = (op: 'merge' | 'replace', value: Array<Record<string, unknown>>) =>
      listings.patchListingsItem({ ...request, body: { productType: 'SHIRT', patches: [{ op, path: '/attributes/fulfillment_availability', value }] } });
    // The merchant sets a handling time and a restock date in Seller Central.
    sandbox.store.listings.get('CAM-LINHO-G')!.attributes['fulfillment_availability'] = [{ fulfillment_channel_code: 'DEFAULT', quantity: 4, lead_time_to_ship_max_days: 5, restock_date: '2026-12-15' }];

    expect((await patch('merge', [{ fulfillment_channel_code: 'DEFAULT', quantity: 9 }])).data.status).toBe('ACCEPTED');
    expect(await attributes()).toEqual([{ fulfillment_channel_code: 'DEFAULT', quantity: 9, lead_time_to_ship_max_days: 5, restock_date: '2026-12-15' }]);
    // The selector is required for merge.
    expect((await patch('merge', [{ quantity: 3 }])).data.status).toBe('INVALID');

    expect((await patch('replace', [{ fulfillment_channel_code: 'DEFAULT', quantity: 7 }])).data.status).toBe('ACCEPTED');
    expect(await attributes()).toEqual([{ fulfillment_channel_code: 'DEFAULT', quantity: 7 }]);
  });

  it('moves merchant-fulfilled quantity with orders, and has no webhooks to subscribe to', async () => {
    const before = (await control.quantityOf('PAN-ANTIADERENTE')) as number;
    const order = await control.placeOrder([{ sku: 'PAN-ANTIADERENTE', quantity: 2 }]);
    expect(await control.quantityOf('PAN-ANTIADERENTE')).toBe(before - 2);
    await control.cancelOrder(order.id);
    expect(await control.quantityOf('PAN-ANTIADERENTE')).toBe(before);
    await expect(control.subscribe('ORDER_CHANGE', 'http://127.0.0.1:1/hook')).rejects.toThrow(/no webhooks/);
  });
});
