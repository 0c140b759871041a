import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, graphql, startPonte, type RunningPonte } from '../support/ponte.ts';

/**
 * The same operation with other variables executes the very document that was parsed, so the
 * planner's and the caches' per-document work is done once (gateway/plugins/use-stable-documents.ts),
 * while field authorization still refuses what a caller may not read.
 */
let ponte: RunningPonte;
const executed: DocumentNode[] = [];
/** Sees what each execution runs, after the runtime's field authorization has walked it. */
const useExecutedDocuments = (): GatewayPlugin => ({
  onExecute({ args }) {
    executed.push(args.document);
  },
});

beforeAll(async () => {
  // No response cache: every request executes.
  ponte = await startPonte({ responseCache: false, plugins: [useExecutedDocuments()] });
}, 180_000);

afterAll(async () => {
  await ponte?.close();
});

const PRODUCT_PAGE = `query ProductPage($sku: ID!) { product(sku: $sku) { sku title totalAvailable } }`;

describe('stable documents', () => {
  it('executes one document object for every request of the same operation', async () => {
    executed.length = 0;
    for (const sku of ['CAM-BASICA-M', 'TEN-CORRIDA-40', 'LAN-CAMPING', 'CAM-BASICA-M']) {
      const { data, errors } = await graphql<{ product: { sku: string } }>(ponte.gatewayUrl, PRODUCT_PAGE, { sku }, as('storefront'));
      expect(errors).toBeUndefined();
      expect(data?.product.sku).toBe(sku);
    }
    expect(executed).toHaveLength(4);
    expect(new Set(executed).size).toBe(1);
  });

  it('still refuses a field the caller may not read, and runs nothing', async () => {
    executed.length = 0;
    const { data, errors } = await graphql(ponte.gatewayUrl, `{ apiKeys { id } }`, {}, as('storefront'));
    expect(data ?? null).toBeNull();
    expect(errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(executed).toHaveLength(0);
  });
});
