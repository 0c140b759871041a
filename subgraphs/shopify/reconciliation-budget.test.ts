/**
 * The order sweep is a safety net for missed webhooks and shares Shopify's cost bucket with the
 * listing sync. After a storm of orders it pages through every one of them; it must not keep
 * taking the points a listing push is waiting for.
 */
import { describe, expect, it } from 'vitest';
import type { Database } from '../../kit/database.ts';
import { createLogger } from '../../kit/logger.ts';
import type { OrderSync } from '../platform-common/order-sync.ts';
import { ShopifyCostLimiter, type ShopifyClient } from './client.ts';
import { OrderReconciler } from './reconciliation.ts';

/** A sweep over one empty page, on a bucket holding 900 of 2000 points (100 a second) on virtual time. */
async function sweep(leaveForListingSync?: () => number): Promise<number[]> {
  let clock = 0;
  const limiter = new ShopifyCostLimiter({ maximumAvailable: 2000, restoreRate: 100, currentlyAvailable: 900, now: () => clock, sleep: async (ms) => void (clock += ms) });
  const pagesAt: number[] = [];
  const client = {
    limiter,
    request: async () => {
      pagesAt.push(clock);
      return { orders: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } };
    },
  } as unknown as ShopifyClient;
  const db = { query: async () => [] } as unknown as Database;
  const reconciler = new OrderReconciler({ client, orderSync: {} as OrderSync, db, log: createLogger('test', 'silent'), ...(leaveForListingSync ? { leaveForListingSync } : {}) });
  await reconciler.runOnce();
  return pagesAt;
}

describe('Shopify order sweep', () => {
  it('reads a page only once the bucket also holds what a listing push asks', async () => {
    // 900 points pay for a page (817) at once; with a push's 998 left over it waits for 1815.
    expect(await sweep()).toEqual([0]);
    expect(await sweep(() => 998)).toEqual([9150]);
  });
});
