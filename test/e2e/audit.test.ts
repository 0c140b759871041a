import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRINCIPAL_HEADER, type Principal } from '../../kit/principal.ts';
import { eventually } from '../support/eventually.ts';
import { graphql, startPonte, TEST_GATEWAY_SECRET, type RunningPonte } from '../support/ponte.ts';
import { subscribe } from '../support/subscriptions.ts';

let ponte: RunningPonte;
let partnerKey: string;
let partnerId: string;
const ADMIN: Principal = { id: 'key:test-admin', name: 'Test admin', role: 'admin', scopes: ['admin'] };

async function auditEntries(filter: Record<string, unknown>): Promise<Array<Record<string, any>>> {
  const response = await ponte.access.server.apollo.executeOperation(
    { query: 'query($filter: AuditLogFilter) { auditLog(filter: $filter, first: 50) { nodes { principalId principalRole operationType operationName rootFields variables outcome durationMs clientIp userAgent } } }', variables: { filter } },
    { contextValue: ponte.access.context({ [PRINCIPAL_HEADER]: JSON.stringify(ADMIN) }) },
  );
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return (response.body.singleResult.data as { auditLog: { nodes: Array<Record<string, any>> } }).auditLog.nodes;
}

beforeAll(async () => {
  ponte = await startPonte({ responseCache: false });
  const created = await ponte.access.context({ [PRINCIPAL_HEADER]: JSON.stringify(ADMIN) }).keys.create({ name: '3PL Sul', role: 'partner', channels: ['shopify-br'], locations: ['cd-sao-paulo'] }, ADMIN.id);
  partnerKey = created.plaintextKey;
  partnerId = `key:${created.apiKey.id}`;
});

afterAll(async () => {
  await ponte?.close();
});

describe('the audit trail at the gateway', () => {
  it('records a mutation with its principal, redacted variables and outcome; not a successful query', async () => {
    const mutation = `mutation Receive($input: ReceiveStockInput!) { receiveStock(input: $input) { replayed } }`;
    const variables = { input: { idempotencyKey: 'audit-e2e-1', sku: 'VEL-AROMA', location: 'cd-sao-paulo', quantity: 1, reason: 'devolução de maria@example.com' } };
    const answer = await graphql(ponte.gatewayUrl, mutation, variables, { authorization: `Bearer ${partnerKey}`, 'user-agent': 'audit-test/1' });
    expect(answer.errors).toBeUndefined();
    await graphql(ponte.gatewayUrl, 'query ReadLevels { product(sku: "VEL-AROMA") { sku } }', {}, { authorization: `Bearer ${partnerKey}` });

    const entries = await eventually(() => auditEntries({ principal: partnerId }), (found) => found.length >= 1, 'the mutation audited');
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(entry).toMatchObject({ principalId: partnerId, principalRole: 'partner', operationType: 'mutation', operationName: 'Receive', rootFields: ['receiveStock'], outcome: 'ok', userAgent: 'audit-test/1', clientIp: expect.stringMatching(/127\.0\.0\.1/) });
    expect(JSON.parse(entry!.variables)).toEqual({ input: { ...variables.input, reason: 'devolução de [redacted]' } });
    expect((await auditEntries({ operation: 'ReadLevels' }))).toEqual([]);
  });

  it('records a request refused for its credential, as anonymous, and one a subgraph refused, with its principal', async () => {
    const refused = await graphql(ponte.gatewayUrl, 'query Levels { product(sku: "VEL-AROMA") { sku } }', {}, { authorization: 'Bearer ponte_partner_' + 'X'.repeat(43) });
    expect(refused.errors?.[0]?.extensions?.code, JSON.stringify(refused)).toBe("UNAUTHENTICATED");
    const anonymous = await eventually(() => auditEntries({ outcome: 'UNAUTHENTICATED', operation: 'Levels' }), (found) => found.length >= 1, 'the refused request audited');
    expect(anonymous[0]).toMatchObject({ principalId: null, operationType: 'query', operationName: 'Levels', rootFields: ['product'] });

    // The access subgraph refuses a partner its admin-only fields.
    const forbidden = await graphql(ponte.gatewayUrl, 'query PeekKeys { apiKeys { id } }', {}, { authorization: `Bearer ${partnerKey}` });
    expect(forbidden.errors?.[0]?.extensions?.code).toMatch(/UNAUTHENTICATED|FORBIDDEN/);
    const peek = await eventually(() => auditEntries({ operation: 'PeekKeys' }), (found) => found.length >= 1, 'the refused query audited');
    expect(peek[0]).toMatchObject({ principalId: partnerId, operationType: 'query', rootFields: ['apiKeys'] });
  });

  it('records a subscription when it starts', async () => {
    const subscription = subscribe(ponte.gatewayUrl, 'subscription Watch { stockChanged(skus: ["VEL-AROMA"]) { sku } }', {}, { as: 'internal' });
    await subscription.started;
    const entries = await eventually(() => auditEntries({ operation: 'Watch' }), (found) => found.length >= 1, 'the subscription audited');
    expect(entries[0]).toMatchObject({ operationType: 'subscription', rootFields: ['stockChanged'], outcome: 'ok', principalId: 'key:test-internal', principalRole: 'internal' });
    await subscription.close();
  });

  it('sends what is queued when the gateway closes', async () => {
    const audit = ponte.gateway.audit!;
    await graphql(ponte.gatewayUrl, `mutation Last { receiveStock(input: { idempotencyKey: "audit-e2e-last", sku: "VEL-AROMA", location: "cd-sao-paulo", quantity: 1 }) { replayed } }`, {}, { authorization: `Bearer ${partnerKey}` });
    await audit.dispose();
    expect(await auditEntries({ operation: 'Last' })).toHaveLength(1);
  });
});
