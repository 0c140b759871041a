import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse, type ExecutionResult } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../kit/logger.ts';
import type { Principal } from '../../kit/principal.ts';
import { GATEWAY_SECRET_HEADER } from '../../kit/subgraph-server.ts';
import { eventually } from '../../test/support/eventually.ts';
import { useAudit, type Audit, type AuditEntry } from './use-audit.ts';

/** A stand-in for the access subgraph's audit route that answers each POST with the next status. */
async function startAuditRoute(statuses: number[] = []): Promise<{ url: string; batches: AuditEntry[][]; attempts: number; secrets: Array<string | undefined>; server: Server }> {
  const state = { batches: [] as AuditEntry[][], attempts: 0, secrets: [] as Array<string | undefined> };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      state.attempts++;
      state.secrets.push(req.headers[GATEWAY_SECRET_HEADER] as string | undefined);
      const status = statuses.shift() ?? 202;
      if (status === 202) state.batches.push((JSON.parse(Buffer.concat(chunks).toString()) as { entries: AuditEntry[] }).entries);
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return Object.assign(state, { url, server });
}

const PARTNER: Principal = { id: 'key:p1', name: '3PL Sul', role: 'partner', scopes: ['stock:write'] };
const servers: Server[] = [];
const audits: Audit[] = [];

afterEach(async () => {
  await Promise.all(audits.splice(0).map((audit) => audit.dispose()));
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** Runs one operation through the plugin's execution hooks, as the gateway runtime does. */
function execute(audit: Audit, query: string, result: ExecutionResult, options: { principal?: Principal; variables?: Record<string, unknown> } = {}): void {
  const request = new Request('http://gateway/graphql', { method: 'POST', headers: { 'user-agent': 'unit/1' } });
  const hooks = (audit.plugin.onExecute as (payload: unknown) => { onExecuteDone?: (payload: unknown) => void } | void)({
    args: { document: parse(query), operationName: undefined, variableValues: options.variables ?? {}, contextValue: { principal: options.principal, request, req: { socket: { remoteAddress: '198.51.100.7' } } } },
  });
  hooks?.onExecuteDone?.({ result });
}

function start(url: string, more: Partial<Parameters<typeof useAudit>[0]> = {}): Audit {
  const audit = useAudit({ accessUrl: url, secret: 'audit-secret', log: createLogger('test'), ...more });
  audits.push(audit);
  return audit;
}

describe('useAudit', () => {
  it('records mutations and refused requests with the principal and redacted variables, not successful queries', async () => {
    const route = await startAuditRoute();
    servers.push(route.server);
    const audit = start(route.url);
    execute(audit, 'mutation Receive($input: ReceiveStockInput!) { a: receiveStock(input: $input) { replayed } b: receiveStock(input: $input) { replayed } }', { data: {} }, { principal: PARTNER, variables: { input: { sku: 'X', customerEmail: 'a@b.co' } } });
    execute(audit, 'query Read { products { nodes { sku } } }', { data: {} }, { principal: PARTNER });
    execute(audit, 'query Peek { apiKeys { id } }', { data: null, errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }] as never }, { principal: PARTNER });
    execute(audit, 'mutation Bulk($input: RegisterProductsInput!) { registerProducts(input: $input) { replayed } }', { data: {} }, { variables: { input: { skus: Array.from({ length: 2000 }, (_, i) => `SKU-${i}`) } } });
    execute(audit, 'mutation { setStock(input: {}) { replayed } }', { data: null, errors: [{ message: 'bad', extensions: { code: 'INSUFFICIENT_STOCK' } }, { message: 'x', extensions: { code: 'BAD_USER_INPUT' } }] as never });
    await audit.flush();

    const entries = route.batches.flat();
    expect(entries.map((entry) => entry.operationName)).toEqual(['Receive', 'Peek', 'Bulk', null]);
    expect(entries[0]).toMatchObject({ principalId: 'key:p1', principalRole: 'partner', operationType: 'mutation', rootFields: ['receiveStock'], outcome: 'ok', variables: { input: { sku: 'X', customerEmail: '[redacted]' } }, clientIp: '198.51.100.7', userAgent: 'unit/1' });
    expect(entries[1]).toMatchObject({ operationType: 'query', outcome: 'FORBIDDEN', rootFields: ['apiKeys'] });
    // Too large to keep: a marker, so a full batch stays within the access subgraph's body limit.
    expect(entries[2]!.variables).toEqual({ '[truncated]': true });
    expect(entries[3]).toMatchObject({ principalId: null, operationType: 'mutation', outcome: 'BAD_USER_INPUT,INSUFFICIENT_STOCK', rootFields: ['setStock'] });
    expect(route.secrets.every((secret) => secret === 'audit-secret')).toBe(true);
  });

  it('sends a full batch at once and the rest on its timer, in batches of at most maxBatch', async () => {
    const route = await startAuditRoute();
    servers.push(route.server);
    const audit = start(route.url, { maxBatch: 100, flushIntervalMs: 50 });
    for (let i = 0; i < 250; i++) execute(audit, `mutation M${i} { adjustStock(input: {}) { replayed } }`, { data: {} });
    await eventually(async () => route.batches.flat().length, (count) => count === 250, 'all 250 entries delivered');
    expect(route.batches.map((batch) => batch.length)).toEqual([100, 100, 50]);
  });

  it('retries a batch the access subgraph could not take, and drops one it refuses as malformed', async () => {
    const route = await startAuditRoute([503, 503, 400]);
    servers.push(route.server);
    const audit = start(route.url);
    execute(audit, 'mutation Kept { receiveStock(input: {}) { replayed } }', { data: {} });
    await audit.flush();
    // Two failures, then refused (400): not retried, dropped.
    expect(route.attempts).toBe(3);
    expect(route.batches).toEqual([]);
    execute(audit, 'mutation Next { receiveStock(input: {}) { replayed } }', { data: {} });
    await audit.flush();
    expect(route.batches.flat().map((entry) => entry.operationName)).toEqual(['Next']);
  });

  it('keeps entries through an outage within its attempts, and sends what is queued on dispose', async () => {
    const route = await startAuditRoute([503, 503, 503]);
    servers.push(route.server);
    const audit = start(route.url, { flushIntervalMs: 60_000 });
    execute(audit, 'mutation Late { receiveStock(input: {}) { replayed } }', { data: {} });
    await audit.dispose();
    expect(route.batches.flat().map((entry) => entry.operationName)).toEqual(['Late']);
  });

  it('checks its options at construction', () => {
    expect(() => useAudit({ accessUrl: '', secret: 's', log: createLogger('test') })).toThrow(/access subgraph url/);
  });
});
