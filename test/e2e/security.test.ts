import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_SECRET_HEADER } from '../../kit/subgraph-server.ts';
import { ledgerSnapshot } from '../../subgraphs/inventory/test-fixtures.ts';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createServiceFeed } from '../../kit/service-feed.ts';
import { InventoryClient, serviceHeaders } from '../../subgraphs/platform-common/inventory-client.ts';
import { as, graphql, startPonte, TEST_GATEWAY_SECRET, TEST_KEYS, TEST_SERVICE_KEYS, type RunningPonte } from '../support/ponte.ts';
import { subscribe } from '../support/subscriptions.ts';

/**
 * Security at the edge (issue 6): who may call, what each principal may touch, whose
 * idempotency keys are whose — through the gateway, over real sockets, every server on port 0.
 */
const JWT_SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';
const ISSUER = 'https://id.ponte.test';
const AUDIENCE = 'ponte';

let ponte: RunningPonte;
let jwksServer: Server;
let es256: { privateKey: CryptoKey; kid: string };
let keys = 0;
const key = (name: string) => `security-${name}-${++keys}`;

beforeAll(async () => {
  // An identity provider's JWKS endpoint, as the gateway would fetch it (`createRemoteJWKSet`).
  const pair = await generateKeyPair('ES256');
  es256 = { privateKey: pair.privateKey, kid: 'test-es256' };
  const jwks: { keys: JWK[] } = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: es256.kid, alg: 'ES256', use: 'sig' }] };
  jwksServer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
  ponte = await startPonte({ responseCache: {}, jwt: { hs256Secret: JWT_SECRET, jwksUrl, issuer: ISSUER, audience: AUDIENCE } });
});
afterAll(async () => {
  await ponte?.close();
  await new Promise((resolve) => jwksServer?.close(resolve));
});

const level = async (sku: string, location: string) => {
  const [row] = await ponte.inventory.db.query<{ onHand: number; committed: number }>('SELECT on_hand AS "onHand", committed FROM stock_levels WHERE sku = $1 AND location_id = $2', [sku, location]);
  return row ?? { onHand: 0, committed: 0 };
};
const receive = (idempotencyKey: string, sku: string, location: string, quantity: number) =>
  `mutation { receiveStock(input: { idempotencyKey: "${idempotencyKey}", sku: "${sku}", location: "${location}", quantity: ${quantity} }) { replayed levels { onHand } movements { actor } } }`;
