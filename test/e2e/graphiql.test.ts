import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPonteGateway } from '../../gateway/index.ts';
import { createLogger } from '../../kit/logger.ts';
import { gatewayFetch, startPonte, TEST_GATEWAY_SECRET, type RunningPonte } from '../support/ponte.ts';

/** GraphiQL at the gateway: a browser's page that works offline, with examples; none in production. */
let ponte: RunningPonte;
beforeAll(async () => {
  ponte = await startPonte({ responseCache: false });
});
afterAll(async () => {
  await ponte?.close();
});

const asBrowser = { headers: { accept: 'text/html,application/xhtml+xml' } };

/** Every URL the page loads scripts, styles or icons from, and the editor's worker scripts it names. */
function assetUrls(html: string): string[] {
  const linked = [...html.matchAll(/<(?:script|link|img|iframe)\b[^>]*?\b(?:src|href)\s*=\s*["']?([^"'\s>]+)/gi)].map((match) => match[1]!);
  const workers = [...html.matchAll(/"(\/graphiql\/[\w.-]+\.worker\.[\w]+\.js)"/g)].map((match) => match[1]!);
  return [...linked, ...workers].filter((url) => !url.startsWith('data:'));
}

describe('GraphiQL at the gateway', () => {
  it('serves a page that loads nothing from another host, with an example for each kind of caller', async () => {
    const response = await gatewayFetch(ponte.gatewayUrl, asBrowser);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain('renderYogaGraphiQL');
    const urls = assetUrls(html);
    // The script, the style and the three editor workers.
    expect(urls.filter((url) => url.endsWith('.js'))).toHaveLength(4);
    expect(urls.filter((url) => url.endsWith('.css'))).toHaveLength(1);
    for (const url of urls) {
      const resolved = new URL(url, ponte.gatewayUrl);
      expect(resolved.origin, url).toBe(new URL(ponte.gatewayUrl).origin);
      expect((await gatewayFetch(resolved)).status, url).toBe(200);
    }
    // The runtime's default page loaded all of these from unpkg.com.
    expect(html).not.toContain('unpkg.com');
    expect((await gatewayFetch(new URL('/graphiql/nothing-here.js', ponte.gatewayUrl))).status).toBe(404);
    for (const operation of ['query StorefrontProducts', 'mutation PartnerReserve', 'subscription StockChanges', 'mutation OperatorReconcile']) expect(html).toContain(operation);
  });

  it('still answers GraphQL on the same path to a client that asks for JSON', async () => {
    const response = await gatewayFetch(`${ponte.gatewayUrl}?query=${encodeURIComponent('{ location(id: "loja-rio") { id } }')}`, { headers: { accept: 'application/json' } });
    expect(await response.json()).toEqual({ data: { location: { id: 'loja-rio' } } });
  });

  it('is not served in production mode', async () => {
    vi.stubEnv('PONTE_MODE', 'production');
    const gateway = createPonteGateway({ supergraphSdl: ponte.supergraphSdl, log: createLogger('test'), subgraphSecret: TEST_GATEWAY_SECRET, identity: false, responseCache: false });
    vi.unstubAllEnvs();
    try {
      const url = await gateway.listen(0, '127.0.0.1');
      const response = await gatewayFetch(url, asBrowser);
      expect(await response.text()).not.toContain('renderYogaGraphiQL');
    } finally {
      await gateway.close();
    }
  });
});
