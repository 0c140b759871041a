import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProducts, type DemoProduct } from '../../demo/catalog.ts';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { startCommerce, type RunningCommerce } from '../support/all-platforms.ts';
import { eventuallyDefined as eventually } from '../support/eventually.ts';
import { as, graphql, TEST_PRINCIPALS, TEST_SERVICE_KEYS } from '../support/ponte.ts';

/**
 * Operators act on order exceptions through the gateway: apply a line to a SKU, retry it, or
 * dismiss it. Every outcome shows in the exception (resolvedBy), the ledger (a reason naming the
 * operator and the exception) and the audit log; callers without platform:write change nothing.
 */
let commerce: RunningCommerce;
let shopify: SandboxControlClient;
let woocommerce: SandboxControlClient;
const EXCEPTION_FIELDS = 'id orderId lineId sku quantity code message resolvedAt resolution resolvedBy';

interface Exception { id: string; orderId: string; lineId: string; sku: string | null; quantity: number; code: string; message: string; resolvedAt: string | null; resolution: string | null; resolvedBy: string | null }

beforeAll(async () => {
  commerce = await startCommerce();
  shopify = new SandboxControlClient(commerce.sandboxes.urls.shopify);
  woocommerce = new SandboxControlClient(commerce.sandboxes.urls.woocommerce);
  // A product the merchant created in Shopify admin that Ponte's catalog does not have.
  const shopifyOnly: DemoProduct = { sku: 'KIT-PRESENTE-NATAL', parentSku: null, title: 'Kit Presente de Natal', brand: 'Casa Ponte', category: 'Casa', options: {}, priceCents: 9990, onHand: { 'cd-sao-paulo': 10 } };
  await shopify.seed({ products: [...demoProducts, shopifyOnly] });
}, 300_000);
afterAll(async () => {
  await commerce?.close();
});

const gateway = () => commerce.ponte.gatewayUrl;

async function exceptionsOf(field: string): Promise<Exception[]> {
  const result = await graphql<Record<string, Exception[]>>(gateway(), `{ ${field}(unresolvedOnly: false, first: 200) { ${EXCEPTION_FIELDS} } }`);
  expect(result.errors).toBeUndefined();
  return result.data![field]!;
}

async function openException(field: string, orderId: string): Promise<Exception> {
  return eventually(async () => (await exceptionsOf(field)).find((exception) => exception.orderId === orderId && !exception.resolvedAt), `an exception for ${orderId}`);
}

async function level(sku: string): Promise<{ onHand: number; committed: number }> {
  const result = await graphql<{ product: { stockLevels: Array<{ location: { id: string }; onHand: number; committed: number }> } }>(gateway(), 'query($sku: ID!) { product(sku: $sku) { stockLevels { location { id } onHand committed } } }', { sku });
  const levels = result.data!.product.stockLevels;
  return { onHand: levels.reduce((sum, each) => sum + each.onHand, 0), committed: levels.reduce((sum, each) => sum + each.committed, 0) };
}

async function movements(sku: string): Promise<Array<{ kind: string; committedDelta: number; actor: string; reason: string | null; reference: string | null }>> {
  const result = await graphql<{ stockMovements: Array<{ kind: string; committedDelta: number; actor: string; reason: string | null; reference: string | null }> }>(gateway(), 'query($sku: ID!) { stockMovements(sku: $sku, first: 20) { kind committedDelta actor reason reference } }', { sku });
  expect(result.errors).toBeUndefined();
  return result.data!.stockMovements;
}

