import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPonteGateway, type PonteGateway, type PonteGatewayOptions } from '../../gateway/index.ts';
import { useIdentity } from '../../gateway/plugins/use-identity.ts';
import { createLogger } from '../../kit/logger.ts';
import type { Principal } from '../../kit/principal.ts';
import { graphql, startPonte, TEST_GATEWAY_SECRET, TEST_KEYS, testApiKeys, type RunningPonte } from '../support/ponte.ts';
import { subscribe } from '../support/subscriptions.ts';

/**
 * The edge's limits through real gateways over the whole supergraph: each refusal happens before
 * anything executes, carries a code and a status, and changes nothing.
 */
let ponte: RunningPonte;
const extraGateways: PonteGateway[] = [];

beforeAll(async () => {
  // The response cache on, as in production: the limits must refuse before it walks anything.
  ponte = await startPonte();
});
afterAll(async () => {
  for (const gateway of extraGateways) await gateway.close();
  await ponte?.close();
});

/** Another gateway over the same subgraphs, with the options a test needs. */
async function gatewayWith(options: Partial<PonteGatewayOptions>): Promise<string> {
  const log = createLogger('test');
  const gateway = createPonteGateway({ supergraphSdl: ponte.supergraphSdl, log, subgraphSecret: TEST_GATEWAY_SECRET, identity: useIdentity({ apiKeys: testApiKeys, log }), responseCache: false, ...options });
  extraGateways.push(gateway);
  const url = await gateway.listen(0, '127.0.0.1');
  await gateway.responseCache?.ready;
  return url;
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** A raw POST, as the operator unless `headers` carry a credential of their own. */
const post = (url: string, body: BodyInit, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(url, { method: 'POST', headers: { ...bearer(TEST_KEYS.operator), ...headers }, body, duplex: 'half' } as RequestInit);

/** `stockLevels { product { stockLevels { product … } } }`, `levels` levels of stockLevels deep. */
function nestedStockLevels(levels: number): string {
  const selection = 'stockLevels { product { '.repeat(levels - 1) + 'stockLevels { onHand' + ' }'.repeat(2 * levels - 1);
  return `{ product(sku: "CAM-BASICA-M") { ${selection} } }`;
}

describe('limits before execution, with the response cache on', () => {
  it('refuses the 22-level nested stock query by its depth, and a small query meanwhile answers', async () => {
    const deep = graphql(ponte.gatewayUrl, nestedStockLevels(11));
    const small = graphql<{ product: { sku: string } }>(ponte.gatewayUrl, '{ product(sku: "CAM-BASICA-M") { sku } }');
    const [refused, answered] = await Promise.all([deep, small]);
    expect(refused.status).toBe(400);
    expect(refused.data ?? null).toBeNull();
    expect(refused.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'OPERATION_LIMIT_EXCEEDED', limit: 'maxDepth' }) })]);
    expect(answered.data).toEqual({ product: { sku: 'CAM-BASICA-M' } });
  });

  it('refuses a 50-level fragment chain by its depth', async () => {
    const fragments = Array.from({ length: 50 }, (_, level) =>
      level === 49 ? `fragment F${level} on Product { sku }` : `fragment F${level} on Product { stockLevels { product { ...F${level + 1} } } }`,
    );
    const result = await graphql(ponte.gatewayUrl, `{ product(sku: "CAM-BASICA-M") { ...F0 } } ${fragments.join(' ')}`);
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'OPERATION_LIMIT_EXCEEDED' });
  });

  it('refuses more aliases than allowed', async () => {
    const aliases = Array.from({ length: 20 }, (_, index) => `p${index}: product(sku: "CAM-BASICA-M") { sku }`).join(' ');
    const result = await graphql(ponte.gatewayUrl, `{ ${aliases} }`);
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'OPERATION_LIMIT_EXCEEDED', limit: 'maxAliases' });
  });

  it('refuses a document of more tokens than allowed', async () => {
    const skus = Array.from({ length: 1200 }, (_, index) => `"SKU-${index}"`).join(' ');
    const result = await graphql(ponte.gatewayUrl, `{ products(skus: [${skus}]) { nodes { sku } } }`);
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'OPERATION_LIMIT_EXCEEDED', limit: 'maxTokens' });
  });

  it('refuses a request of more than 10 mutation fields, and nothing of it commits', async () => {
    const level = async () => (await graphql<{ product: { totalAvailable: number } }>(ponte.gatewayUrl, '{ product(sku: "VEL-AROMA") { totalAvailable } }')).data!.product.totalAvailable;
    const before = await level();
    const receipts = Array.from({ length: 11 }, (_, index) => `r${index}: receiveStock(input: { idempotencyKey: "limits-many-${index}", sku: "VEL-AROMA", location: "loja-rio", quantity: 1 }) { replayed }`);
    const result = await graphql(ponte.gatewayUrl, `mutation { ${receipts.join(' ')} }`);
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'OPERATION_LIMIT_EXCEEDED', limit: 'maxMutationFields' });
    expect(await level()).toBe(before);
    const allowed = await graphql(ponte.gatewayUrl, `mutation { ${receipts.slice(0, 10).join(' ')} }`);
    expect(allowed.errors).toBeUndefined();
    expect(await level()).toBe(before + 10);
  });

  it('refuses by cost and by directives where those limits are set lower', async () => {
    const url = await gatewayWith({ operationLimits: { maxCost: 20, maxDirectives: 2 } });
    const costly = await graphql(url, '{ products(first: 5) { nodes { sku stockLevels { onHand committed available location { id name } } } } }');
    expect(costly.errors?.[0]?.extensions).toMatchObject({ code: 'OPERATION_LIMIT_EXCEEDED', limit: 'maxCost' });
    const directives = await graphql(url, '{ product(sku: "CAM-BASICA-M") { sku @include(if: true) title @include(if: true) brand @skip(if: false) } }');
    expect(directives.errors?.[0]?.extensions).toMatchObject({ code: 'OPERATION_LIMIT_EXCEEDED', limit: 'maxDirectives' });
  });

  it('refuses a body of more than 2 MiB with 413, whether its length is declared or streamed', async () => {
    const big = JSON.stringify({ query: '{ locations { id } }', variables: { padding: 'x'.repeat(3 * 1024 * 1024) } });
    const declared = await post(ponte.gatewayUrl, big);
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('PAYLOAD_TOO_LARGE');
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < bytes.length; offset += 64 * 1024) controller.enqueue(bytes.subarray(offset, offset + 64 * 1024));
        controller.close();
      },
    });
    const streamed = await post(ponte.gatewayUrl, stream);
    expect(streamed.status).toBe(413);
    const small = await post(ponte.gatewayUrl, new Blob([JSON.stringify({ query: '{ locations { id } }' })]).stream());
    expect(small.status).toBe(200);
  });
});

