import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STOCK_CEILING } from '../../subgraphs/inventory/models.ts';
import { ledgerSnapshot, seedLevel } from '../../subgraphs/inventory/test-fixtures.ts';
import { as, graphql, startPonte, TEST_KEYS, type RunningPonte } from '../support/ponte.ts';
import { subscribe } from '../support/subscriptions.ts';

/**
 * Issue 6's bad-input corpus: requests a hostile or careless caller sends through the gateway.
 * Each must get a clear error with an `extensions.code`, and afterwards the ledger, the levels,
 * the reservations and the idempotency keys are exactly as before.
 *
 * To add a row, append to CORPUS: `send` is a GraphQL operation through the gateway (with
 * optional headers), or, for what is not GraphQL (malformed JSON, wrong content types, forged
 * webhooks), a function that makes any HTTP request and returns the Response. `code` is the
 * `extensions.code` the first error must carry; `field` and `status`, when given, must match too.
 */
export interface BadInputCase {
  name: string;
  send: { query: string; variables?: Record<string, unknown>; headers?: Record<string, string> } | ((ponte: RunningPonte) => Promise<Response>);
  code: string;
  /** `extensions.field` of the first error. */
  field?: string;
  /** HTTP status of the answer. */
  status?: number;
  /**
   * Known to fail until another part of issue 6 lands (say which): the row runs as `it.fails`,
   * so it turns red the day it starts passing and the marker must go.
   */
  pendingOn?: string;
}

/** A demo SKU pushed to within 5 units of the ceiling before the corpus runs. */
const NEAR_CEILING_SKU = 'CAM-BASICA-M';
const WAREHOUSE = 'cd-sao-paulo';

const receive = (input: Record<string, unknown>) => ({
  query: 'mutation($input: ReceiveStockInput!) { receiveStock(input: $input) { levels { onHand } replayed } }',
  variables: { input: { idempotencyKey: `corpus-${Math.random().toString(36).slice(2)}`, sku: 'CAF-GRAOS-1KG', location: WAREHOUSE, quantity: 1, ...input } },
});
const reserve = (input: Record<string, unknown>, line: Record<string, unknown> = {}) => ({
  query: 'mutation($input: ReserveStockInput!) { reserveStock(input: $input) { reservation { id } replayed } }',
  variables: { input: { idempotencyKey: `corpus-${Math.random().toString(36).slice(2)}`, channel: 'shopify-br', orderReference: 'corpus-1', lines: [{ sku: 'CAF-GRAOS-1KG', quantity: 1, ...line }], ...input } },
});
const INJECTION_SKUS = ["'; DROP TABLE stock_levels; --", '../../etc/passwd', '<script>alert(1)</script>', 'CAF-GRAOS-1KG\' OR \'1\'=\'1'];

