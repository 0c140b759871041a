import { demoOrderHistory } from '../../demo/insights.ts';
import { dayIn, recordOrderFacts } from './ingest.ts';
import type { InsightsSubgraph } from './index.ts';

/** Orders per transaction while seeding. */
const SEED_BATCH = 500;

/**
 * Loads the demo merchant's last few months of orders (demo/insights.ts) into an empty store, up
 * to today, as the orders feed would have delivered them; a store that holds orders is left as it
 * is. Then copies cost prices from the catalog for the SKUs sold.
 */
export async function seedDemoInsights(subgraph: Pick<InsightsSubgraph, 'db' | 'clock' | 'refreshCosts'>): Promise<void> {
  const [held] = await subgraph.db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM order_facts) AS any');
  if (held?.any) return;
  let batch = [];
  for (const order of demoOrderHistory(dayIn(subgraph.clock.now(), subgraph.clock.timeZone))) {
    batch.push(order);
    if (batch.length === SEED_BATCH) {
      await recordOrderFacts(subgraph.db, batch, { timeZone: subgraph.clock.timeZone });
      batch = [];
    }
  }
  if (batch.length > 0) await recordOrderFacts(subgraph.db, batch, { timeZone: subgraph.clock.timeZone });
  await subgraph.refreshCosts().catch(() => 0);
}
