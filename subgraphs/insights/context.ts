import DataLoader from 'dataloader';
import type { Database } from '../../kit/database.ts';
import type { DemandSettings } from './demand.ts';
import type { ReportClock } from './reports.ts';
import type { LocationStock, StockSource } from './stock.ts';

export interface InsightsContext {
  db: Database;
  clock: ReportClock;
  demand: DemandSettings;
  /** Stock per SKU, read from the inventory once per request however many fields ask (a DataLoader). */
  stock: StockSource;
}

/**
 * The insights subgraph resolves no entity of its own (no `__resolveReference`); what a request
 * shares is stock: `stockCover` and `restockSuggestions` in one operation ask the inventory once,
 * in batches, through this loader.
 */
export function createInsightsContext(options: { db: Database; clock: ReportClock; demand: DemandSettings; stock: StockSource }): InsightsContext {
  const loader = new DataLoader<string, LocationStock[]>(async (skus) => {
    const levels = await options.stock.stockOf(skus);
    return skus.map((sku) => levels.filter((level) => level.sku === sku));
  }, { maxBatchSize: 1000 });
  return {
    db: options.db,
    clock: options.clock,
    demand: options.demand,
    stock: {
      async stockOf(skus) {
        return (await loader.loadMany(skus)).flatMap((levels) => {
          if (levels instanceof Error) throw levels;
          return levels;
        });
      },
    },
  };
}