/** A raw POST to the gateway as the operator: for what is not a well-formed GraphQL request. */
function gatewayPost(ponte: RunningPonte, body: string, contentType = 'application/json'): Promise<Response> {
  return fetch(ponte.gatewayUrl, { method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${TEST_KEYS.operator}` }, body });
}

export const CORPUS: BadInputCase[] = [
  // Integers (finding 4)
  { name: 'a receipt that would pass the stock ceiling', send: receive({ sku: NEAR_CEILING_SKU, quantity: 6 }), code: 'QUANTITY_LIMIT_EXCEEDED' },
  { name: 'a 2147483647 receipt', send: receive({ quantity: 2_147_483_647 }), code: 'INVALID_QUANTITY', field: 'quantity' },
  {
    name: 'a -2147483648 adjustment',
    send: { query: 'mutation { adjustStock(input: { idempotencyKey: "corpus-adjust-min", sku: "CAF-GRAOS-1KG", location: "cd-sao-paulo", delta: -2147483648, reason: "x" }) { replayed } }' },
    code: 'INVALID_QUANTITY',
  },
  {
    name: 'a 2147483647 incoming delta',
    send: { query: 'mutation { recordIncomingStock(input: { idempotencyKey: "corpus-incoming-max", sku: "CAF-GRAOS-1KG", location: "cd-sao-paulo", delta: 2147483647 }) { replayed } }' },
    code: 'INVALID_QUANTITY',
  },
  {
    name: 'a transfer of 2147483647',
    send: { query: 'mutation { transferStock(input: { idempotencyKey: "corpus-transfer-max", sku: "CAF-GRAOS-1KG", fromLocation: "cd-sao-paulo", toLocation: "loja-rio", quantity: 2147483647 }) { replayed } }' },
    code: 'INVALID_QUANTITY',
  },
  {
    name: 'a safety stock of 2147483647',
    send: { query: 'mutation { setSafetyStock(input: { idempotencyKey: "corpus-safety-max", sku: "CAF-GRAOS-1KG", location: "cd-sao-paulo", quantity: 2147483647 }) { replayed } }' },
    code: 'INVALID_QUANTITY',
  },
  { name: 'a negative receipt', send: receive({ quantity: -1 }), code: 'INVALID_QUANTITY' },
  { name: 'a zero receipt', send: receive({ quantity: 0 }), code: 'INVALID_QUANTITY' },
  { name: 'a negative reservation line', send: reserve({}, { quantity: -5 }), code: 'INVALID_QUANTITY' },
  { name: 'a literal quantity past 32 bits', send: { query: 'mutation { receiveStock(input: { idempotencyKey: "corpus-2-31", sku: "CAF-GRAOS-1KG", location: "cd-sao-paulo", quantity: 2147483648 }) { replayed } }' }, code: 'GRAPHQL_VALIDATION_FAILED' },

  // Free text and NUL (finding 10)
  { name: 'a 900 KB reason', send: receive({ reason: 'x'.repeat(900_000) }), code: 'BAD_USER_INPUT', field: 'reason' },
  { name: 'a 201-character reference', send: receive({ reference: 'r'.repeat(201) }), code: 'BAD_USER_INPUT', field: 'reference' },
  { name: 'a 201-character idempotency key', send: receive({ idempotencyKey: 'k'.repeat(201) }), code: 'BAD_USER_INPUT', field: 'idempotencyKey' },
  { name: 'a 201-character order reference', send: reserve({ orderReference: 'o'.repeat(201) }), code: 'BAD_USER_INPUT', field: 'orderReference' },
  { name: 'a 201-character line reference', send: reserve({}, { lineReference: 'l'.repeat(201) }), code: 'BAD_USER_INPUT', field: 'lines[0].lineReference' },
  { name: 'a NUL in a reason', send: receive({ reason: 'broken\u0000box' }), code: 'BAD_USER_INPUT', field: 'input.reason' },
  { name: 'a NUL in a SKU', send: receive({ sku: 'CAF\u0000' }), code: 'BAD_USER_INPUT', field: 'input.sku' },
  { name: 'a NUL in a query argument', send: { query: '{ product(sku: "CAF-GRAOS-1KG\\u0000") { sku title totalAvailable } }' }, code: 'BAD_USER_INPUT', field: 'sku' },
  { name: 'a control character in a location id', send: receive({ location: 'cd-sao-paulo\r\n' }), code: 'BAD_USER_INPUT', field: 'location' },
  { name: 'a 10 KB SKU', send: receive({ sku: 'S'.repeat(10_000) }), code: 'BAD_USER_INPUT', field: 'sku' },

  // Injection-looking SKUs: parameterised SQL makes them plain unknown SKUs.
  ...INJECTION_SKUS.map((sku): BadInputCase => ({ name: `receiving SKU ${JSON.stringify(sku)}`, send: receive({ sku }), code: 'UNKNOWN_SKU' })),
  ...INJECTION_SKUS.map((sku): BadInputCase => ({ name: `reserving SKU ${JSON.stringify(sku)}`, send: reserve({}, { sku }), code: 'UNKNOWN_SKU' })),
  {
    name: 'registering injection-looking SKUs',
    send: { query: 'mutation($input: RegisterProductsInput!) { registerProducts(input: $input) { replayed } }', variables: { input: { idempotencyKey: 'corpus-register', skus: INJECTION_SKUS } } },
    code: 'BAD_USER_INPUT',
  },

  // Sizes of lists and pages
  // Refused at the gateway by the cost limit before any subgraph runs (the inventory's own bound on `first` is in integrity.test.ts).
  { name: 'a ledger page of 100000 rows', send: { query: '{ stockMovements(first: 100000) { id } }' }, code: 'OPERATION_LIMIT_EXCEEDED' },
  { name: 'a product page of -1', send: { query: '{ products(first: -1) { nodes { sku } } }' }, code: 'BAD_USER_INPUT', field: 'first' },
  { name: 'a reservation of 201 lines', send: reserve({ lines: Array.from({ length: 201 }, () => ({ sku: 'CAF-GRAOS-1KG', quantity: 1 })) }), code: 'BAD_USER_INPUT', field: 'lines' },
  {
    name: 'registering 1001 SKUs at once',
    send: { query: 'mutation($input: RegisterProductsInput!) { registerProducts(input: $input) { replayed } }', variables: { input: { idempotencyKey: 'corpus-register-many', skus: Array.from({ length: 1001 }, (_, index) => `NEW-${index}`) } } },
    code: 'BAD_USER_INPUT',
    field: 'skus',
  },
  { name: 'an empty idempotency key', send: receive({ idempotencyKey: '   ' }), code: 'BAD_USER_INPUT', field: 'idempotencyKey' },
  // Delivery CEPs (routing, issue 10): never a partial reservation, never a constraint error.
  ...['01310-10', '0131-0100', '00999-999', '01310_100', "01310-100' OR '1'='1", '０１３１０１００'].map((postalCode): BadInputCase => ({
    name: `a delivery CEP ${JSON.stringify(postalCode)}`, send: reserve({ deliverTo: { postalCode } }), code: 'BAD_USER_INPUT', field: 'deliverTo.postalCode',
  })),
  { name: 'a 10,000-character delivery CEP', send: reserve({ deliverTo: { postalCode: '0'.repeat(10_000) } }), code: 'BAD_USER_INPUT', field: 'deliverTo.postalCode' },
  { name: 'a delivery CEP with a NUL', send: reserve({ deliverTo: { postalCode: '01310\u0000100' } }), code: 'BAD_USER_INPUT', field: 'input.deliverTo.postalCode' },
  {
    name: 'a routing preference for an unknown channel',
    send: { query: 'mutation { setChannelRoutingPreference(input: { idempotencyKey: "corpus-pref-unknown", channel: "fax-machine", routingPreference: FEWEST_PARCELS }) { replayed } }' },
    code: 'UNKNOWN_CHANNEL',
  },

  // Unknown ids
  { name: 'an unknown location', send: receive({ location: 'moon' }), code: 'UNKNOWN_LOCATION' },
  { name: 'an unknown channel', send: reserve({ channel: 'fax-machine' }), code: 'UNKNOWN_CHANNEL' },
  {
    name: 'an unknown reservation',
    send: { query: 'mutation { releaseReservation(input: { idempotencyKey: "corpus-release-unknown", reservationId: "999999999" }) { replayed } }' },
    code: 'UNKNOWN_RESERVATION',
  },
  {
    name: 'a reservation id that is not a number',
    send: { query: 'mutation { fulfilReservation(input: { idempotencyKey: "corpus-fulfil-nan", reservationId: "1 OR 1=1" }) { replayed } }' },
    code: 'UNKNOWN_RESERVATION',
  },

  // Invalid variables: the gateway answers these itself, before any subgraph.
  {
    name: 'a string for an Int variable',
    send: { query: 'mutation($q: Int!) { receiveStock(input: { idempotencyKey: "corpus-var-1", sku: "CAF-GRAOS-1KG", location: "cd-sao-paulo", quantity: $q }) { replayed } }', variables: { q: 'ten' } },
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'an Int variable past 32 bits',
    send: { query: 'mutation($q: Int!) { receiveStock(input: { idempotencyKey: "corpus-var-2", sku: "CAF-GRAOS-1KG", location: "cd-sao-paulo", quantity: $q }) { replayed } }', variables: { q: 2_147_483_648 } },
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a missing required input',
    send: { query: 'mutation($input: ReceiveStockInput!) { receiveStock(input: $input) { replayed } }', variables: {} },
    code: 'BAD_USER_INPUT',
  },
  // Identity and authorization (finding 1): every request carries a credential, and a role does only what it may.
  { name: 'an anonymous receipt', send: { ...receive({}), headers: as('anonymous') }, code: 'UNAUTHENTICATED', status: 401 },
  { name: 'a receipt with an unknown API key', send: { ...receive({}), headers: { authorization: 'Bearer ponte_partner_not-a-key' } }, code: 'UNAUTHENTICATED', status: 401 },
  { name: "a storefront key's receipt", send: { ...receive({}), headers: as('storefront') }, code: 'FORBIDDEN', status: 403 },
  { name: "a storefront key's reservation", send: { ...reserve({}), headers: as('storefront') }, code: 'FORBIDDEN', status: 403 },
  { name: "partner A's receipt at partner B's warehouse", send: { ...receive({ location: '3pl-extrema' }), headers: as('partnerA') }, code: 'FORBIDDEN' },
  { name: "partner A's reservation on partner B's channel", send: { ...reserve({ channel: 'amazon-br' }), headers: as('partnerA') }, code: 'FORBIDDEN' },
  {
    name: "partner A's routing preference for partner B's channel",
    send: { query: 'mutation { setChannelRoutingPreference(input: { idempotencyKey: "corpus-pref-other", channel: "amazon-br", routingPreference: FEWEST_PARCELS }) { replayed } }', headers: as('partnerA') },
    code: 'FORBIDDEN',
  },
  { name: "an internal key's stock count", send: { query: 'mutation { setStock(input: { idempotencyKey: "corpus-internal-set", sku: "CAF-GRAOS-1KG", location: "cd-sao-paulo", quantity: 0 }) { replayed } }', headers: as('internal') }, code: 'FORBIDDEN', status: 403 },
  { name: "a partner reading the audit log", send: { query: '{ auditLog(first: 5) { nodes { id } } }', headers: as('partner') }, code: 'FORBIDDEN', status: 403 },
  { name: 'a partner creating an API key', send: { query: 'mutation { createApiKey(input: { name: "mine", role: admin }) { plaintextKey } }', headers: as('partner') }, code: 'FORBIDDEN', status: 403 },
  // Query limits before execution (findings 2 and 3).
  {
    name: 'a 22-level stockLevels/product nesting',
    send: { query: `{ product(sku: "CAF-GRAOS-1KG") { ${'stockLevels { product { '.repeat(11)}sku${' } }'.repeat(11)} } }` },
    code: 'OPERATION_LIMIT_EXCEEDED',
    status: 400,
  },
  { name: '1,000 aliases of a product page', send: { query: `{ ${Array.from({ length: 1000 }, (_, i) => `p${i}: product(sku: "CAF-GRAOS-1KG") { sku }`).join(' ')} }` }, code: 'OPERATION_LIMIT_EXCEEDED', status: 400 },
  {
    name: '11 receipts in one request',
    send: { query: `mutation { ${Array.from({ length: 11 }, (_, i) => `r${i}: receiveStock(input: { idempotencyKey: "corpus-many-${i}", sku: "CAF-GRAOS-1KG", location: "cd-sao-paulo", quantity: 1 }) { replayed }`).join(' ')} }` },
    code: 'OPERATION_LIMIT_EXCEEDED',
    status: 400,
  },
  { name: 'a 3 MB request body', send: (p) => gatewayPost(p, JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(3 * 1024 * 1024) } })), code: 'PAYLOAD_TOO_LARGE', status: 413 },
  // Malformed requests.
  { name: 'malformed JSON', send: (p) => gatewayPost(p, '{"query": "{ products { nodes { sku } } }"'), code: 'BAD_REQUEST', status: 400 },
  { name: 'a text/plain body', send: (p) => gatewayPost(p, 'mutation { receiveStock }', 'text/plain'), code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 },
  { name: 'a query that does not parse', send: { query: 'mutation { receiveStock(input: { ' }, code: 'GRAPHQL_PARSE_FAILED', status: 400 },
  { name: 'a field that does not exist', send: { query: '{ stockLevelz { sku } }' }, code: 'GRAPHQL_VALIDATION_FAILED', status: 400 },
];

let ponte: RunningPonte;

/** Everything a bad request must leave alone, read straight from the inventory's database. */
async function stockSnapshot() {
  const db = ponte.inventory.db;
  const [counts] = await db.query<{ keys: number; reservations: number; lines: number }>(
    'SELECT (SELECT count(*) FROM idempotency_keys)::int AS keys, (SELECT count(*) FROM reservations)::int AS reservations, (SELECT count(*) FROM reservation_lines)::int AS lines',
  );
  return { ...(await ledgerSnapshot(db)), ...counts! };
}

/** The same, as a client sees it through the gateway: the newest ledger rows and every level. */
async function gatewaySnapshot() {
  const result = await graphql(
    ponte.gatewayUrl,
    '{ stockMovements(first: 20) { id kind sku delta committedDelta incomingDelta safetyStockDelta reason reference } locations { id stockLevels { sku onHand committed safetyStock incoming version } } }',
  );
  expect(result.errors).toBeUndefined();
  return result.data;
}

async function send(row: BadInputCase): Promise<{ status: number; body: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } }> {
  if (typeof row.send === 'function') {
    const response = await row.send(ponte);
    return { status: response.status, body: (await response.json()) as never };
  }
  const { status, ...body } = await graphql(ponte.gatewayUrl, row.send.query, row.send.variables ?? {}, row.send.headers ?? {});
  return { status, body };
}

beforeAll(async () => {
  ponte = await startPonte();
  const [row] = await ponte.inventory.db.query<{ total: number }>('SELECT coalesce(sum(on_hand), 0)::int AS total FROM stock_levels WHERE sku = $1', [NEAR_CEILING_SKU]);
  await seedLevel(ponte.inventory.db, NEAR_CEILING_SKU, WAREHOUSE, { onHand: STOCK_CEILING - 5 - row!.total });
});
afterAll(async () => {
  await ponte?.close();
});

describe('bad-input corpus through the gateway', () => {
  for (const row of CORPUS) {
    const test = row.pendingOn ? it.fails : it;
    test(`${row.name}: ${row.code}${row.pendingOn ? ` (pending on ${row.pendingOn})` : ''}, nothing changed`, async () => {
      const before = { database: await stockSnapshot(), gateway: await gatewaySnapshot() };
      const { status, body } = await send(row);
      const error = body.errors?.[0];
      expect(error?.message, JSON.stringify(body).slice(0, 300)).toBeTruthy();
      expect(error?.extensions?.['code'], JSON.stringify(error)).toBe(row.code);
      if (row.field) expect(error?.extensions?.['field']).toBe(row.field);
      if (row.status) expect(status).toBe(row.status);
      for (const value of Object.values((body.data ?? {}) as Record<string, unknown>)) expect(value).toBeNull();
      expect(await stockSnapshot()).toEqual(before.database);
      expect(await gatewaySnapshot()).toEqual(before.gateway);
    });
  }
});

describe('one failure stays where it happened, through the gateway', () => {
  it("answers the README's first query while a SKU sits at the stock ceiling", async () => {
    const result = await graphql<{ products: { nodes: Array<{ sku: string; totalAvailable: number }> } }>(
      ponte.gatewayUrl,
      '{ products(first: 50) { nodes { sku title price { amountInCents currency } totalAvailable stockLevels { location { name } onHand committed available } availability(channel: "mercado-livre") { quantity } } } }',
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.products.nodes.find((node) => node.sku === NEAR_CEILING_SKU)).toMatchObject({ totalAvailable: expect.any(Number) });
    expect(result.data!.products.nodes.find((node) => node.sku === NEAR_CEILING_SKU)!.totalAvailable).toBeLessThanOrEqual(STOCK_CEILING);
  });

  it('keeps the aliases that committed when another alias of the same request fails', async () => {
    const result = await graphql<Record<string, { levels: Array<{ onHand: number }> } | null>>(
      ponte.gatewayUrl,
      `mutation {
        before: receiveStock(input: { idempotencyKey: "corpus-alias-1", sku: "CAF-GRAOS-1KG", location: "cd-sao-paulo", quantity: 2 }) { levels { onHand } }
        overflow: receiveStock(input: { idempotencyKey: "corpus-alias-2", sku: "${NEAR_CEILING_SKU}", location: "loja-rio", quantity: 6 }) { levels { onHand } }
        after: receiveStock(input: { idempotencyKey: "corpus-alias-3", sku: "CAF-GRAOS-1KG", location: "cd-sao-paulo", quantity: 3 }) { levels { onHand } }
      }`,
    );
    expect(result.data?.before).not.toBeNull();
    expect(result.data?.overflow).toBeNull();
    expect(result.data!.after!.levels[0]!.onHand).toBe(result.data!.before!.levels[0]!.onHand + 3);
    expect(result.errors).toEqual([expect.objectContaining({ path: ['overflow'], extensions: expect.objectContaining({ code: 'QUANTITY_LIMIT_EXCEEDED' }) })]);
  });
});

describe('subscriptions', () => {
  it('refuses a NUL in a subscription argument with BAD_USER_INPUT', async () => {
    const subscription = subscribe(ponte.gatewayUrl, 'subscription($channel: ID) { stockChanged(channel: $channel) { sku } }', { channel: 'shopify-br\u0000' });
    try {
      await expect(subscription.next()).rejects.toThrow(/BAD_USER_INPUT/);
    } finally {
      await subscription.close();
    }
  });
});
