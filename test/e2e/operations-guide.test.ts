/**
 * docs/operations.md, walked: the procedures marked "walked by a test" there, step by step as an
 * operator would take them, through the gateway with real keys against the whole system.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { startCommerce, type RunningCommerce } from '../support/all-platforms.ts';
import { eventuallyDefined } from '../support/eventually.ts';
import { as, graphql } from '../support/ponte.ts';

const WAREHOUSE = 'cd-sao-paulo';

let commerce: RunningCommerce;
let shopify: SandboxControlClient;
let receipts = 0;

beforeAll(async () => {
  // A push gives up after three attempts, so an outage leaves dead letters within seconds.
  commerce = await startCommerce({ stockSync: { maxAttempts: 3 } });
  shopify = new SandboxControlClient(commerce.sandboxes.urls.shopify);
}, 300_000);

afterAll(async () => {
  await commerce?.close();
});

async function run<Data = any>(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = as('operator')): Promise<Data> {
  const result = await graphql<Data>(commerce.ponte.gatewayUrl, query, variables, headers);
  if (result.errors?.length) throw new Error(result.errors.map((error) => `${String(error.extensions?.code)}: ${error.message}`).join('; '));
  return result.data!;
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const STOCK_QUERY = '{ product(sku: "CAM-BASICA-M") { totalAvailable } }';

describe('Rotate or revoke an API key', () => {
  it('rotates with a grace period in which both keys work, then revokes the old one everywhere', async () => {
    const created = await run<{ createApiKey: { plaintextKey: string; apiKey: { id: string } } }>(
      'mutation { createApiKey(input: { name: "ops-guide storefront", role: storefront }) { plaintextKey apiKey { id } } }', {}, as('admin'));
    const oldKey = created.createApiKey.plaintextKey;
    expect((await graphql(commerce.ponte.gatewayUrl, STOCK_QUERY, {}, bearer(oldKey))).errors).toBeUndefined();

    // Step 1: find its id.
    const listed = await run<{ apiKeys: Array<{ id: string; name: string }> }>('{ apiKeys { id name } }', {}, as('admin'));
    const id = listed.apiKeys.find((key) => key.name === 'ops-guide storefront')!.id;
    expect(id).toBe(created.createApiKey.apiKey.id);

    // Step 2: rotate; both work during the grace period.
    const rotated = await run<{ rotateApiKey: { plaintextKey: string } }>('mutation($id: ID!) { rotateApiKey(id: $id, graceSeconds: 3600) { plaintextKey } }', { id }, as('admin'));
    const newKey = rotated.rotateApiKey.plaintextKey;
    expect(newKey).not.toBe(oldKey);
    for (const key of [oldKey, newKey]) expect((await graphql(commerce.ponte.gatewayUrl, STOCK_QUERY, {}, bearer(key))).errors).toBeUndefined();

    // Step 4: revoke the old one (leaked): refused, the successor still works, and the audit shows the act.
    await run('mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id }, as('admin'));
    const refused = await eventuallyDefined(async () => {
      const answer = await graphql(commerce.ponte.gatewayUrl, STOCK_QUERY, {}, bearer(oldKey));
      return answer.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED' && answer;
    }, 'the revoked key to be refused', 30_000);
    expect(refused.status).toBe(401);
    expect((await graphql(commerce.ponte.gatewayUrl, STOCK_QUERY, {}, bearer(newKey))).errors).toBeUndefined();
    const audit = await eventuallyDefined(async () => {
      const { auditLog } = await run<{ auditLog: { nodes: Array<{ rootFields: string[]; outcome: string }> } }>('{ auditLog(first: 50) { nodes { rootFields outcome } } }', {}, as('admin'));
      return auditLog.nodes.some((entry) => entry.rootFields.includes('revokeApiKey') && entry.outcome === 'ok') && auditLog;
    }, 'the revocation in the audit log');
    expect(audit.nodes.length).toBeGreaterThan(0);
  });

  it('refuses key management to an operator, with nothing created', async () => {
    const refused = await graphql(commerce.ponte.gatewayUrl, 'mutation { createApiKey(input: { name: "sneaky", role: admin }) { plaintextKey } }', {}, as('operator'));
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const { apiKeys } = await run<{ apiKeys: Array<{ name: string }> }>('{ apiKeys { name } }', {}, as('admin'));
    expect(apiKeys.some((key) => key.name === 'sneaky')).toBe(false);
  });
});

describe('A platform was down: recover', () => {
  it('replays the dead letters an outage left and reconciles until every listing shows Ponte’s quantity', async () => {
    const sku = 'CAM-BASICA-G';
    await eventuallyDefined(async () => (await run<{ shopifyListingSync: { pending: number } }>('{ shopifyListingSync { pending } }')).shopifyListingSync.pending === 0, 'the first sync to finish', 60_000);

    await shopify.injectFault({ mode: 'error', status: 503 });
    await run('mutation($input: ReceiveStockInput!) { receiveStock(input: $input) { replayed } }', { input: { idempotencyKey: `ops-guide-${++receipts}`, sku, location: WAREHOUSE, quantity: 3 } });

    // Step 2: see what gave up.
    const dead = await eventuallyDefined(async () => {
      const { shopifyListingSync } = await run<{ shopifyListingSync: { dead: number; deadLetters: Array<{ sku: string; lastError: string | null }> } }>('{ shopifyListingSync { dead deadLetters { sku lastError } } }');
      return shopifyListingSync.deadLetters.some((letter) => letter.sku === sku) && shopifyListingSync;
    }, 'the push to become a dead letter', 60_000);
    expect(dead.dead).toBeGreaterThan(0);

    // Step 1 (the platform is back), then step 3: replay.
    await shopify.clearFaults();
    const replayed = await run<{ replayShopifyListingSync: number }>('mutation { replayShopifyListingSync(skus: null) }');
    expect(replayed.replayShopifyListingSync).toBeGreaterThan(0);

    // Step 4: reconcile until it answers no drift; the listing shows Ponte's quantity.
    const { product } = await run<{ product: { channelAvailability: Array<{ channel: { id: string }; quantity: number }> } }>(
      'query($sku: ID!) { product(sku: $sku) { channelAvailability { channel { id } quantity } } }', { sku });
    const expected = product.channelAvailability.find((entry) => entry.channel.id === 'shopify-br')!.quantity;
    await eventuallyDefined(async () => (await shopify.quantityOf(sku)) === expected, 'the Shopify listing to show Ponte’s quantity', 30_000);
    await eventuallyDefined(async () => (await run<{ reconcileShopifyListings: unknown[] }>('mutation { reconcileShopifyListings { sku } }')).reconcileShopifyListings.length === 0, 'no drift', 30_000);
    const after = await run<{ shopifyListingSync: { dead: number } }>('{ shopifyListingSync { dead } }');
    expect(after.shopifyListingSync.dead).toBe(0);
  });

  it('refuses replay and reconcile to an internal key (read-only), with the queue unchanged', async () => {
    const before = await run<{ shopifyListingSync: { pending: number; dead: number } }>('{ shopifyListingSync { pending dead } }');
    for (const mutation of ['mutation { replayShopifyListingSync(skus: null) }', 'mutation { reconcileShopifyListings { sku } }']) {
      const refused = await graphql(commerce.ponte.gatewayUrl, mutation, {}, as('internal'));
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(await run('{ shopifyListingSync { pending dead } }')).toEqual(before);
  });
});

describe('Act on an order exception', () => {
  it('resolves a line that could not be reserved as another SKU, and the ledger names the operator and the exception', async () => {
    const sku = 'CAM-BASICA-P';
    const { product } = await run<{ product: { totalAvailable: number } }>('query($sku: ID!) { product(sku: $sku) { totalAvailable } }', { sku });
    // A shopper buys more than Ponte has for the channel (the platform let it through).
    const order = await shopify.placeOrder([{ sku, quantity: product.totalAvailable + 50 }], { allowOversell: true });
    const exception = await eventuallyDefined(async () => {
      const { shopifyOrderExceptions } = await run<{ shopifyOrderExceptions: Array<{ id: string; orderId: string; code: string }> }>('{ shopifyOrderExceptions { id orderId code } }');
      return shopifyOrderExceptions.find((entry) => entry.orderId === order.id);
    }, 'the order line to become an exception', 60_000);
    expect(exception.code).toBe('INSUFFICIENT_STOCK');

    // A partner may not act on it: refused, still open.
    const refused = await graphql(commerce.ponte.gatewayUrl, 'mutation($id: ID!) { retryShopifyOrderException(id: $id) { id } }', { id: exception.id }, as('partner'));
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // The operator has stock of a substitute and applies the line to it.
    const substitute = 'CAM-BASICA-GG';
    await run('mutation($input: ReceiveStockInput!) { receiveStock(input: $input) { replayed } }', { input: { idempotencyKey: `ops-guide-${++receipts}`, sku: substitute, location: WAREHOUSE, quantity: product.totalAvailable + 100 } });
    const { resolveShopifyOrderException: resolved } = await run<{ resolveShopifyOrderException: { resolvedAt: string | null; resolvedBy: string | null } }>(
      'mutation($input: ResolveOrderExceptionInput!) { resolveShopifyOrderException(input: $input) { resolvedAt resolvedBy } }',
      { input: { id: exception.id, sku: substitute, idempotencyKey: `ops-guide-resolve-${exception.id}` } });
    expect(resolved.resolvedAt).not.toBeNull();
    expect(resolved.resolvedBy).toBe('test-operator');

    const { stockMovements } = await run<{ stockMovements: Array<{ kind: string; reason: string | null }> }>('query($sku: ID!) { stockMovements(sku: $sku, first: 5) { kind reason } }', { sku: substitute });
    expect(stockMovements.some((movement) => movement.reason?.includes(`order exception ${exception.id}`) && movement.reason.includes('test-operator'))).toBe(true);
    const { shopifyOrderExceptions: open } = await run<{ shopifyOrderExceptions: Array<{ id: string }> }>('{ shopifyOrderExceptions { id } }');
    expect(open.some((entry) => entry.id === exception.id)).toBe(false);
  });
});