describe('the response cache on results the limits allow', () => {
  it('answers a result too large to cache correctly every time, and still caches small ones', async () => {
    const url = await gatewayWith({ responseCache: { maxResultObjects: 50 } });
    const gateway = extraGateways.at(-1)!;
    const LARGE = '{ products(first: 20) { nodes { sku stockLevels { onHand location { id } product { sku } } } } }';
    const first = await graphql<{ products: { nodes: Array<{ sku: string; stockLevels: unknown[] }> } }>(url, LARGE);
    expect(first.errors).toBeUndefined();
    expect(first.data!.products.nodes).toHaveLength(20);
    const hitsBefore = gateway.responseCache!.stats().hits;
    const second = await graphql(url, LARGE);
    expect(second.data).toEqual(first.data);
    expect(gateway.responseCache!.stats().hits).toBe(hitsBefore);
    const SMALL = '{ product(sku: "CAM-BASICA-M") { sku totalAvailable } }';
    await graphql(url, SMALL);
    await graphql(url, SMALL);
    expect(gateway.responseCache!.stats().hits).toBe(hitsBefore + 1);
  });

  it('does not store a mutation\'s answer: the same mutation sent twice runs twice', async () => {
    const level = async () => (await graphql<{ product: { totalAvailable: number } }>(ponte.gatewayUrl, '{ product(sku: "CAF-GRAOS-1KG") { totalAvailable } }')).data!.product.totalAvailable;
    const before = await level();
    const adjust = 'mutation($key: String!) { adjustStock(input: { idempotencyKey: $key, sku: "CAF-GRAOS-1KG", location: "loja-rio", delta: 1, reason: "count" }) { replayed } }';
    const once = await graphql<{ adjustStock: { replayed: boolean } }>(ponte.gatewayUrl, adjust, { key: 'limits-replay' });
    const again = await graphql<{ adjustStock: { replayed: boolean } }>(ponte.gatewayUrl, adjust, { key: 'limits-replay' });
    expect(once.data!.adjustStock.replayed).toBe(false);
    // Served by the inventory's idempotency (replayed: true), not by a cached copy of the first answer.
    expect(again.data!.adjustStock.replayed).toBe(true);
    expect(await level()).toBe(before + 1);
  });
});

