import { createHmac } from 'node:crypto';
import { createAdminApiClient } from '@shopify/admin-api-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoProducts } from '../../demo/catalog.ts';
import { SandboxControlClient } from '../common/control-client.ts';
import { startWebhookReceiver } from '../common/webhook-receiver.ts';
import type { WebhookReceiver } from '../common/webhook-receiver.ts';
import { createShopifySandbox } from './shopify-sandbox.ts';
import type { ShopifySandbox, ShopifySandboxOptions } from './shopify-sandbox.ts';

const API_VERSION = '2026-10';

/** Shopify's own client, with only the address changed: it forces https://{shop}, so route its fetch to the sandbox. */
function adminClient(sandbox: ShopifySandbox, accessToken = sandbox.accessToken, apiVersion = API_VERSION) {
  return createAdminApiClient({
    storeDomain: sandbox.shopDomain,
    apiVersion,
    accessToken,
    customFetchApi: (url, init) => {
      const { pathname, search } = new URL(url);
      return fetch(`${sandbox.url}${pathname}${search}`, init as RequestInit);
    },
  });
}

const VARIANT_BY_SKU = `query VariantBySku($query: String!) {
  productVariants(first: 1, query: $query) {
    nodes {
      id sku price
      inventoryItem { id inventoryLevels(first: 5) { nodes { location { id name } quantities(names: ["available", "committed", "on_hand"]) { name quantity } } } }
    }
  }
}`;

interface LevelView {
  location: { id: string; name: string };
  quantities: Array<{ name: string; quantity: number }>;
}

async function variantBySku(client: ReturnType<typeof adminClient>, sku: string) {
  const { data, errors } = await client.request(VARIANT_BY_SKU, { variables: { query: `sku:${sku}` } });
  expect(errors).toBeUndefined();
  const variant = data.productVariants.nodes[0];
  const levels = variant.inventoryItem.inventoryLevels.nodes as LevelView[];
  const quantity = (level: LevelView, name: string) => level.quantities.find((entry) => entry.name === name)?.quantity;
  return { variant, levels, quantity };
}

