import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePrincipal } from '../../kit/identity.ts';
import { createLogger } from '../../kit/logger.ts';
import { PRINCIPAL_HEADER } from '../../kit/principal.ts';
import { GATEWAY_SECRET_HEADER } from '../../kit/subgraph-server.ts';
import { INSIGHTS_SDL_PATH } from '../../subgraphs/insights/index.ts';
import { TEST_GATEWAY_SECRET, TEST_KEYS, TEST_PRINCIPALS, testApiKeys } from '../../test/support/ponte.ts';
import { composeSupergraph } from '../compose.ts';
import { createPonteGateway, type PonteGateway } from '../index.ts';
import { useIdentity } from './use-identity.ts';

/**
 * The export route's proxying, against a stand-in for the insights service that holds its answer
 * open after the first row until the test has read that row through the gateway: an answer the
 * gateway buffered would never arrive, so the test cannot pass without streaming. (The real
 * service, with real keys, is exercised in test/e2e/insights.test.ts.)
 */
let gateway: PonteGateway;
let gatewayUrl: string;
/** The same, waiting 200 ms at most for the service to start answering. */
let impatient: PonteGateway;
let impatientUrl: string;
const received: Array<{ url: string | undefined; headers: IncomingHttpHeaders }> = [];
let held: ServerResponse | undefined;
const silent: ServerResponse[] = [];
const service = createServer((req, res) => {
  received.push({ url: req.url, headers: req.headers });
  if (req.url?.startsWith('/insights/held.csv')) {
    res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8; header=present', 'content-disposition': 'attachment; filename="held.csv"', 'x-internal': 'not for callers' });
    res.write('sku,units\r\n');
    held = res;
    return;
  }
  if (req.url?.startsWith('/insights/failing.csv')) {
    res.writeHead(500, { 'content-type': 'application/json' }).end('{"errors":[{"message":"Internal server error"}]}');
    return;
  }
  if (req.url?.startsWith('/insights/silent.csv')) {
    silent.push(res);
    return;
  }
  res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"message":"Not found"}]}');
});
const internal = { authorization: `Bearer ${TEST_KEYS.internal}` };

beforeAll(async () => {
  await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
  const insightsUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}/graphql`;
  const log = createLogger('test');
  const supergraphSdl = composeSupergraph([{ name: 'insights', url: insightsUrl, sdl: readFileSync(INSIGHTS_SDL_PATH, 'utf8') }]);
  gateway = createPonteGateway({ supergraphSdl, log, subgraphSecret: TEST_GATEWAY_SECRET, identity: useIdentity({ apiKeys: testApiKeys, log }), responseCache: false, audit: false });
  gatewayUrl = await gateway.listen(0, '127.0.0.1');
  impatient = createPonteGateway({ supergraphSdl, log, subgraphSecret: TEST_GATEWAY_SECRET, identity: useIdentity({ apiKeys: testApiKeys, log }), responseCache: false, audit: false, subgraphTimeoutMs: 200 });
  impatientUrl = await impatient.listen(0, '127.0.0.1');
});
afterAll(async () => {
  held?.end();
  for (const res of silent) res.end();
  await gateway?.close();
  await impatient?.close();
  await new Promise<void>((resolve) => service.close(() => resolve()));
});

describe('useInsightsExports', () => {
  it('streams the answer as it comes, and sends the service the gateway secret and the verified principal, not the key', async () => {
    const response = await fetch(new URL('/insights/held.csv?sku=A&sku=B', gatewayUrl), { headers: { authorization: `Bearer ${TEST_KEYS.internal}`, [PRINCIPAL_HEADER]: JSON.stringify(TEST_PRINCIPALS.admin) } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="held.csv"');
    expect(response.headers.get('x-internal')).toBeNull();
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    // The service has written only the header row and holds the rest back until this arrives.
    while (!text.includes('\r\n')) {
      const chunk = await reader.read();
      expect(chunk.done).toBe(false);
      text += decoder.decode(chunk.value, { stream: true });
    }
    expect(text).toBe('sku,units\r\n');
    held!.end('A,3\r\n');
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += decoder.decode(chunk.value, { stream: true });
    expect(text).toBe('sku,units\r\nA,3\r\n');

    const { url, headers: sent } = received.at(-1)!;
    expect(url).toBe('/insights/held.csv?sku=A&sku=B');
    expect(sent[GATEWAY_SECRET_HEADER]).toBe(TEST_GATEWAY_SECRET);
    // The principal the gateway verified from the key, never the one the caller wrote.
    expect(decodePrincipal(sent[PRINCIPAL_HEADER] as string)).toEqual(TEST_PRINCIPALS.internal);
    expect(sent.authorization).toBeUndefined();
  });

  it('turns the service\'s 404 into its own JSON refusal, and asks it nothing for a name no report has', async () => {
    const response = await fetch(new URL('/insights/missing.csv', gatewayUrl), { headers: internal });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'There is no report "missing"' } });
    const asked = received.length;
    const odd = await fetch(new URL('/insights/Sales%2F..%2Fgraphql.csv', gatewayUrl), { headers: internal });
    expect(odd.status).toBe(404);
    expect(((await odd.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    expect(received.length).toBe(asked);
  });

  it('answers 502 when the service fails, 504 when it does not start answering in time, each with a code', async () => {
    const failing = await fetch(new URL('/insights/failing.csv', gatewayUrl), { headers: internal });
    expect(failing.status).toBe(502);
    expect(await failing.json()).toEqual({ error: { code: 'SUBGRAPH_UNAVAILABLE', message: 'The insights service could not answer' } });
    const slow = await fetch(new URL('/insights/silent.csv', impatientUrl), { headers: internal });
    expect(slow.status).toBe(504);
    expect(((await slow.json()) as { error: { code: string } }).error.code).toBe('GATEWAY_TIMEOUT');
  });
});
