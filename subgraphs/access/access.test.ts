import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessServiceKeyResolver, hashApiKey } from '../../kit/api-key-resolver.ts';
import { createLogger } from '../../kit/logger.ts';
import { PRINCIPAL_HEADER, ROLE_SCOPES, type Principal } from '../../kit/principal.ts';
import { GATEWAY_SECRET_HEADER } from '../../kit/subgraph-server.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { eventually } from '../../test/support/eventually.ts';
import { createAccessSubgraph, type AccessSubgraph } from './index.ts';

const SECRET = 'access-test-secret';
const ADMIN: Principal = { id: 'key:admin-1', name: 'Root', role: 'admin', scopes: [...ROLE_SCOPES.admin] };
const OPERATOR: Principal = { id: 'key:op-1', name: 'Ops', role: 'operator', scopes: [...ROLE_SCOPES.operator] };

const KEY_FIELDS = 'id name role scopes channels locations displayPrefix createdAt createdBy revokedAt expiresAt lastUsedAt rotatedFrom active';
const CREATE = `mutation Create($input: CreateApiKeyInput!) { createApiKey(input: $input) { plaintextKey apiKey { ${KEY_FIELDS} } } }`;
const LIST = `query List($includeRevoked: Boolean) { apiKeys(includeRevoked: $includeRevoked) { ${KEY_FIELDS} } }`;
const REVOKE = `mutation Revoke($id: ID!) { revokeApiKey(id: $id) { ${KEY_FIELDS} } }`;
const ROTATE = `mutation Rotate($id: ID!, $grace: Int) { rotateApiKey(id: $id, graceSeconds: $grace) { plaintextKey apiKey { ${KEY_FIELDS} } } }`;
const AUDIT = `query Audit($filter: AuditLogFilter, $first: Int, $after: String) {
  auditLog(filter: $filter, first: $first, after: $after) { endCursor hasNextPage nodes { id occurredAt principalId principalRole operationType operationName rootFields variables outcome durationMs clientIp userAgent } }
}`;

type Result = { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, any> }> };

let testDb: TestDatabase;
let access: AccessSubgraph;
let baseUrl: string;
let resolveLookups = 0;