describe('Shopify sandbox through @shopify/admin-api-client', () => {
  let sandbox: ShopifySandbox;
  let control: SandboxControlClient;
  let receiver: WebhookReceiver | undefined;

  async function start(options: ShopifySandboxOptions = {}) {
    sandbox = createShopifySandbox({ webhookRetry: { initialDelayMs: 5, maxDelayMs: 20 }, ...options });
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

  it('rejects a wrong access token with 401, as Shopify does', async () => {
    const { errors } = await adminClient(sandbox, 'shpat_wrong').request('{ shop { name } }');
    expect(errors?.networkStatusCode).toBe(401);
    const calls = await control.calls();
    expect(calls.calls.at(-1)).toMatchObject({ status: 401, path: `/admin/api/${API_VERSION}/graphql.json` });
  });

  it('pages through every seeded variant with first/after and pageInfo', async () => {
    const client = adminClient(sandbox);
    const skus: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const response: { data?: any; errors?: unknown } = await client.request(
        `query Page($after: String) { productVariants(first: 20, after: $after) { edges { cursor node { sku } } pageInfo { hasNextPage endCursor } } }`,
        { variables: { after } },
      );
      expect(response.errors).toBeUndefined();
      const page = response.data.productVariants;
      skus.push(...page.edges.map((edge: { node: { sku: string } }) => edge.node.sku));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(Math.ceil(demoProducts.length / 20));
    expect(skus.sort()).toEqual(demoProducts.map((product) => product.sku).sort());
  });

  it('groups variations under one product and reports extensions.cost', async () => {
    const { data, extensions } = await adminClient(sandbox).request(`{ products(first: 1, query: "title:Camiseta*") { nodes { title options { name values } variants(first: 10) { nodes { sku selectedOptions { name value } } } } } }`);
    const product = data.products.nodes[0];
    expect(product.title).toBe('Camiseta Básica Algodão');
    expect(product.options).toEqual([{ name: 'Size', values: ['P', 'M', 'G', 'GG'] }]);
    expect(product.variants.nodes.map((variant: { sku: string }) => variant.sku)).toEqual(['CAM-BASICA-P', 'CAM-BASICA-M', 'CAM-BASICA-G', 'CAM-BASICA-GG']);
    const cost = (extensions as any).cost;
    expect(cost.requestedQueryCost).toBeGreaterThan(cost.actualQueryCost);
    expect(cost.throttleStatus).toMatchObject({ maximumAvailable: 2000, restoreRate: 100 });
  });

  it('sets quantities with compare-and-set and refuses a stale changeFromQuantity', async () => {
    const client = adminClient(sandbox);
    const { variant, levels, quantity } = await variantBySku(client, 'CAF-MOIDO-500');
    const level = levels[0] as LevelView;
    const current = quantity(level, 'available') as number;
    let keys = 0;
    const mutation = () => `mutation Set($input: InventorySetQuantitiesInput!) {
      inventorySetQuantities(input: $input) @idempotent(key: "set-${++keys}") {
        inventoryAdjustmentGroup { reason referenceDocumentUri changes { name delta quantityAfterChange } }
        userErrors { code field message }
      }
    }`;
    const input = (changeFromQuantity: number | null, target: number) => ({
      name: 'available',
      reason: 'correction',
      referenceDocumentUri: 'ponte://sync/1',
      quantities: [{ inventoryItemId: variant.inventoryItem.id, locationId: level.location.id, quantity: target, changeFromQuantity }],
    });

    const applied = await client.request(mutation(), { variables: { input: input(current, 42) } });
    expect(applied.data.inventorySetQuantities.userErrors).toEqual([]);
    expect(applied.data.inventorySetQuantities.inventoryAdjustmentGroup.changes).toContainEqual({ name: 'available', delta: 42 - current, quantityAfterChange: 42 });

    const stale = await client.request(mutation(), { variables: { input: input(current, 7) } });
    expect(stale.data.inventorySetQuantities.inventoryAdjustmentGroup).toBeNull();
    expect(stale.data.inventorySetQuantities.userErrors[0].code).toBe('CHANGE_FROM_QUANTITY_STALE');
    expect(await control.stock().then((stock) => stock.find((entry) => entry.sku === 'CAF-MOIDO-500')?.byLocation?.['cd-sao-paulo'])).toBe(42);

    // Leaving changeFromQuantity out is an error from 2026-04: null is the explicit opt-out.
    const { quantities } = input(null, 1);
    const omitted = await client.request(mutation(), { variables: { input: { ...input(null, 1), quantities: quantities.map(({ changeFromQuantity: _omit, ...rest }) => rest) } } });
    expect(omitted.data.inventorySetQuantities.userErrors[0].field).toContain('changeFromQuantity');
    const optedOut = await client.request(mutation(), { variables: { input: input(null, 5) } });
    expect(optedOut.data.inventorySetQuantities.userErrors).toEqual([]);
  });

  it('adjusts quantities once per idempotency key and requires the key from 2026-04', async () => {
    const client = adminClient(sandbox);
    const { variant, levels, quantity } = await variantBySku(client, 'LIV-RECEITAS');
    const level = levels[0] as LevelView;
    const before = quantity(level, 'available') as number;
    const adjust = (key: string | null) => `mutation Adjust($input: InventoryAdjustQuantitiesInput!) {
      inventoryAdjustQuantities(input: $input)${key ? ` @idempotent(key: "${key}")` : ''} { inventoryAdjustmentGroup { reason changes { name delta } } userErrors { code message } }
    }`;
    const input = { name: 'available', reason: 'received', changes: [{ delta: 5, inventoryItemId: variant.inventoryItem.id, locationId: level.location.id, changeFromQuantity: null }] };

    const first = await client.request(adjust('receipt-1'), { variables: { input } });
    expect(first.data.inventoryAdjustQuantities.userErrors).toEqual([]);
    const replay = await client.request(adjust('receipt-1'), { variables: { input } });
    expect(replay.data).toEqual(first.data);
    const after = await variantBySku(client, 'LIV-RECEITAS');
    expect(after.quantity(after.levels[0] as LevelView, 'available')).toBe(before + 5);
    expect(after.quantity(after.levels[0] as LevelView, 'on_hand')).toBe(before + 5);

    const mismatch = await client.request(adjust('receipt-1'), { variables: { input: { ...input, changes: [{ ...input.changes[0], delta: 6 }] } } });
    expect(mismatch.data.inventoryAdjustQuantities.userErrors[0].code).toBe('IDEMPOTENCY_KEY_PARAMETER_MISMATCH');

    const withoutKey = await client.request(adjust(null), { variables: { input } });
    expect(withoutKey.errors?.graphQLErrors?.[0]?.message).toMatch(/@idempotent/);
    const unchanged = await variantBySku(client, 'LIV-RECEITAS');
    expect(unchanged.quantity(unchanged.levels[0] as LevelView, 'available')).toBe(before + 5);
  });

  // https://shopify.dev/changelog/making-idempotency-mandatory-for-inventory-adjustments-and-refund-mutations
  it('refuses set, adjust and move without @idempotent on 2026-04 and later, and accepts them without it on 2026-01', async () => {
    const { variant, levels } = await variantBySku(adminClient(sandbox), 'CAN-TERMICA');
    const item = variant.inventoryItem.id;
    const location = (levels[0] as LevelView).location.id;
    const calls = {
      set: ['InventorySetQuantitiesInput', 'inventorySetQuantities', { name: 'available', reason: 'correction', quantities: [{ inventoryItemId: item, locationId: location, quantity: 3, changeFromQuantity: null }] }],
      adjust: ['InventoryAdjustQuantitiesInput', 'inventoryAdjustQuantities', { name: 'available', reason: 'correction', changes: [{ inventoryItemId: item, locationId: location, delta: 1, changeFromQuantity: null }] }],
      move: ['InventoryMoveQuantitiesInput', 'inventoryMoveQuantities', { reason: 'damaged', referenceDocumentUri: 'ponte://move/1', changes: [{ inventoryItemId: item, quantity: 1, from: { locationId: location, name: 'available', changeFromQuantity: null }, to: { locationId: location, name: 'damaged', changeFromQuantity: null } }] }],
    } as const;
    for (const version of ['2026-04', '2026-07', 'unstable']) {
      const client = adminClient(sandbox, sandbox.accessToken, version);
      for (const [type, field, input] of Object.values(calls)) {
        const refused = await client.request(`mutation M($input: ${type}!) { ${field}(input: $input) { userErrors { code message } } }`, { variables: { input } });
        expect(refused.errors?.graphQLErrors?.[0]).toMatchObject({ message: expect.stringContaining('@idempotent'), extensions: { code: 'BAD_REQUEST' } });
        expect(refused.data?.[field] ?? null).toBeNull();
      }
    }
    expect(sandbox.store.adjustmentGroups.size).toBe(0);
    const older = adminClient(sandbox, sandbox.accessToken, '2026-01');
    for (const [type, field, input] of Object.values(calls)) {
      // Before 2026-04 a set opts out of compare-and-set with ignoreCompareQuantity.
      const legacyInput = field === 'inventorySetQuantities' ? { ...input, ignoreCompareQuantity: true } : input;
      const accepted = await older.request(`mutation M($input: ${type}!) { ${field}(input: $input) { userErrors { code message } } }`, { variables: { input: legacyInput } });
      expect(accepted.data?.[field].userErrors).toEqual([]);
    }
    const after = await variantBySku(adminClient(sandbox), 'CAN-TERMICA');
    expect(after.quantity(after.levels[0] as LevelView, 'available')).toBe(3);
  });

  it('moves units between quantity names once per key, with changeFromQuantity required on both ends from 2026-04', async () => {
    const client = adminClient(sandbox);
    const { variant, levels, quantity } = await variantBySku(client, 'CAF-MOIDO-500');
    const level = levels[0] as LevelView;
    const available = quantity(level, 'available') as number;
    const move = `mutation Move($input: InventoryMoveQuantitiesInput!, $key: String!) {
      inventoryMoveQuantities(input: $input) @idempotent(key: $key) { inventoryAdjustmentGroup { changes { name delta quantityAfterChange } } userErrors { code field message } }
    }`;
    const input = (fromChange: number | null | undefined) => ({
      reason: 'damaged',
      referenceDocumentUri: 'ponte://damage/7',
      changes: [{ inventoryItemId: variant.inventoryItem.id, quantity: 2, from: { locationId: level.location.id, name: 'available', ...(fromChange === undefined ? {} : { changeFromQuantity: fromChange }) }, to: { locationId: level.location.id, name: 'damaged', changeFromQuantity: 0 } }],
    });
    const omitted = await client.request(move, { variables: { input: input(undefined), key: 'move-0' } });
    expect(omitted.data.inventoryMoveQuantities.userErrors[0].field).toEqual(['input', 'changes', '0', 'from', 'changeFromQuantity']);
    const stale = await client.request(move, { variables: { input: input(available + 1), key: 'move-1' } });
    expect(stale.data.inventoryMoveQuantities.userErrors[0].code).toBe('CHANGE_FROM_QUANTITY_STALE');

    const moved = await client.request(move, { variables: { input: input(available), key: 'move-2' } });
    expect(moved.data.inventoryMoveQuantities.inventoryAdjustmentGroup.changes).toEqual([
      { name: 'available', delta: -2, quantityAfterChange: available - 2 },
      { name: 'damaged', delta: 2, quantityAfterChange: 2 },
    ]);
    const replay = await client.request(move, { variables: { input: input(available), key: 'move-2' } });
    expect(replay.data).toEqual(moved.data);
    const after = await variantBySku(client, 'CAF-MOIDO-500');
    expect(after.quantity(after.levels[0] as LevelView, 'available')).toBe(available - 2);
  });

  it('serves compareQuantity and ignoreCompareQuantity before 2026-04 only, and requires changeFromQuantity on adjustments from 2026-04', async () => {
    const { variant, levels, quantity } = await variantBySku(adminClient(sandbox), 'VEL-AROMA');
    const level = levels[0] as LevelView;
    const current = quantity(level, 'available') as number;
    const legacyInput = { name: 'available', reason: 'correction', ignoreCompareQuantity: true, quantities: [{ inventoryItemId: variant.inventoryItem.id, locationId: level.location.id, quantity: current + 1 }] };
    const set = `mutation Set($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) @idempotent(key: "legacy-1") { userErrors { code message } } }`;

    const legacy = await adminClient(sandbox, sandbox.accessToken, '2026-01').request(set, { variables: { input: legacyInput } });
    expect(legacy.data.inventorySetQuantities.userErrors).toEqual([]);
    const compared = await adminClient(sandbox, sandbox.accessToken, '2025-10').request(
      `mutation { inventorySetQuantities(input: { name: "available", reason: "correction", quantities: [{ inventoryItemId: "${variant.inventoryItem.id}", locationId: "${level.location.id}", quantity: 0, compareQuantity: ${current} }] }) { userErrors { code } } }`,
    );
    expect(compared.data.inventorySetQuantities.userErrors).toEqual([{ code: 'COMPARE_QUANTITY_STALE' }]);

    const current2026 = adminClient(sandbox, sandbox.accessToken, '2026-04');
    const refused = await current2026.request(set.replace('legacy-1', 'legacy-2'), { variables: { input: legacyInput } });
    expect(refused.errors?.graphQLErrors?.[0]?.message).toMatch(/ignoreCompareQuantity/);
    const inline = await current2026.request(`mutation { inventorySetQuantities(input: { name: "available", reason: "correction", quantities: [{ inventoryItemId: "${variant.inventoryItem.id}", locationId: "${level.location.id}", quantity: 0, compareQuantity: 1 }] }) @idempotent(key: "legacy-3") { userErrors { code } } }`);
    expect(inline.errors?.graphQLErrors?.[0]?.message).toMatch(/compareQuantity/);

    const adjust = await current2026.request(
      `mutation A($input: InventoryAdjustQuantitiesInput!) { inventoryAdjustQuantities(input: $input) @idempotent(key: "adjust-no-cas") { userErrors { code field } } }`,
      { variables: { input: { name: 'available', reason: 'correction', changes: [{ inventoryItemId: variant.inventoryItem.id, locationId: level.location.id, delta: 1 }] } } },
    );
    expect(adjust.data.inventoryAdjustQuantities.userErrors).toEqual([{ code: null, field: ['input', 'changes', '0', 'changeFromQuantity'] }]);
    const after = await variantBySku(adminClient(sandbox), 'VEL-AROMA');
    expect(after.quantity(after.levels[0] as LevelView, 'available')).toBe(current + 1);
  });

  it('throttles with HTTP 200 and THROTTLED once the bucket is empty, and restores at restoreRate', async () => {
    await sandbox.close();
    let clock = Date.parse('2026-11-28T12:00:00Z');
    await start({ throttle: { maximumAvailable: 30, restoreRate: 10 }, now: () => clock });
    const client = adminClient(sandbox);
    const query = `{ productVariants(first: 10) { nodes { sku } } }`; // requests 2 + 10 = 12 points

    const first = await client.request(query);
    expect((first.extensions as any).cost).toMatchObject({ requestedQueryCost: 12, actualQueryCost: 12, throttleStatus: { maximumAvailable: 30, currentlyAvailable: 18, restoreRate: 10 } });
    await client.request(query);
    const throttled = await client.fetch(query);
    expect(throttled.status).toBe(200);
    const body = (await throttled.json()) as any;
    expect(body.errors[0]).toMatchObject({ message: 'Throttled', extensions: { code: 'THROTTLED' } });
    expect(body.extensions.cost).toMatchObject({ requestedQueryCost: 12, actualQueryCost: null, throttleStatus: { currentlyAvailable: 6 } });

    clock += 1_000; // one second restores 10 points: 16 available, enough for one more query
    const restored = await client.request(query);
    expect(restored.errors).toBeUndefined();
    expect((restored.extensions as any).cost.throttleStatus.currentlyAvailable).toBe(4);

    const calls = await control.calls();
    expect(calls.total).toBe(4);
    expect(calls.rateLimited).toBe(1);
    expect(calls.calls.filter((call) => call.rateLimited)).toHaveLength(1);

    // The control API reads the bucket without taking a point (a bench's probe must not).
    const bucket = async () => (await fetch(new URL('/_sandbox/throttle', sandbox.url))).json();
    expect(await bucket()).toEqual({ currentlyAvailable: 4, maximumAvailable: 30, restoreRate: 10 });
    expect(await bucket()).toEqual({ currentlyAvailable: 4, maximumAvailable: 30, restoreRate: 10 });
  });

  it('refuses a query above the single-query cost limit', async () => {
    const { errors } = await adminClient(sandbox).request(`{ products(first: 250) { nodes { variants(first: 250) { nodes { sku } } } } }`);
    expect(errors?.graphQLErrors?.[0]?.extensions).toMatchObject({ code: 'MAX_COST_EXCEEDED' });
  });

  it('prices a read of SKU levels as Shopify documents it, charges the bucket the requested cost, and refuses one past 1000', async () => {
    // Shopify's rules (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits): scalars
    // and enums 0, objects 1, a connection 2 plus `first` objects, each with its own selection.
    // Per SKU: productVariants(first: 1) 2 + the variant 1 + inventoryItem 1 + locationsCount 1 +
    // inventoryLevels(first: 2) 2 + 2 × (level 1 + location 1 + quantities 1) = 13.
    const levelsQuery = (count: number, first: number) =>
      `query Levels { ${Array.from({ length: count }, (_, index) => `v${index}: productVariants(first: 1, query: "sku:CAM-BASICA-M") { nodes { id sku inventoryQuantity inventoryItem { id locationsCount { count } inventoryLevels(first: ${first}) { nodes { location { id } quantities(names: ["available"]) { name quantity } } } } } }`).join(' ')} }`;
    const client = adminClient(sandbox);
    const one = await client.request(levelsQuery(1, 2));
    expect(one.errors).toBeUndefined();
    expect((one.extensions as any).cost).toMatchObject({ requestedQueryCost: 13, actualQueryCost: 13 });
    // Charged from a bucket that may not have been quite full (an earlier test's spend refilling at 100 a second).
    expect((one.extensions as any).cost.throttleStatus.currentlyAvailable).toBeLessThanOrEqual(2000 - 13 + 1);
    // Each level asked for costs 3 more, whether or not the item has it: 7 + 3 × 10 = 37 a SKU.
    const ten = await client.request(levelsQuery(1, 10));
    expect((ten.extensions as any).cost).toMatchObject({ requestedQueryCost: 37, actualQueryCost: 13 });
    // 76 SKUs ask for 988 points, within the single-query limit; 77 ask for 1001 and are refused, nothing charged.
    const full = await client.request(levelsQuery(76, 2));
    expect(full.errors).toBeUndefined();
    expect((full.extensions as any).cost.requestedQueryCost).toBe(988);
    const before = Math.floor(sandbox.throttle.available);
    const past = await client.request(levelsQuery(77, 2));
    expect(past.errors?.graphQLErrors?.[0]?.extensions).toMatchObject({ code: 'MAX_COST_EXCEEDED', cost: 1001, maxCost: 1000 });
    expect(Math.floor(sandbox.throttle.available)).toBeGreaterThanOrEqual(before);
  });

  it('counts the shop\'s locations for one point, and an item\'s, including a location opened since', async () => {
    const client = adminClient(sandbox);
    const counted = await client.request(`query { locationsCount { count precision } }`);
    expect(counted.data.locationsCount).toEqual({ count: 2, precision: 'EXACT' });
    expect((counted.extensions as any).cost.requestedQueryCost).toBe(1);
    expect((await client.request(`query { locationsCount(limit: 1) { count precision } }`)).data.locationsCount).toEqual({ count: 1, precision: 'AT_LEAST' });

    sandbox.store.addLocation({ code: 'loja-rio', name: 'Loja Rio', available: { 'CAM-BASICA-M': 4 } });
    expect((await client.request(`query { locationsCount { count } }`)).data.locationsCount.count).toBe(3);
    const item = await client.request(`query($q: String!) { productVariants(first: 1, query: $q) { nodes { inventoryItem { locationsCount { count } inventoryLevels(first: 2) { nodes { location { name } } pageInfo { hasNextPage } } } } } }`, { variables: { q: 'sku:CAM-BASICA-M' } });
    const inventoryItem = item.data.productVariants.nodes[0].inventoryItem;
    expect(inventoryItem.locationsCount.count).toBe(3);
    expect(inventoryItem.inventoryLevels.nodes).toHaveLength(2);
    expect(inventoryItem.inventoryLevels.pageInfo.hasNextPage).toBe(true);
    expect((await control.stock()).find((entry) => entry.sku === 'CAM-BASICA-M')?.byLocation).toMatchObject({ 'loja-rio': 4 });
  });

  it('delivers a signed orders/create webhook to a subscription made through the API', async () => {
    receiver = await startWebhookReceiver();
    const client = adminClient(sandbox);
    const created = await client.request(
      `mutation Subscribe($topic: WebhookSubscriptionTopic!, $sub: WebhookSubscriptionInput!) { webhookSubscriptionCreate(topic: $topic, webhookSubscription: $sub) { webhookSubscription { id topic uri } userErrors { message } } }`,
      { variables: { topic: 'ORDERS_CREATE', sub: { uri: receiver.url, format: 'JSON' } } },
    );
    expect(created.data.webhookSubscriptionCreate.userErrors).toEqual([]);

    const before = await variantBySku(client, 'CAM-LINHO-M');
    const order = await control.placeOrder([{ sku: 'CAM-LINHO-M', quantity: 2 }]);
    const [delivery] = await receiver.waitFor(1);
    expect(delivery?.headers['x-shopify-topic']).toBe('orders/create');
    expect(delivery?.headers['x-shopify-shop-domain']).toBe(sandbox.shopDomain);
    expect(delivery?.headers['x-shopify-event-id']).toBeTruthy();
    const expected = createHmac('sha256', sandbox.apiSecretKey).update(delivery?.rawBody ?? '').digest('base64');
    expect(delivery?.headers['x-shopify-hmac-sha256']).toBe(expected);
    const payload = JSON.parse(delivery?.rawBody ?? '{}');
    expect(payload).toMatchObject({ admin_graphql_api_id: order.id, financial_status: 'paid', line_items: [{ sku: 'CAM-LINHO-M', quantity: 2 }] });

    // The paid order committed the units at a location: available down, committed up, on_hand unchanged.
    const after = await variantBySku(client, 'CAM-LINHO-M');
    const committedAt = after.levels.find((level) => after.quantity(level, 'committed') === 2) as LevelView;
    const sameBefore = before.levels.find((level) => level.location.id === committedAt.location.id) as LevelView;
    expect(after.quantity(committedAt, 'available')).toBe((before.quantity(sameBefore, 'available') as number) - 2);
    expect(after.quantity(committedAt, 'on_hand')).toBe(before.quantity(sameBefore, 'on_hand'));

    const read = await client.request(`query Order($id: ID!) { order(id: $id) { name displayFinancialStatus displayFulfillmentStatus lineItems(first: 5) { nodes { sku quantity } } } }`, { variables: { id: order.id } });
    expect(read.data.order).toMatchObject({ name: '#1001', displayFinancialStatus: 'PAID', displayFulfillmentStatus: 'UNFULFILLED', lineItems: { nodes: [{ sku: 'CAM-LINHO-M', quantity: 2 }] } });
  });

  it('retries a failed delivery with the same event id, and can duplicate and reorder deliveries', async () => {
    receiver = await startWebhookReceiver((sequence) => (sequence === 1 ? 500 : 200));
    await control.subscribe('orders/create', receiver.url);

    await control.placeOrder([{ sku: 'CAB-USBC', quantity: 1 }]);
    const [failed, retried] = await receiver.waitFor(2);
    expect(failed?.answeredStatus).toBe(500);
    expect(retried?.answeredStatus).toBe(200);
    expect(retried?.headers['x-shopify-event-id']).toBe(failed?.headers['x-shopify-event-id']);
    expect(retried?.rawBody).toBe(failed?.rawBody);

    await control.setDeliveryMode({ duplicate: true });
    await control.placeOrder([{ sku: 'CAB-USBC', quantity: 1 }]);
    const [, , original, duplicate] = await receiver.waitFor(4);
    expect(duplicate?.headers['x-shopify-event-id']).toBe(original?.headers['x-shopify-event-id']);

    await control.setDeliveryMode({ duplicate: false, hold: true });
    const older = await control.placeOrder([{ sku: 'CAB-USBC', quantity: 1 }]);
    const newer = await control.placeOrder([{ sku: 'CAB-USBC', quantity: 1 }]);
    expect(await control.releaseHeld('reverse')).toEqual({ released: 2 });
    const all = await receiver.waitFor(6);
    expect(all.slice(4).map((delivery) => JSON.parse(delivery.rawBody).admin_graphql_api_id)).toEqual([newer.id, older.id]);

    const log = await control.deliveries();
    expect(log.deliveries.filter((attempt) => !attempt.ok)).toHaveLength(1);
    expect(retried?.headers['x-shopify-webhook-id']).toBe(failed?.headers['x-shopify-webhook-id']);
    expect(duplicate?.headers['x-shopify-webhook-id']).toBe(original?.headers['x-shopify-webhook-id']);
  });

  // https://shopify.dev/docs/apps/build/webhooks/verify-deliveries: X-Shopify-Webhook-Id per delivery, X-Shopify-Event-Id per event.
  it('sends a cancellation as orders/cancelled and orders/updated with one event id and two webhook ids', async () => {
    receiver = await startWebhookReceiver();
    await control.subscribe('orders/cancelled', receiver.url);
    await control.subscribe('orders/updated', receiver.url);
    const order = await control.placeOrder([{ sku: 'CAB-USBC', quantity: 1 }]);
    await control.cancelOrder(order.id);
    const [cancelled, updated] = await receiver.waitFor(2);
    expect([cancelled?.headers['x-shopify-topic'], updated?.headers['x-shopify-topic']].sort()).toEqual(['orders/cancelled', 'orders/updated']);
    expect(updated?.headers['x-shopify-event-id']).toBe(cancelled?.headers['x-shopify-event-id']);
    expect(updated?.headers['x-shopify-webhook-id']).not.toBe(cancelled?.headers['x-shopify-webhook-id']);

    // Another action on the same order is another event.
    const second = await control.placeOrder([{ sku: 'CAB-USBC', quantity: 1 }]);
    await control.fulfilOrder(second.id);
    const all = await receiver.waitFor(3);
    expect(all[2]?.headers['x-shopify-event-id']).not.toBe(cancelled?.headers['x-shopify-event-id']);
  });

  it('returns units on cancel, removes them on fulfilment, and reports merchant edits by webhook', async () => {
    receiver = await startWebhookReceiver();
    await control.subscribe('inventory_levels/update', receiver.url);
    const sku = 'VEL-AROMA';
    const start = (await control.stock()).find((entry) => entry.sku === sku)?.quantity as number;

    const cancelled = await control.placeOrder([{ sku, quantity: 3 }]);
    expect(await control.quantityOf(sku)).toBe(start - 3);
    expect(await control.cancelOrder(cancelled.id)).toMatchObject({ status: 'cancelled' });
    expect(await control.quantityOf(sku)).toBe(start);

    const fulfilled = await control.placeOrder([{ sku, quantity: 1 }]);
    expect(await control.fulfilOrder(fulfilled.id)).toMatchObject({ status: 'fulfilled' });
    const { levels, quantity } = await variantBySku(adminClient(sandbox), sku);
    expect(levels.reduce((sum, level) => sum + (quantity(level, 'committed') as number), 0)).toBe(0);
    expect(await control.quantityOf(sku)).toBe(start - 1);

    await control.setStock(sku, 77, 'cd-sao-paulo');
    // Order, cancellation, second order and the edit each moved `available` once; fulfilment moves only `committed`.
    const deliveries = await receiver.waitFor(4);
    const last = JSON.parse(deliveries.at(-1)?.rawBody ?? '{}');
    expect(deliveries.at(-1)?.headers['x-shopify-topic']).toBe('inventory_levels/update');
    expect(last.available).toBe(77);
    await expect(control.placeOrder([{ sku, quantity: 100_000 }])).rejects.toThrow(/Not enough stock/);
  });

  it('fulfils fulfillment order line items with tracking, refuses more than remains and closed fulfillment orders, and shows the tracking to the shopper', async () => {
    const client = adminClient(sandbox);
    const order = await control.placeOrder([{ sku: 'CAM-BASICA-M', quantity: 2 }, { sku: 'VEL-AROMA', quantity: 1 }]);
    const read = async () => {
      const { data, errors } = await client.request(
        `query Shipment($id: ID!) { order(id: $id) { displayFulfillmentStatus
          fulfillments(first: 10) { name trackingInfo(first: 5) { company number url } fulfillmentLineItems(first: 10) { nodes { quantity lineItem { sku } } } }
          fulfillmentOrders(first: 5) { nodes { id status lineItems(first: 10) { nodes { id sku remainingQuantity totalQuantity lineItem { id } } } } } } }`,
        { variables: { id: order.id } },
      );
      expect(errors).toBeUndefined();
      return data.order;
    };
    const before = await read();
    expect(before.displayFulfillmentStatus).toBe('UNFULFILLED');
    const lines = before.fulfillmentOrders.nodes.flatMap((fulfillmentOrder: any) => fulfillmentOrder.lineItems.nodes.map((line: any) => ({ ...line, fulfillmentOrderId: fulfillmentOrder.id })));
    const shirt = lines.find((line: any) => line.sku === 'CAM-BASICA-M');
    expect(shirt).toMatchObject({ remainingQuantity: 2, totalQuantity: 2 });
    const create = (items: Array<{ id: string; quantity: number }>, fulfillmentOrderId = shirt.fulfillmentOrderId) =>
      client.request(
        `mutation Ship($fulfillment: FulfillmentInput!) { fulfillmentCreate(fulfillment: $fulfillment) { fulfillment { id name trackingInfo { number } } userErrors { field message } } }`,
        { variables: { fulfillment: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId, fulfillmentOrderLineItems: items }], trackingInfo: { company: 'Correios', number: 'QB000000001BR', url: 'https://rastreamento.correios.com.br/?objeto=QB000000001BR' }, notifyCustomer: true } } },
      );
    const tooMany = await create([{ id: shirt.id, quantity: 3 }]);
    expect(tooMany.data.fulfillmentCreate).toEqual({ fulfillment: null, userErrors: [{ field: ['fulfillment', 'lineItemsByFulfillmentOrder', '0', 'fulfillmentOrderLineItems', '0', 'quantity'], message: 'Invalid fulfillment order line item quantity requested.' }] });
    const partial = await create([{ id: shirt.id, quantity: 1 }]);
    expect(partial.data.fulfillmentCreate.userErrors).toEqual([]);
    expect((await read()).displayFulfillmentStatus).toBe('PARTIALLY_FULFILLED');
    expect((await control.shopperView(order.id))).toEqual({
      id: order.id,
      status: 'partially_fulfilled',
      shipments: [{ carrier: 'Correios', trackingCode: 'QB000000001BR', trackingUrl: 'https://rastreamento.correios.com.br/?objeto=QB000000001BR', shippedAt: expect.any(String), lines: [{ sku: 'CAM-BASICA-M', quantity: 1 }] }],
    });
    await control.fulfilOrder(order.id);
    const after = await read();
    expect(after.displayFulfillmentStatus).toBe('FULFILLED');
    expect(after.fulfillments.map((fulfillment: any) => fulfillment.trackingInfo)).toEqual([[{ company: 'Correios', number: 'QB000000001BR', url: 'https://rastreamento.correios.com.br/?objeto=QB000000001BR' }], []]);
    expect(after.fulfillmentOrders.nodes.map((fulfillmentOrder: any) => fulfillmentOrder.status)).toEqual(['CLOSED']);
    // Fulfilling an already fulfilled (closed) fulfillment order again: refused in Shopify's words.
    const closed = await create([{ id: shirt.id, quantity: 1 }]);
    const closedId = after.fulfillmentOrders.nodes[0].id.split('/').at(-1);
    expect(closed.data.fulfillmentCreate).toEqual({ fulfillment: null, userErrors: [{ field: ['fulfillment'], message: `Fulfillment order ${closedId} has an unfulfillable status= closed.` }] });
  });

  it('answers injected 5xx faults for the requested number of calls', async () => {
    await control.injectFault({ mode: 'error', status: 503, calls: 1 });
    const client = adminClient(sandbox);
    const failed = await client.request('{ shop { name } }');
    expect(failed.errors?.networkStatusCode).toBe(503);
    const recovered = await client.request('{ shop { name } }');
    expect(recovered.data).toEqual({ shop: { name: 'Ponte Demo' } });
    const calls = await control.calls();
    expect(calls.calls.map((call) => [call.status, call.fault])).toEqual([
      [503, 'error'],
      [200, null],
    ]);
    expect(calls.failed).toBe(1);
  });
});
