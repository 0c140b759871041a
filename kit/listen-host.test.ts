import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { createShopifySandbox } from '../sandboxes/shopify/shopify-sandbox.ts';
import { createLogger } from './logger.ts';
import { listenHost } from './mode.ts';
import { createSubgraphServer, type SubgraphServer } from './subgraph-server.ts';

/**
 * Every service listens where HOST says, loopback by default, and reports the address it really
 * bound (issue 6, finding 10: every service bound 0.0.0.0 while its log said 127.0.0.1).
 */
const schema = buildSubgraphSchema([{ typeDefs: parse('type Query { ping: String }'), resolvers: { Query: { ping: () => 'pong' } } }]);
const opened: Array<{ close(): Promise<void> }> = [];
const savedHost = process.env.HOST;

afterEach(async () => {
  if (savedHost === undefined) delete process.env.HOST;
  else process.env.HOST = savedHost;
  for (const server of opened.splice(0)) await server.close();
});

async function subgraph(): Promise<SubgraphServer> {
  const server = await createSubgraphServer({ name: 'ping', schema, context: () => ({}), readiness: async () => {}, log: createLogger('test') });
  opened.push(server);
  return server;
}

describe('listenHost', () => {
  it('is loopback unless HOST says otherwise', () => {
    expect(listenHost({})).toBe('127.0.0.1');
    expect(listenHost({ HOST: '  ' })).toBe('127.0.0.1');
    expect(listenHost({ HOST: '0.0.0.0' })).toBe('0.0.0.0');
  });
});

describe('a subgraph server', () => {
  it('binds loopback by default and says so', async () => {
    delete process.env.HOST;
    const server = await subgraph();
    const url = await server.listen(0);
    expect((server.httpServer.address() as AddressInfo).address).toBe('127.0.0.1');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ ping }"}' })).status).toBe(200);
  });

  it('binds every interface only when HOST=0.0.0.0, and its URL says that too', async () => {
    process.env.HOST = '0.0.0.0';
    const server = await subgraph();
    const url = await server.listen(0);
    expect((server.httpServer.address() as AddressInfo).address).toBe('0.0.0.0');
    expect(url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/graphql$/);
  });
});

describe('a sandbox', () => {
  it('keeps its unauthenticated control API on loopback by default', async () => {
    delete process.env.HOST;
    const sandbox = createShopifySandbox();
    opened.push(sandbox);
    const url = await sandbox.listen(0);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
