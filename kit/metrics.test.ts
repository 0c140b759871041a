import { Counter } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { principalFor, staticApiKeyResolver } from './identity.ts';
import { createLogger } from './logger.ts';
import { apiKeyCheck, boundedLabel, createMetricsRegistry, scrapeMetrics, type CredentialCheck } from './metrics.ts';

const log = createLogger('test');
const keys = staticApiKeyResolver({
  'key-monitoring': principalFor('monitoring', { id: 'key:m', name: 'prometheus' }),
  'key-storefront': principalFor('storefront', { id: 'key:s', name: 'shop' }),
});
const headers = (authorization?: string) => ({ get: (name: string) => (name === 'authorization' ? authorization : undefined) });

describe('boundedLabel', () => {
  it('keeps the first names it sees, then answers overflow; missing or malformed names are missing', () => {
    const label = boundedLabel({ max: 2, missing: 'anonymous', overflow: 'other' });
    expect([label('A'), label('B'), label('C'), label('A'), label(undefined), label('not a name!'), label('x'.repeat(65))]).toEqual(['A', 'B', 'other', 'A', 'anonymous', 'anonymous', 'anonymous']);
  });
});

describe('scrapeMetrics', () => {
  it('answers the registry to a principal with metrics:read, and only its own series', async () => {
    const registry = createMetricsRegistry('inventory', { defaultMetrics: false });
    const other = createMetricsRegistry('catalog', { defaultMetrics: false });
    new Counter({ name: 'ponte_test_total', help: 'test', registers: [registry] }).inc(3);
    const answer = await scrapeMetrics(headers('Bearer key-monitoring'), { registry, authenticate: apiKeyCheck(keys), log });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(answer.body).toContain('ponte_test_total{service="inventory"} 3');
    expect(await other.metrics()).not.toContain('ponte_test_total');
  });

  it('refuses without a credential (401), with an unknown one (401), without the scope (403), and when keys cannot be checked (503)', async () => {
    const registry = createMetricsRegistry('inventory', { defaultMetrics: false });
    const refusal = async (authorization: string | undefined, authenticate: CredentialCheck | undefined = apiKeyCheck(keys)) => {
      const answer = await scrapeMetrics(headers(authorization), { registry, authenticate, log });
      return [answer.status, (JSON.parse(answer.body) as { error: { code: string } }).error.code];
    };
    expect(await refusal(undefined)).toEqual([401, 'UNAUTHENTICATED']);
    expect(await refusal('Bearer nope')).toEqual([401, 'UNAUTHENTICATED']);
    expect(await refusal('Bearer key-storefront')).toEqual([403, 'FORBIDDEN']);
    // A service with no key store refuses every key.
    expect(await refusal('Bearer key-monitoring', apiKeyCheck(undefined) ?? (() => Promise.resolve(undefined)))).toEqual([401, 'UNAUTHENTICATED']);
    expect(await refusal('Bearer key-monitoring', () => Promise.reject(new Error('store down')))).toEqual([503, 'SERVICE_UNAVAILABLE']);
  });
});