const codeOf = (result: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => result.errors?.[0]?.extensions?.['code'];

describe('authentication', () => {
  it('refuses an anonymous query and mutation with 401 UNAUTHENTICATED, changing nothing', async () => {
    const query = await graphql(ponte.gatewayUrl, '{ product(sku: "CAM-BASICA-M") { title totalAvailable } }', {}, as('anonymous'));
    expect(query.status).toBe(401);
    expect(codeOf(query)).toBe('UNAUTHENTICATED');
    expect(query.data ?? null).toBeNull();

    const before = await ledgerSnapshot(ponte.inventory.db);
    const mutation = await graphql(ponte.gatewayUrl, receive(key('anonymous'), 'CAM-BASICA-M', 'loja-rio', 5), {}, as('anonymous'));
    expect(mutation.status).toBe(401);
    expect(codeOf(mutation)).toBe('UNAUTHENTICATED');
    expect(await ledgerSnapshot(ponte.inventory.db)).toEqual(before);
  });

  it('refuses an anonymous subscription, and accepts one with a key in the connection parameters', async () => {
    const anonymous = subscribe(ponte.gatewayUrl, 'subscription { stockChanged { sku } }', {}, { as: 'anonymous' });
    const refusal = await anonymous.next().then(() => 'delivered', (error: unknown) => JSON.stringify(error, Object.getOwnPropertyNames(error)));
    expect(refusal).toContain('UNAUTHENTICATED');
    await anonymous.close();

    const storefront = subscribe(ponte.gatewayUrl, 'subscription { stockChanged { sku } }', {}, { as: 'storefront' });
    expect(await storefront.next().then(() => 'delivered', (error: unknown) => JSON.stringify(error, Object.getOwnPropertyNames(error)))).toContain('FORBIDDEN');
    await storefront.close();

    const internal = subscribe<{ stockChanged: { sku: string } }>(ponte.gatewayUrl, 'subscription { stockChanged(skus: ["GAR-TERMICA-AZUL"]) { sku } }', {}, { as: 'internal' });
    await internal.started;
    // An event published before the upstream subscription is live is not replayed: on a busy
    // machine, change the stock again (once a second) until one arrives.
    let delivered: string | undefined;
    const event = internal.next(15_000).then((next) => (delivered = next.stockChanged.sku));
    for (let attempt = 0; attempt < 10 && !delivered; attempt++) {
      expect((await graphql(ponte.gatewayUrl, receive(key('sub'), 'GAR-TERMICA-AZUL', 'loja-rio', 1))).errors).toBeUndefined();
      await Promise.race([event, new Promise((resolve) => setTimeout(resolve, 1000))]);
    }
    await event;
    expect(delivered).toBe('GAR-TERMICA-AZUL');
    await internal.close();
  });

  it('refuses an unknown API key with 401, over HTTP and over graphql-ws', async () => {
    const result = await graphql(ponte.gatewayUrl, '{ locations { id } }', {}, { authorization: 'Bearer not-a-key' });
    expect(result.status).toBe(401);
    expect(codeOf(result)).toBe('UNAUTHENTICATED');
    const socket = await new Promise<number>((resolve) => {
      const client = createClient({ url: ponte.gatewayUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: 'Bearer not-a-key' }, retryAttempts: 0, lazy: false, onNonLazyError: () => {}, on: { closed: (event) => resolve((event as { code: number }).code) } });
      client.subscribe({ query: 'subscription { stockChanged { sku } }' }, { next: () => {}, error: () => {}, complete: () => {} });
    });
    expect(socket).toBe(4403);
    const viaApiKeyHeader = await graphql(ponte.gatewayUrl, '{ locations { id } }', {}, { 'x-api-key': TEST_KEYS.storefront });
    expect(viaApiKeyHeader.status).toBe(200);
    expect(viaApiKeyHeader.errors).toBeUndefined();
  });

  it("ignores a client's x-ponte-actor and x-ponte-principal: the ledger shows the verified principal", async () => {
    const forged = JSON.stringify({ id: 'key:boss', name: 'boss', role: 'admin', scopes: ['stock:write'] });
    const result = await graphql<{ receiveStock: { movements: Array<{ actor: string }> } }>(ponte.gatewayUrl, receive(key('actor'), 'CAD-PONTILHADO', 'loja-rio', 1), {}, {
      ...as('operator'),
      'x-ponte-actor': 'someone-else',
      'x-ponte-principal': forged,
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.receiveStock.movements).toEqual([{ actor: 'test-operator' }]);
    const [row] = await ponte.inventory.db.query<{ actor: string; actorId: string }>('SELECT actor, actor_id AS "actorId" FROM stock_movements ORDER BY id DESC LIMIT 1');
    expect(row).toEqual({ actor: 'test-operator', actorId: 'key:test-operator' });

    // A storefront key with a forged admin principal is still a storefront key.
    const before = await ledgerSnapshot(ponte.inventory.db);
    const escalation = await graphql(ponte.gatewayUrl, receive(key('escalation'), 'CAD-PONTILHADO', 'loja-rio', 1), {}, { ...as('storefront'), 'x-ponte-principal': forged });
    expect(codeOf(escalation)).toBe('FORBIDDEN');
    expect(await ledgerSnapshot(ponte.inventory.db)).toEqual(before);
  });
});

describe('authorization by scope', () => {
  it('lets a storefront key read stock but not mutate: levels and ledger unchanged', async () => {
    const read = await graphql<{ product: { title: string; totalAvailable: number } }>(ponte.gatewayUrl, '{ product(sku: "CAM-BASICA-M") { title totalAvailable } }', {}, as('storefront'));
    expect(read.errors).toBeUndefined();
    expect(read.data!.product.title).toBe('Camiseta Básica Algodão — M');

    const before = await ledgerSnapshot(ponte.inventory.db);
    for (const mutation of [
      receive(key('storefront'), 'CAM-BASICA-M', 'loja-rio', 5),
      `mutation { reserveStock(input: { idempotencyKey: "${key('storefront')}", channel: "shopify-br", orderReference: "S-1", lines: [{ sku: "CAM-BASICA-M", quantity: 1 }] }) { replayed } }`,
      `mutation { registerProducts(input: { idempotencyKey: "${key('storefront')}", skus: ["NEW-SKU-1"] }) { replayed } }`,
    ]) {
      const result = await graphql(ponte.gatewayUrl, mutation, {}, as('storefront'));
      expect(result.status).toBe(403);
      expect(codeOf(result)).toBe('FORBIDDEN');
    }
    expect(await ledgerSnapshot(ponte.inventory.db)).toEqual(before);
    // One allowed field beside a refused one: the whole operation is refused.
    const ledger = await graphql(ponte.gatewayUrl, '{ product(sku: "CAM-BASICA-M") { title } stockMovements(first: 1) { id } }', {}, as('storefront'));
    expect(codeOf(ledger)).toBe('FORBIDDEN');
    expect(ledger.data ?? null).toBeNull();
  });

  it('never serves a cached answer to a caller the fields are refused to', async () => {
    const query = '{ product(sku: "TEN-CORRIDA-41") { totalAvailable } }';
    expect((await graphql(ponte.gatewayUrl, query, {}, as('storefront'))).errors).toBeUndefined();
    expect((await graphql(ponte.gatewayUrl, query, {}, as('storefront'))).errors).toBeUndefined();
    const anonymous = await graphql(ponte.gatewayUrl, query, {}, as('anonymous'));
    expect(anonymous.status).toBe(401);
    expect(anonymous.data ?? null).toBeNull();
  });
});

describe('ownership where the data is', () => {
  const SKU = 'MOC-URBANA-PRETO';

  it("gives partner A FORBIDDEN on partner B's location, with nothing changed", async () => {
    const before = await ledgerSnapshot(ponte.inventory.db);
    const onB = await graphql(ponte.gatewayUrl, receive(key('a-on-b'), SKU, '3pl-extrema', 3), {}, as('partnerA'));
    expect(codeOf(onB)).toBe('FORBIDDEN');
    const transfer = await graphql(ponte.gatewayUrl, `mutation { transferStock(input: { idempotencyKey: "${key('a-transfer')}", sku: "${SKU}", fromLocation: "3pl-extrema", toLocation: "loja-rio", quantity: 1 }) { replayed } }`, {}, as('partnerA'));
    expect(codeOf(transfer)).toBe('FORBIDDEN');
    const reserveOnB = await graphql(ponte.gatewayUrl, `mutation { reserveStock(input: { idempotencyKey: "${key('a-reserve')}", channel: "amazon-br", orderReference: "A-1", lines: [{ sku: "${SKU}", quantity: 1 }] }) { replayed } }`, {}, as('partnerA'));
    expect(codeOf(reserveOnB)).toBe('FORBIDDEN');
    expect(await ledgerSnapshot(ponte.inventory.db)).toEqual(before);

    const own = await graphql(ponte.gatewayUrl, receive(key('a-own'), SKU, 'loja-rio', 2), {}, as('partnerA'));
    expect(own.errors).toBeUndefined();
  });

  it("gives partner A FORBIDDEN on partner B's reservation, with nothing changed", async () => {
    expect((await graphql(ponte.gatewayUrl, receive(key('b-stock'), SKU, '3pl-extrema', 5), {}, as('partnerB'))).errors).toBeUndefined();
    const reserved = await graphql<{ reserveStock: { reservation: { id: string; lines: Array<{ location: { id: string } }> } } }>(
      ponte.gatewayUrl,
      `mutation { reserveStock(input: { idempotencyKey: "${key('b-reserve')}", channel: "amazon-br", orderReference: "AMZ-1", lines: [{ sku: "${SKU}", quantity: 2 }] }) { reservation { id lines { location { id } } } } }`,
      {},
      as('partnerB'),
    );
    expect(reserved.errors).toBeUndefined();
    const reservation = reserved.data!.reserveStock.reservation;
    // Partner B holds only the 3PL: its reservation is taken there, not at the channel's other warehouse.
    expect(reservation.lines).toEqual([{ location: { id: '3pl-extrema' } }]);

    const before = await ledgerSnapshot(ponte.inventory.db);
    for (const action of ['releaseReservation', 'fulfilReservation']) {
      const result = await graphql(ponte.gatewayUrl, `mutation { ${action}(input: { idempotencyKey: "${key('a-close')}", reservationId: "${reservation.id}" }) { replayed } }`, {}, as('partnerA'));
      expect(codeOf(result)).toBe('FORBIDDEN');
    }
    expect(await ledgerSnapshot(ponte.inventory.db)).toEqual(before);
    const [row] = await ponte.inventory.db.query<{ status: string; createdBy: string }>('SELECT status, created_by AS "createdBy" FROM reservations WHERE id = $1::bigint', [reservation.id]);
    expect(row).toEqual({ status: 'OPEN', createdBy: 'key:test-partner-b' });

    const released = await graphql(ponte.gatewayUrl, `mutation { releaseReservation(input: { idempotencyKey: "${key('b-release')}", reservationId: "${reservation.id}" }) { reservation { status } } }`, {}, as('partnerB'));
    expect(released.data).toEqual({ releaseReservation: { reservation: { status: 'RELEASED' } } });
  });
});

describe('idempotency keys belong to their principal', () => {
  it('runs the same key from two principals as two operations, each replaying only its own', async () => {
    const shared = key('shared');
    const before = await level('VEL-AROMA', 'loja-rio');
    const first = await graphql<{ receiveStock: { replayed: boolean } }>(ponte.gatewayUrl, receive(shared, 'VEL-AROMA', 'loja-rio', 1), {}, as('partnerA'));
    const second = await graphql<{ receiveStock: { replayed: boolean; movements: Array<{ actor: string }> } }>(ponte.gatewayUrl, receive(shared, 'VEL-AROMA', 'loja-rio', 1), {}, as('operator'));
    expect(first.data!.receiveStock.replayed).toBe(false);
    expect(second.data!.receiveStock).toMatchObject({ replayed: false, movements: [{ actor: 'test-operator' }] });
    expect((await level('VEL-AROMA', 'loja-rio')).onHand).toBe(before.onHand + 2);

    const replay = await graphql<{ receiveStock: { replayed: boolean; movements: Array<{ actor: string }> } }>(ponte.gatewayUrl, receive(shared, 'VEL-AROMA', 'loja-rio', 1), {}, as('partnerA'));
    expect(replay.data!.receiveStock).toMatchObject({ replayed: true, movements: [{ actor: 'pdv-ipanema' }] });
    expect((await level('VEL-AROMA', 'loja-rio')).onHand).toBe(before.onHand + 2);
  });

  it("does not let a partner claim the key a platform subgraph will use for the next order", async () => {
    const orderKey = `shopify:gid://shopify/Order/${Date.now()}:1:reserve`;
    const squat = await graphql(
      ponte.gatewayUrl,
      `mutation { reserveStock(input: { idempotencyKey: "${orderKey}", channel: "shopify-br", orderReference: "squat", lines: [{ sku: "CAF-GRAOS-1KG", quantity: 1 }] }) { reservation { id } } }`,
      {},
      as('partner'),
    );
    expect(squat.errors).toBeUndefined();

    // The Shopify subgraph, with its own service key and no gateway secret, as in production.
    const shopify = new InventoryClient({ url: ponte.inventoryUrl, serviceKey: TEST_SERVICE_KEYS['shopify'] });
    const before = await level('CAF-GRAOS-1KG', 'cd-sao-paulo');
    const real = await shopify.reserve({ idempotencyKey: orderKey, channel: 'shopify-br', orderReference: 'gid://shopify/Order/1', lines: [{ sku: 'CAF-GRAOS-1KG', quantity: 2 }] });
    expect(real.reservationId).not.toBe((squat.data as { reserveStock: { reservation: { id: string } } }).reserveStock.reservation.id);
    expect((await level('CAF-GRAOS-1KG', 'cd-sao-paulo')).committed).toBe(before.committed + 2);
    const [row] = await ponte.inventory.db.query<{ actor: string; actorId: string }>('SELECT actor, actor_id AS "actorId" FROM stock_movements WHERE reservation_id = $1::bigint', [real.reservationId]);
    expect(row).toEqual({ actor: 'shopify', actorId: 'service:shopify' });
  });
});

describe('tokens (JWT)', () => {
  const MUTATION = (name: string) => receive(key(name), 'LIV-RECEITAS', 'loja-rio', 1);
  const hs256 = (claims: Record<string, unknown>, options: { secret?: string; expiresIn?: string | number } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('ana')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(new TextEncoder().encode(options.secret ?? JWT_SECRET));

  it('accepts an HS256 token and writes its subject to the ledger', async () => {
    const token = await hs256({ role: 'operator', name: 'Ana (operações)' });
    const result = await graphql<{ receiveStock: { movements: Array<{ actor: string }> } }>(ponte.gatewayUrl, MUTATION('hs256'), {}, { authorization: `Bearer ${token}` });
    expect(result.errors).toBeUndefined();
    expect(result.data!.receiveStock.movements).toEqual([{ actor: 'Ana (operações)' }]);
  });

  it('accepts an ES256 token verified with the JWKS served by the identity provider', async () => {
    const token = await new SignJWT({ role: 'storefront' })
      .setProtectedHeader({ alg: 'ES256', kid: es256.kid })
      .setSubject('loja-web')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(es256.privateKey);
    const read = await graphql(ponte.gatewayUrl, '{ product(sku: "LIV-RECEITAS") { title } }', {}, { authorization: `Bearer ${token}` });
    expect(read.errors).toBeUndefined();
    const write = await graphql(ponte.gatewayUrl, MUTATION('es256'), {}, { authorization: `Bearer ${token}` });
    expect(codeOf(write)).toBe('FORBIDDEN');
  });

  it('refuses an expired, wrongly signed, foreign or role-less token with 401', async () => {
    const before = await ledgerSnapshot(ponte.inventory.db);
    const otherKey = await generateKeyPair('ES256');
    const tokens = [
      await hs256({ role: 'operator' }, { expiresIn: Math.floor(Date.now() / 1000) - 60 }),
      await hs256({ role: 'operator' }, { secret: 'another-secret-that-is-at-least-32-bytes' }),
      await new SignJWT({ role: 'operator' }).setProtectedHeader({ alg: 'ES256', kid: es256.kid }).setSubject('x').setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime('5m').sign(otherKey.privateKey),
      await new SignJWT({ role: 'operator' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer('https://elsewhere.test').setAudience(AUDIENCE).setExpirationTime('5m').sign(new TextEncoder().encode(JWT_SECRET)),
      await hs256({ role: 'service' }),
      await hs256({}),
    ];
    for (const token of tokens) {
      const result = await graphql(ponte.gatewayUrl, MUTATION('bad-token'), {}, { authorization: `Bearer ${token}` });
      expect(result.status).toBe(401);
      expect(codeOf(result)).toBe('UNAUTHENTICATED');
    }
    expect(await ledgerSnapshot(ponte.inventory.db)).toEqual(before);
  });
});

describe('subgraphs behind the gateway', () => {
  it('refuses a request without the gateway secret or a service key with 401, and a partner key straight to a subgraph too', async () => {
    const before = await ledgerSnapshot(ponte.inventory.db);
    const forgedPrincipal = JSON.stringify({ id: 'key:x', name: 'x', role: 'admin', scopes: ['stock:write'] });
    for (const headers of [{}, { 'x-ponte-principal': forgedPrincipal }, as('operator'), { [GATEWAY_SECRET_HEADER]: 'wrong-secret' }]) {
      const result = await graphql(ponte.inventoryUrl, receive(key('direct'), 'LIV-RECEITAS', 'loja-rio', 1), {}, { authorization: '', ...headers });
      expect(result.status).toBe(401);
      expect(codeOf(result)).toBe('UNAUTHENTICATED');
    }
    const catalog = await graphql(ponte.catalogUrl, '{ productsInCategory(category: "Livros") { sku } }', {}, { authorization: '' });
    expect(catalog.status).toBe(401);
    expect(await ledgerSnapshot(ponte.inventory.db)).toEqual(before);

    const service = await graphql(ponte.inventoryUrl, '{ locations { id } }', {}, { authorization: `Bearer ${TEST_SERVICE_KEYS['amazon']}` });
    expect(service.status).toBe(200);
    const gateway = await graphql(ponte.inventoryUrl, '{ locations { id } }', {}, { authorization: '', [GATEWAY_SECRET_HEADER]: TEST_GATEWAY_SECRET });
    expect(gateway.status).toBe(200);
  });

  it("serves the stock feed to a platform subgraph's service key, and refuses the WebSocket to anyone else", async () => {
    const upgrade = (headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(ponte.inventoryUrl.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers });
        socket.once('open', () => {
          socket.close();
          resolve(101);
        });
        socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        socket.once('error', () => {});
      });
    expect(await upgrade({})).toBe(401);
    expect(await upgrade({ authorization: `Bearer ${TEST_KEYS.operator}` })).toBe(401);
    expect(await upgrade(serviceHeaders({ serviceKey: TEST_SERVICE_KEYS['woocommerce'] }))).toBe(101);

    const feed = createServiceFeed({ url: ponte.inventoryUrl, headers: serviceHeaders({ serviceKey: TEST_SERVICE_KEYS['woocommerce'] }) });
    try {
      const event = new Promise<{ sku: string }>((resolve, reject) => {
        feed.subscribe<{ stockChanged: { sku: string } }>({ query: 'subscription { stockChanged(skus: ["CAB-USBC"]) { sku } }' }, {
          next: (result) => result.data && resolve(result.data.stockChanged),
          error: reject,
          complete: () => {},
        });
      });
      // The upstream subscription starts a moment after the socket's ack.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await graphql(ponte.gatewayUrl, receive(key('feed'), 'CAB-USBC', 'loja-rio', 1));
      expect(await event).toEqual({ sku: 'CAB-USBC' });
    } finally {
      await feed.dispose();
    }
  });
});