async function execute(query: string, variables: Record<string, unknown> = {}, principal: Principal | null = ADMIN): Promise<Result> {
  const headers: Record<string, string> = principal ? { [PRINCIPAL_HEADER]: JSON.stringify(principal) } : {};
  const response = await access.server.apollo.executeOperation({ query, variables }, { contextValue: access.context(headers) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as Result;
}

async function post(path: string, body: unknown, withSecret = true): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(withSecret ? { [GATEWAY_SECRET_HEADER]: SECRET } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

const resolveHash = (key: string, withSecret = true) => post('/internal/principals/resolve', { keyHash: hashApiKey(key) }, withSecret);

async function createKey(input: Record<string, unknown>): Promise<{ plaintextKey: string; apiKey: Record<string, any> }> {
  const result = await execute(CREATE, { input });
  expect(result.errors).toBeUndefined();
  return result.data!.createApiKey;
}

async function keyCount(): Promise<number> {
  const [row] = await access.db.query<{ count: number }>('SELECT count(*)::int AS count FROM api_keys');
  return row!.count;
}

beforeAll(async () => {
  testDb = await createTestDatabase('access', { onQuery: (sql) => (sql.includes('WITH found AS') ? resolveLookups++ : undefined) });
  access = await createAccessSubgraph({ database: testDb.db, log: createLogger('test'), gatewaySecret: SECRET });
  baseUrl = new URL(await access.server.listen(0, '127.0.0.1')).origin;
});

afterAll(async () => {
  await access?.close();
  await testDb?.drop();
});

describe('API keys through GraphQL', () => {
  it('creates a partner key limited to its channel and location, shows the key once, and lists it', async () => {
    const created = await createKey({ name: '3PL Sul', role: 'partner', channels: ['shopify-br'], locations: ['cd-sao-paulo'] });
    expect(created.plaintextKey).toMatch(/^ponte_partner_[A-Za-z0-9_-]{43}$/);
    expect(created.plaintextKey.startsWith(created.apiKey.displayPrefix)).toBe(true);
    expect(created.apiKey).toMatchObject({ name: '3PL Sul', role: 'partner', scopes: [...ROLE_SCOPES.partner], channels: ['shopify-br'], locations: ['cd-sao-paulo'], createdBy: ADMIN.id, active: true, revokedAt: null });

    const listed = await execute(LIST);
    const row = listed.data!.apiKeys.find((key: { id: string }) => key.id === created.apiKey.id);
    expect(row).toEqual(created.apiKey);
    expect(JSON.stringify(listed)).not.toContain(created.plaintextKey);
  });

  it('narrows scopes within the role, never beyond it', async () => {
    const narrowed = await createKey({ name: 'Vitrine leitura', role: 'storefront', scopes: ['catalog:read'] });
    expect(narrowed.apiKey.scopes).toEqual(['catalog:read']);
    const before = await keyCount();
    const widened = await execute(CREATE, { input: { name: 'Sneaky', role: 'storefront', scopes: ['stock:write'] } });
    expect(widened.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'scopes' });
    expect(await keyCount()).toBe(before);
  });

  it('refuses bad input with a code and creates nothing', async () => {
    const before = await keyCount();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: '', role: 'admin' }, 'name'],
      [{ name: 'x'.repeat(101), role: 'admin' }, 'name'],
      [{ name: 'bell\u0007', role: 'admin' }, 'name'],
      [{ name: 'Partner without limits', role: 'partner' }, 'channels'],
      [{ name: 'Bad channel', role: 'partner', channels: ["shopify'; DROP TABLE api_keys;--"] }, 'channels'],
      [{ name: 'Empty list', role: 'partner', channels: [] }, 'channels'],
      [{ name: 'Past', role: 'internal', expiresAt: '2001-01-01T00:00:00Z' }, 'expiresAt'],
      [{ name: 'Garbage date', role: 'internal', expiresAt: 'tomorrow' }, 'expiresAt'],
    ];
    for (const [input, field] of cases) {
      const result = await execute(CREATE, { input });
      expect(result.errors?.[0]?.extensions, JSON.stringify(input)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const unknownRole = await execute(CREATE, { input: { name: 'Root', role: 'superuser' } });
    expect(unknownRole.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await keyCount()).toBe(before);
  });

  it('answers anonymous callers UNAUTHENTICATED and non-admins FORBIDDEN, changing nothing', async () => {
    const before = await keyCount();
    expect((await execute(CREATE, { input: { name: 'x', role: 'admin' } }, null)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await execute(CREATE, { input: { name: 'x', role: 'admin' } }, OPERATOR)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await execute(LIST, {}, OPERATOR)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await execute(AUDIT, {}, null)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await keyCount()).toBe(before);
  });

  it('serves /graphql only with the gateway secret, and reads the principal the gateway forwards', async () => {
    const body = JSON.stringify({ query: 'query { apiKeys { id } }' });
    const refused = await fetch(`${baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', [PRINCIPAL_HEADER]: JSON.stringify(ADMIN) }, body });
    expect(refused.status).toBe(401);
    const answered = await fetch(`${baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', [GATEWAY_SECRET_HEADER]: SECRET, [PRINCIPAL_HEADER]: JSON.stringify(ADMIN) }, body });
    const result = (await answered.json()) as Result;
    expect(result.errors).toBeUndefined();
    expect(result.data!.apiKeys.length).toBeGreaterThan(0);
  });

  it('revokes: the key stops resolving, leaves the default list, and revoking again changes nothing', async () => {
    const { plaintextKey, apiKey } = await createKey({ name: 'Painel interno', role: 'internal' });
    expect((await resolveHash(plaintextKey)).status).toBe(200);
    const revoked = await execute(REVOKE, { id: apiKey.id });
    expect(revoked.data!.revokeApiKey).toMatchObject({ id: apiKey.id, active: false });
    expect(revoked.data!.revokeApiKey.revokedAt).not.toBeNull();
    expect(await resolveHash(plaintextKey)).toEqual({ status: 404, body: { error: { code: 'UNAUTHENTICATED' } } });

    const again = await execute(REVOKE, { id: apiKey.id });
    expect(again.data!.revokeApiKey.revokedAt).toBe(revoked.data!.revokeApiKey.revokedAt);
    const active = (await execute(LIST)).data!.apiKeys.map((key: { id: string }) => key.id);
    const all = (await execute(LIST, { includeRevoked: true })).data!.apiKeys.map((key: { id: string }) => key.id);
    expect(active).not.toContain(apiKey.id);
    expect(all).toContain(apiKey.id);
    expect((await execute(REVOKE, { id: 'no-such-key' })).errors?.[0]?.extensions?.code).toBe('UNKNOWN_API_KEY');
  });

  it('rotates with a grace period: both keys work until it ends, the successor keeps name, role and limits', async () => {
    const expiresAt = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString();
    const original = await createKey({ name: 'Shopify app', role: 'service', channels: ['shopify-br'], expiresAt });
    const rotated = await execute(ROTATE, { id: original.apiKey.id, grace: 3600 });
    expect(rotated.errors).toBeUndefined();
    const successor = rotated.data!.rotateApiKey;
    expect(successor.plaintextKey).not.toBe(original.plaintextKey);
    expect(successor.apiKey).toMatchObject({ name: 'Shopify app', role: 'service', channels: ['shopify-br'], rotatedFrom: original.apiKey.id, expiresAt, active: true });

    expect((await resolveHash(original.plaintextKey)).status).toBe(200);
    expect((await resolveHash(successor.plaintextKey)).body.principal).toMatchObject({ id: 'service:Shopify app', name: 'Shopify app', role: 'service', channels: ['shopify-br'] });
    // A successor acts as the same principal, so idempotency keys and ownership survive the rotation.
    expect((await resolveHash(original.plaintextKey)).body.principal.id).toBe('service:Shopify app');
    const partner = await createKey({ name: 'Parceiro rotativo', role: 'partner', locations: ['3pl-extrema'] });
    const partnerSuccessor = (await execute(ROTATE, { id: partner.apiKey.id, grace: 0 })).data!.rotateApiKey;
    expect((await resolveHash(partnerSuccessor.plaintextKey)).body.principal.id).toBe(`key:${partner.apiKey.id}`);
    const old = (await execute(LIST)).data!.apiKeys.find((key: { id: string }) => key.id === original.apiKey.id);
    const graceEnds = Date.parse(old.expiresAt) - Date.now();
    expect(graceEnds).toBeGreaterThan(3000 * 1000);
    expect(graceEnds).toBeLessThanOrEqual(3600 * 1000);

    // A key is rotated once; its successor is the one to rotate next.
    const twice = await execute(ROTATE, { id: original.apiKey.id, grace: 60 });
    expect(twice.errors?.[0]?.extensions?.code).toBe('API_KEY_NOT_ACTIVE');
  });

  it('rotates with no grace: the old key stops at once', async () => {
    const original = await createKey({ name: 'Operações', role: 'operator' });
    const rotated = await execute(ROTATE, { id: original.apiKey.id, grace: 0 });
    expect((await resolveHash(original.plaintextKey)).status).toBe(404);
    expect((await resolveHash(rotated.data!.rotateApiKey.plaintextKey)).status).toBe(200);
  });

  it('refuses a bad rotation and changes nothing', async () => {
    const original = await createKey({ name: 'Rotate me not', role: 'operator' });
    const before = await keyCount();
    for (const grace of [-1, 30 * 24 * 3600 + 1]) {
      expect((await execute(ROTATE, { id: original.apiKey.id, grace })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'graceSeconds' });
    }
    expect((await execute(ROTATE, { id: 'missing', grace: 10 })).errors?.[0]?.extensions?.code).toBe('UNKNOWN_API_KEY');
    await execute(REVOKE, { id: original.apiKey.id });
    expect((await execute(ROTATE, { id: original.apiKey.id, grace: 10 })).errors?.[0]?.extensions?.code).toBe('API_KEY_NOT_ACTIVE');
    expect(await keyCount()).toBe(before);
  });

  it('stores no key in the clear anywhere: only its hash', async () => {
    const { plaintextKey } = await createKey({ name: 'Needle', role: 'admin' });
    const secretPart = plaintextKey.slice('ponte_admin_'.length);
    await resolveHash(plaintextKey);
    const tables = await access.db.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, [access.db.schema]);
    expect(tables.map((table) => table.table_name)).toEqual(expect.arrayContaining(['api_keys', 'audit_log']));
    let dump = '';
    for (const { table_name } of tables) {
      const rows = await access.db.query<{ row: string }>(`SELECT t::text AS row FROM ${access.db.schema}.${table_name} t`);
      dump += rows.map((row) => row.row).join('\n');
    }
    expect(dump).toContain(hashApiKey(plaintextKey));
    expect(dump).not.toContain(secretPart);
  });
});

describe('POST /internal/principals/resolve', () => {
  it('refuses callers without the gateway secret', async () => {
    const { plaintextKey } = await createKey({ name: 'Loja', role: 'storefront' });
    expect(await resolveHash(plaintextKey, false)).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
  });

  it('answers the principal for an active key and marks it used; 404 for unknown or expired keys; 400 for a malformed body', async () => {
    const { plaintextKey, apiKey } = await createKey({ name: 'Parceiro Norte', role: 'partner', locations: ['3pl-extrema'] });
    const answer = await resolveHash(plaintextKey);
    expect(answer).toEqual({
      status: 200,
      body: { principal: { id: `key:${apiKey.id}`, name: 'Parceiro Norte', role: 'partner', scopes: [...ROLE_SCOPES.partner], locations: ['3pl-extrema'] }, expiresAt: null },
    });
    const used = (await execute(LIST)).data!.apiKeys.find((key: { id: string }) => key.id === apiKey.id);
    expect(used.lastUsedAt).not.toBeNull();
    // Within the minute, another lookup does not write again.
    await resolveHash(plaintextKey);
    expect((await execute(LIST)).data!.apiKeys.find((key: { id: string }) => key.id === apiKey.id).lastUsedAt).toBe(used.lastUsedAt);

    expect((await resolveHash('ponte_admin_' + 'A'.repeat(43))).status).toBe(404);
    await access.db.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [apiKey.id]);
    expect(await resolveHash(plaintextKey)).toEqual({ status: 404, body: { error: { code: 'UNAUTHENTICATED' } } });
    expect((await post('/internal/principals/resolve', { keyHash: 'not-a-hash' })).body.error.code).toBe('BAD_USER_INPUT');
    expect((await post('/internal/principals/resolve', '{oops')).status).toBe(400);
  });
});

describe('createAccessServiceKeyResolver', () => {
  it('caches answers, misses included, and sees a revoke once its TTL passes', async () => {
    const { plaintextKey, apiKey } = await createKey({ name: 'Cached', role: 'internal' });
    const longLived = createAccessServiceKeyResolver({ url: `${baseUrl}/graphql`, secret: SECRET, cacheTtlMs: 600_000, missTtlMs: 600_000 });
    const shortLived = createAccessServiceKeyResolver({ url: `${baseUrl}/graphql`, secret: SECRET, cacheTtlMs: 200 });

    const lookupsBefore = resolveLookups;
    const principals = await Promise.all([longLived.resolve(plaintextKey), longLived.resolve(plaintextKey), longLived.resolve(plaintextKey)]);
    expect(principals.every((principal) => principal?.id === `key:${apiKey.id}`)).toBe(true);
    expect(resolveLookups - lookupsBefore).toBe(1);

    const unknown = 'ponte_internal_' + 'B'.repeat(43);
    expect(await longLived.resolve(unknown)).toBeUndefined();
    expect(await longLived.resolve(unknown)).toBeUndefined();
    expect(resolveLookups - lookupsBefore).toBe(2);
    // Not a Ponte key at all: refused without asking.
    expect(await longLived.resolve('Bearer something')).toBeUndefined();
    expect(resolveLookups - lookupsBefore).toBe(2);

    expect(await shortLived.resolve(plaintextKey)).toMatchObject({ role: 'internal' });
    await execute(REVOKE, { id: apiKey.id });
    // The long-lived cache still answers from memory (that is the trade documented for cacheTtlMs)…
    expect(await longLived.resolve(plaintextKey)).toMatchObject({ id: `key:${apiKey.id}` });
    // …and the short-lived one stops accepting the key once its entry expires.
    await eventually(() => shortLived.resolve(plaintextKey), (principal) => principal === undefined, 'revoked key refused after the TTL');
  });

  it('rejects (rather than answering "unknown") when the access service refuses it', async () => {
    const { plaintextKey } = await createKey({ name: 'Wrong secret', role: 'internal' });
    const misconfigured = createAccessServiceKeyResolver({ url: baseUrl, secret: 'wrong' });
    await expect(misconfigured.resolve(plaintextKey)).rejects.toThrow(/401/);
  });
});

describe('the audit log', () => {
  const entry = (overrides: Record<string, unknown> = {}) => ({
    occurredAt: new Date().toISOString(),
    principalId: 'key:partner-a',
    principalRole: 'partner',
    operationType: 'mutation',
    operationName: 'Reserve',
    rootFields: ['reserveStock'],
    variables: { input: { sku: 'CAM-001-M', quantity: 2, customer: { email: 'maria@example.com', cpf: '123.456.789-09' } } },
    outcome: 'ok',
    durationMs: 12,
    clientIp: '203.0.113.9',
    userAgent: 'curl/8',
    ...overrides,
  });

  it('takes batches only with the gateway secret, refuses a malformed batch whole, and redacts what it stores', async () => {
    expect((await post('/internal/audit', { entries: [entry()] }, false)).status).toBe(401);
    const [before] = await access.db.query<{ count: number }>('SELECT count(*)::int AS count FROM audit_log');
    const refused = await post('/internal/audit', { entries: [entry(), entry({ operationType: 'delete' })] });
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'BAD_USER_INPUT' } } });
    expect((await post('/internal/audit', { entries: [] })).status).toBe(400);
    expect((await post('/internal/audit', 'null')).status).toBe(400);
    const [after] = await access.db.query<{ count: number }>('SELECT count(*)::int AS count FROM audit_log');
    expect(after!.count).toBe(before!.count);

    const accepted = await post('/internal/audit', {
      entries: [entry(), entry({ principalId: null, principalRole: null, operationName: null, rootFields: ['setStock'], outcome: 'UNAUTHENTICATED', variables: { apiKey: 'ponte_admin_x' } })],
    });
    expect(accepted).toEqual({ status: 202, body: { written: 2 } });

    const page = await execute(AUDIT, { first: 2 });
    const [refusedEntry, okEntry] = page.data!.auditLog.nodes;
    expect(refusedEntry).toMatchObject({ principalId: null, operationType: 'mutation', rootFields: ['setStock'], outcome: 'UNAUTHENTICATED' });
    expect(JSON.parse(refusedEntry.variables)).toEqual({ apiKey: '[redacted]' });
    expect(okEntry).toMatchObject({ principalId: 'key:partner-a', principalRole: 'partner', operationName: 'Reserve', outcome: 'ok', durationMs: 12, clientIp: '203.0.113.9', userAgent: 'curl/8' });
    expect(JSON.parse(okEntry.variables)).toEqual({ input: { sku: 'CAM-001-M', quantity: 2, customer: { email: '[redacted]', cpf: '[redacted]' } } });
  });

  it('filters by principal, operation, outcome and time, and pages with a cursor', async () => {
    const t0 = Date.parse('2030-01-01T00:00:00Z');
    const entries = Array.from({ length: 7 }, (_, i) =>
      entry({ occurredAt: new Date(t0 + i * 60_000).toISOString(), principalId: 'key:pager', operationName: i % 2 ? 'Adjust' : 'Receive', rootFields: [i % 2 ? 'adjustStock' : 'receiveStock'], outcome: i === 3 ? 'FORBIDDEN' : 'ok' }),
    );
    await post('/internal/audit', { entries });

    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page: Result = await execute(AUDIT, { filter: { principal: 'key:pager' }, first: 3, after });
      const connection = page.data!.auditLog;
      seen.push(...connection.nodes.map((node: { occurredAt: string }) => node.occurredAt));
      if (!connection.hasNextPage) break;
      after = connection.endCursor;
    }
    expect(seen).toEqual(entries.map((each) => each.occurredAt).reverse());

    const adjust = await execute(AUDIT, { filter: { principal: 'key:pager', operation: 'adjustStock' } });
    expect(adjust.data!.auditLog.nodes).toHaveLength(3);
    const forbidden = await execute(AUDIT, { filter: { principal: 'key:pager', outcome: 'FORBIDDEN' } });
    expect(forbidden.data!.auditLog.nodes.map((node: { occurredAt: string }) => node.occurredAt)).toEqual([entries[3]!.occurredAt]);
    const window = await execute(AUDIT, { filter: { principal: 'key:pager', since: entries[2]!.occurredAt, until: entries[5]!.occurredAt } });
    expect(window.data!.auditLog.nodes).toHaveLength(3);

    expect((await execute(AUDIT, { first: 0 })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect((await execute(AUDIT, { first: 201 })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await execute(AUDIT, { after: 'garbage' })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect((await execute(AUDIT, { filter: { since: 'yesterday' } })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('is append-only: UPDATE, DELETE and TRUNCATE raise and leave the entries as they were', async () => {
    await post('/internal/audit', { entries: [entry({ principalId: 'key:immutable' })] });
    const read = () => access.db.query<{ id: number; outcome: string }>(`SELECT id, outcome FROM audit_log WHERE principal_id = 'key:immutable'`);
    const before = await read();
    await expect(access.db.query(`UPDATE audit_log SET outcome = 'tampered' WHERE principal_id = 'key:immutable'`)).rejects.toThrow(/append-only/);
    await expect(access.db.query(`DELETE FROM audit_log WHERE principal_id = 'key:immutable'`)).rejects.toThrow(/append-only/);
    await expect(access.db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    expect(await read()).toEqual(before);
  });
});

describe('development bootstrap', () => {
  it('registers keys by hash, idempotently, and never in production mode', async () => {
    const hash = hashApiKey('ponte_storefront_' + 'C'.repeat(43));
    const bootstrapKeys = [{ name: 'Dev storefront', role: 'storefront', keyHash: hash, displayPrefix: 'ponte_storefront_CCCCCC' }];
    const again = await createAccessSubgraph({ database: testDb.db, log: createLogger('test'), bootstrapKeys });
    await again.server.apollo.stop();
    const third = await createAccessSubgraph({ database: testDb.db, log: createLogger('test'), bootstrapKeys });
    await third.server.apollo.stop();
    const rows = await access.db.query<{ name: string; created_by: string }>('SELECT name, created_by FROM api_keys WHERE key_hash = $1', [hash]);
    expect(rows).toEqual([{ name: 'Dev storefront', created_by: 'bootstrap' }]);

    const productionHash = hashApiKey('ponte_admin_' + 'D'.repeat(43));
    process.env.PONTE_MODE = 'production';
    try {
      const production = await createAccessSubgraph({ database: testDb.db, log: createLogger('test'), bootstrapKeys: [{ name: 'Dev admin', role: 'admin', keyHash: productionHash }] });
      await production.server.apollo.stop();
    } finally {
      delete process.env.PONTE_MODE;
    }
    expect(await access.db.query('SELECT 1 FROM api_keys WHERE key_hash = $1', [productionHash])).toEqual([]);
  });
});