describe('order exception actions', () => {
  it('an operator applies an unknown-SKU line to a canonical SKU: reserved, closed, in the ledger and the audit', async () => {
    const order = await shopify.placeOrder([{ sku: 'KIT-PRESENTE-NATAL', quantity: 1 }]);
    const exception = await openException('shopifyOrderExceptions', order.id);
    expect(exception).toMatchObject({ code: 'UNKNOWN_SKU', sku: 'KIT-PRESENTE-NATAL', resolvedBy: null });
    const sku = 'CAM-BASICA-G';
    const before = await level(sku);

    // Callers without platform:write are refused before anything runs.
    for (const who of ['storefront', 'partner', 'internal'] as const) {
      const refused = await graphql(gateway(), `mutation($id: ID!) { resolveShopifyOrderException(input: { id: $id, sku: "${sku}", idempotencyKey: "refused-${who}" }) { id } }`, { id: exception.id }, as(who));
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
      const retried = await graphql(gateway(), 'mutation($id: ID!) { retryShopifyOrderException(id: $id) { id } }', { id: exception.id }, as(who));
      expect(retried.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
      const dismissed = await graphql(gateway(), 'mutation($id: ID!) { dismissShopifyOrderException(input: { id: $id, reason: "no" }) { id } }', { id: exception.id }, as(who));
      expect(dismissed.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    }
    expect((await exceptionsOf('shopifyOrderExceptions')).find((each) => each.id === exception.id)).toEqual(exception);
    expect(await level(sku)).toEqual(before);

    const resolve = `mutation($id: ID!, $sku: ID!, $key: String!) { resolveShopifyOrderException(input: { id: $id, sku: $sku, idempotencyKey: $key }) { ${EXCEPTION_FIELDS} } }`;
    const resolved = await graphql<{ resolveShopifyOrderException: Exception }>(gateway(), resolve, { id: exception.id, sku, key: 'resolve-1' });
    expect(resolved.errors).toBeUndefined();
    expect(resolved.data!.resolveShopifyOrderException).toMatchObject({ id: exception.id, resolvedBy: TEST_PRINCIPALS.operator.name, resolvedAt: expect.any(String), resolution: expect.stringContaining(`applied as ${sku}`) });
    expect(await level(sku)).toEqual({ onHand: before.onHand, committed: before.committed + 1 });
    const [reservation] = await movements(sku);
    expect(reservation).toMatchObject({ kind: 'RESERVATION', committedDelta: 1, actor: 'shopify', reference: order.id });
    expect(reservation!.reason).toContain(`order exception ${exception.id}`);
    expect(reservation!.reason).toContain(`by ${TEST_PRINCIPALS.operator.name}`);

    // The same request again answers the same exception and reserves nothing more; another one is refused.
    const again = await graphql<{ resolveShopifyOrderException: Exception }>(gateway(), resolve, { id: exception.id, sku, key: 'resolve-1' });
    expect(again.data!.resolveShopifyOrderException).toEqual(resolved.data!.resolveShopifyOrderException);
    const other = await graphql(gateway(), resolve, { id: exception.id, sku, key: 'resolve-2' });
    expect(other.errors?.[0]?.extensions?.['code']).toBe('ORDER_EXCEPTION_CLOSED');
    expect(await level(sku)).toEqual({ onHand: before.onHand, committed: before.committed + 1 });

    // The line now follows the order: a cancellation on Shopify releases the units.
    await shopify.cancelOrder(order.id);
    await eventually(async () => ((await level(sku)).committed === before.committed ? true : undefined), 'the release');

    await commerce.ponte.gateway.audit!.flush();
    const audit = await graphql<{ auditLog: { nodes: Array<{ principalId: string; rootFields: string[]; outcome: string }> } }>(
      gateway(), '{ auditLog(filter: { operation: "resolveShopifyOrderException" }, first: 50) { nodes { principalId rootFields outcome } } }', {}, as('admin'));
    expect(audit.errors).toBeUndefined();
    const entries = audit.data!.auditLog.nodes.filter((entry) => entry.rootFields.includes('resolveShopifyOrderException'));
    expect(entries).toEqual(expect.arrayContaining([
      expect.objectContaining({ principalId: TEST_PRINCIPALS.operator.id, outcome: 'ok' }),
      expect.objectContaining({ principalId: TEST_PRINCIPALS.partner.id, outcome: 'FORBIDDEN' }),
    ]));
  });

  it('a retry of something still impossible keeps it open with the new error; after stock arrives it reserves', async () => {
    const sku = 'LIV-RECEITAS';
    const start = await level(sku);
    const quantity = start.onHand - start.committed + 5;
    const order = await woocommerce.placeOrder([{ sku, quantity }], { allowOversell: true });
    const exception = await openException('wooCommerceOrderExceptions', order.id);
    expect(exception.code).toBe('INSUFFICIENT_STOCK');

    const retry = `mutation($id: ID!) { retryWooCommerceOrderException(id: $id) { ${EXCEPTION_FIELDS} } }`;
    const stillShort = await graphql<{ retryWooCommerceOrderException: Exception }>(gateway(), retry, { id: exception.id });
    expect(stillShort.errors).toBeUndefined();
    expect(stillShort.data!.retryWooCommerceOrderException).toMatchObject({ id: exception.id, code: 'INSUFFICIENT_STOCK', resolvedAt: null, resolvedBy: null });
    expect(await level(sku)).toEqual(start);

    const received = await graphql(gateway(), `mutation { receiveStock(input: { idempotencyKey: "exception-retry-stock", sku: "${sku}", location: "cd-sao-paulo", quantity: ${quantity + 10}, reason: "purchase order" }) { levels { onHand } } }`);
    expect(received.errors).toBeUndefined();
    const reserved = await graphql<{ retryWooCommerceOrderException: Exception }>(gateway(), retry, { id: exception.id });
    expect(reserved.data!.retryWooCommerceOrderException).toMatchObject({ resolvedBy: TEST_PRINCIPALS.operator.name, resolution: expect.stringContaining('retried'), resolvedAt: expect.any(String) });
    expect((await level(sku)).committed).toBe(start.committed + quantity);
    expect((await movements(sku))[0]).toMatchObject({ kind: 'RESERVATION', committedDelta: quantity, reason: expect.stringContaining(`retried by ${TEST_PRINCIPALS.operator.name}`) });
  });

  it('an operator dismisses an exception with a reason, and stock is not touched', async () => {
    const sku = 'CAD-PONTILHADO';
    const start = await level(sku);
    const order = await woocommerce.placeOrder([{ sku, quantity: start.onHand - start.committed + 3 }], { allowOversell: true });
    const exception = await openException('wooCommerceOrderExceptions', order.id);
    const dismiss = `mutation($id: ID!, $reason: String!) { dismissWooCommerceOrderException(input: { id: $id, reason: $reason }) { ${EXCEPTION_FIELDS} } }`;
    const empty = await graphql(gateway(), dismiss, { id: exception.id, reason: '  ' });
    expect(empty.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    const dismissed = await graphql<{ dismissWooCommerceOrderException: Exception }>(gateway(), dismiss, { id: exception.id, reason: 'test order from the shop owner' });
    expect(dismissed.errors).toBeUndefined();
    expect(dismissed.data!.dismissWooCommerceOrderException).toMatchObject({ resolution: 'dismissed: test order from the shop owner', resolvedBy: TEST_PRINCIPALS.operator.name });
    expect(await level(sku)).toEqual(start);
    const resolveClosed = await graphql(gateway(), 'mutation($id: ID!) { resolveWooCommerceOrderException(input: { id: $id, sku: "CAM-BASICA-M", idempotencyKey: "late" }) { id } }', { id: exception.id });
    expect(resolveClosed.errors?.[0]?.extensions?.['code']).toBe('ORDER_EXCEPTION_CLOSED');
  });

  it('two operators applying one exception at once reserve it once', async () => {
    const order = await shopify.placeOrder([{ sku: 'KIT-PRESENTE-NATAL', quantity: 2 }]);
    const exception = await openException('shopifyOrderExceptions', order.id);
    const sku = 'CAN-TERMICA';
    const before = await level(sku);
    const resolve = `mutation($id: ID!, $key: String!) { resolveShopifyOrderException(input: { id: $id, sku: "${sku}", idempotencyKey: $key }) { id resolvedBy } }`;
    const answers = await Promise.all(['twin-a', 'twin-b', 'twin-a'].map((key) => graphql<{ resolveShopifyOrderException: { id: string } }>(gateway(), resolve, { id: exception.id, key })));
    const succeeded = answers.filter((answer) => answer.data?.resolveShopifyOrderException);
    expect(succeeded.length).toBeGreaterThanOrEqual(1);
    for (const answer of answers.filter((each) => !each.data?.resolveShopifyOrderException)) {
      expect(['ORDER_EXCEPTION_CLOSED', 'IDEMPOTENCY_KEY_REUSED']).toContain(answer.errors?.[0]?.extensions?.['code']);
    }
    expect(await level(sku)).toEqual({ onHand: before.onHand, committed: before.committed + 2 });
  });

  it('a service key sent straight to a platform subgraph is refused, with nothing changed', async () => {
    const order = await shopify.placeOrder([{ sku: 'KIT-PRESENTE-NATAL', quantity: 1 }]);
    const exception = await openException('shopifyOrderExceptions', order.id);
    const response = await fetch(commerce.ponte.extraUrls['shopify']!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_SERVICE_KEYS['shopify']}` },
      body: JSON.stringify({ query: 'mutation($id: ID!) { dismissShopifyOrderException(input: { id: $id, reason: "from a service" }) { id } }', variables: { id: exception.id } }),
    });
    const body = (await response.json()) as { errors?: Array<{ extensions?: Record<string, unknown> }> };
    // Platform subgraphs take requests from the gateway only: everyone else is refused at the door.
    expect(response.status).toBe(401);
    expect(body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    expect((await exceptionsOf('shopifyOrderExceptions')).find((each) => each.id === exception.id)).toEqual(exception);
  });

  it('every platform answers its exception mutations; an unknown id is UNKNOWN_ORDER_EXCEPTION', async () => {
    for (const platform of ['Shopify', 'WooCommerce', 'MercadoLivre', 'Amazon']) {
      const result = await graphql(gateway(), `mutation {
        a: dismiss${platform}OrderException(input: { id: "987654321", reason: "checked" }) { id }
      }`);
      expect(result.errors?.[0]?.extensions?.['code'], platform).toBe('UNKNOWN_ORDER_EXCEPTION');
      const retried = await graphql(gateway(), `mutation { retry${platform}OrderException(id: "987654321") { id } }`);
      expect(retried.errors?.[0]?.extensions?.['code'], platform).toBe('UNKNOWN_ORDER_EXCEPTION');
      const resolved = await graphql(gateway(), `mutation { resolve${platform}OrderException(input: { id: "not-a-number", sku: "CAM-BASICA-M", idempotencyKey: "k" }) { id } }`);
      expect(resolved.errors?.[0]?.extensions?.['code'], platform).toBe('UNKNOWN_ORDER_EXCEPTION');
    }
  });
});