describe('request errors carry a code and a status', () => {
  const send = async (body: string, contentType = 'application/json') => {
    const response = await post(ponte.gatewayUrl, body, { 'content-type': contentType });
    const text = await response.text();
    return { status: response.status, body: JSON.parse(text) as { errors: Array<{ message: string; extensions: Record<string, unknown> }> } };
  };

  it.each([
    ['a parse error', JSON.stringify({ query: '{ product(sku: ' }), 'GRAPHQL_PARSE_FAILED'],
    ['a validation error', JSON.stringify({ query: '{ produt(sku: "x") { sku } }' }), 'GRAPHQL_VALIDATION_FAILED'],
    ['a variable of the wrong type', JSON.stringify({ query: 'query($s: ID!) { product(sku: $s) { sku } }', variables: { s: { a: 1 } } }), 'BAD_USER_INPUT'],
    ['a missing variable', JSON.stringify({ query: 'query($s: ID!) { product(sku: $s) { sku } }' }), 'BAD_USER_INPUT'],
    ['malformed JSON', '{"query": ', 'BAD_REQUEST'],
    ['no query', '{}', 'BAD_REQUEST'],
  ])('%s: 400 with its code', async (_name, body, code) => {
    const result = await send(body);
    expect(result.status).toBe(400);
    expect(result.body.errors[0]!.extensions.code).toBe(code);
  });

  it('a body in a content type the gateway does not read: 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const result = await send('query { locations { id } }', 'text/plain');
    expect(result.status).toBe(415);
    expect(result.body.errors[0]!.extensions.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('development and production mode', () => {
  it('development: introspection and "did you mean" on', async () => {
    const introspection = await graphql(ponte.gatewayUrl, '{ __schema { queryType { name } } }');
    expect(introspection.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const typo = await graphql(ponte.gatewayUrl, '{ produt(sku: "x") { sku } }');
    expect(typo.errors?.[0]?.message).toContain('Did you mean');
  });

  it('production: introspection and "did you mean" off', async () => {
    const url = await gatewayWith({ production: true });
    const introspection = await graphql(url, '{ __schema { queryType { name } } }');
    expect(introspection.data ?? null).toBeNull();
    expect(introspection.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const typo = await graphql(url, '{ produt(sku: "x") { sku } }');
    expect(typo.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(typo.errors?.[0]?.message).not.toContain('Did you mean');
    expect(typo.errors?.[0]?.message).not.toContain('product');
  });
});

describe('CORS', () => {
  const preflight = (url: string, origin: string) =>
    fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });

  it('development: localhost origins only, never with credentials', async () => {
    const local = await preflight(ponte.gatewayUrl, 'http://localhost:5173');
    expect(local.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(local.headers.get('access-control-allow-credentials')).toBeNull();
    const evil = await preflight(ponte.gatewayUrl, 'https://evil.example');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const read = await fetch(ponte.gatewayUrl, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json', ...bearer(TEST_KEYS.operator) }, body: JSON.stringify({ query: '{ locations { id } }' }) });
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
    expect(read.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('production: the allowlist only; without one, no cross-origin at all', async () => {
    const none = await gatewayWith({ production: true });
    expect((await preflight(none, 'http://localhost:5173')).headers.get('access-control-allow-origin')).toBeNull();
    const listed = await gatewayWith({ production: true, corsOrigins: ['https://loja.example'] });
    const allowed = await preflight(listed, 'https://loja.example');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://loja.example');
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    expect((await preflight(listed, 'https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('rate limits per caller', () => {
  const QUERY = '{ locations { id } }';

  it('answers 429 with Retry-After past the limit, counting each principal on its own', async () => {
    const url = await gatewayWith({ rateLimit: { points: 3, windowSeconds: 60 }, responseCache: {} });
    for (let request = 0; request < 3; request++) expect((await graphql(url, QUERY, {}, bearer(TEST_KEYS.partnerA))).status).toBe(200);
    const refused = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(TEST_KEYS.partnerA) }, body: JSON.stringify({ query: QUERY }) });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('RATE_LIMITED');
    expect((await graphql(url, QUERY, {}, bearer(TEST_KEYS.partnerB))).status).toBe(200);
  });

  it('counts operations sent over graphql-ws too', async () => {
    const url = await gatewayWith({ rateLimit: { points: 2, windowSeconds: 60 } });
    const { createClient } = await import('graphql-ws');
    const WebSocket = (await import('ws')).default;
    const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: bearer(TEST_KEYS.operator) });
    const run = async () => (await client.iterate({ query: QUERY })[Symbol.asyncIterator]().next()).value as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
    try {
      expect((await run()).data).toBeDefined();
      expect((await run()).data).toBeDefined();
      expect((await run()).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    } finally {
      await client.dispose();
    }
  });

  it('shares the count between replicas through Redis', async () => {
    const rateLimit = { points: 4, windowSeconds: 60, redisUrl: 'redis://127.0.0.1:6379', keyPrefix: `ponte-rate-test-${process.pid}-${Date.now()}` };
    const replicaA = await gatewayWith({ rateLimit });
    const replicaB = await gatewayWith({ rateLimit });
    const headers = bearer(TEST_KEYS.storefront);
    for (const url of [replicaA, replicaB, replicaA, replicaB]) expect((await graphql(url, QUERY, {}, headers)).status).toBe(200);
    expect((await graphql(replicaA, QUERY, {}, headers)).status).toBe(429);
    expect((await graphql(replicaB, QUERY, {}, headers)).status).toBe(429);
  });
});

describe('subscription limits', () => {
  it('refuses a subscription past the cap on one socket, and frees its slot when one ends', async () => {
    const url = await gatewayWith({ subscriptionLimits: { maxPerConnection: 2, maxPerPrincipal: 50 } });
    const { createClient } = await import('graphql-ws');
    const WebSocket = (await import('ws')).default;
    const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: bearer(TEST_KEYS.operator) });
    const QUERY = 'subscription { stockChanged(skus: ["LIV-RECEITAS"]) { sku } }';
    const open = () => {
      const iterator = client.iterate({ query: QUERY })[Symbol.asyncIterator]();
      return { iterator, first: iterator.next() };
    };
    try {
      const one = open();
      const two = open();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const three = open();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await one.iterator.return?.();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const four = open();
      // The upstream subscription is set up a moment after the operation starts; give it that moment.
      await new Promise((resolve) => setTimeout(resolve, 800));
      await ponte.inventory.service.receiveStock({ idempotencyKey: `limits-sub-${Date.now()}`, sku: 'LIV-RECEITAS', location: 'loja-rio', quantity: 1 }, { name: 'test' });
      expect((await four.first).value).toEqual({ data: { stockChanged: { sku: 'LIV-RECEITAS' } } });
      expect((await two.first).value).toEqual({ data: { stockChanged: { sku: 'LIV-RECEITAS' } } });
      expect((await three.first).value).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } })] });
    } finally {
      await client.dispose();
    }
  });

  it('refuses a subscription past the cap per caller, across sockets', async () => {
    const url = await gatewayWith({ subscriptionLimits: { maxPerConnection: 10, maxPerPrincipal: 2 } });
    const QUERY = 'subscription { stockChanged(skus: ["LIV-RECEITAS"]) { sku } }';
    const first = subscribe(url, QUERY);
    const second = subscribe(url, QUERY);
    await Promise.all([first.started, second.started]);
    const third = subscribe(url, QUERY);
    await expect(third.next()).rejects.toThrow('TOO_MANY_SUBSCRIPTIONS');
    await Promise.all([first.close(), second.close(), third.close()]);
  });
});

describe('persisted operations for storefronts', () => {
  const PAGE = '{ product(sku: "CAM-BASICA-M") { sku title } }';
  const PAGE_HASH = 'c0ffee';

  it('a storefront runs only operations on the allowlist; other callers run anything', async () => {
    const url = await gatewayWith({ persistedOperations: { operations: { [PAGE_HASH]: PAGE } } });
    const storefront = bearer(TEST_KEYS.storefront);
    const byHash = await post(url, JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: PAGE_HASH } } }), { 'content-type': 'application/json', ...storefront });
    expect(await byHash.json()).toEqual({ data: { product: { sku: 'CAM-BASICA-M', title: expect.any(String) } } });
    expect((await graphql(url, PAGE, {}, storefront)).data).toEqual({ product: { sku: 'CAM-BASICA-M', title: expect.any(String) } });
    const arbitrary = await graphql(url, '{ locations { id } }', {}, storefront);
    expect(arbitrary.status).toBe(403);
    expect(arbitrary.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_REQUIRED');
    const unknown = await post(url, JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: 'nope' } } }), { 'content-type': 'application/json', ...storefront });
    expect(unknown.status).toBe(400);
    expect((await graphql(url, '{ locations { id } }', {}, bearer(TEST_KEYS.internal))).errors).toBeUndefined();
  });
});
