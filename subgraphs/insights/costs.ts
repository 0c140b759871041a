import type { Database } from '../../kit/database.ts';
import type { Logger } from '../../kit/logger.ts';
import { serviceHeaders } from '../platform-common/inventory-client.ts';
import { traceHeaders } from '../../kit/telemetry.ts';

/** A SKU's cost price, as the catalog keeps it. */
export interface ProductCost {
  sku: string;
  costCents: number;
  currency: string;
}

/** Where cost prices come from: the catalog, or a fixed list (tests, the benchmark). */
export interface CostSource {
  costsOf(skus: readonly string[]): Promise<ProductCost[]>;
}

/** SKUs per `_entities` request. */
const CATALOG_BATCH = 500;
/** How often the copy is refreshed from the catalog. @default 10 minutes */
export const DEFAULT_COST_REFRESH_MS = 10 * 60_000;

const COSTS_QUERY = `query InsightsCosts($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Product { sku costPrice { amountInCents currency } } }
}`;

/**
 * Reads cost prices from the catalog subgraph, service to service with this service's key: the
 * catalog is their only owner, and `Product.costPrice` is a field storefront keys cannot read at the
 * gateway. Asked through federation's own `_entities`, so the catalog needs no query of its own.
 */
export function catalogCostSource(options: { url: string; serviceKey?: string | undefined; secret?: string | undefined; timeoutMs?: number }): CostSource {
  return {
    async costsOf(skus) {
      const costs: ProductCost[] = [];
      for (let start = 0; start < skus.length; start += CATALOG_BATCH) {
        const page = skus.slice(start, start + CATALOG_BATCH);
        const response = await fetch(options.url, {
          method: 'POST',
          headers: traceHeaders({ 'content-type': 'application/json', ...serviceHeaders(options) }),
          body: JSON.stringify({ query: COSTS_QUERY, variables: { representations: page.map((sku) => ({ __typename: 'Product', sku })) } }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
        if (!response.ok) throw new Error(`catalog answered HTTP ${response.status}`);
        const body = (await response.json()) as { data?: { _entities: Array<{ sku: string; costPrice: { amountInCents: number; currency: string } | null } | null> }; errors?: Array<{ message: string }> };
        if (!body.data) throw new Error(`catalog failed: ${body.errors?.[0]?.message ?? 'no data'}`);
        for (const entity of body.data._entities) {
          if (entity?.costPrice) costs.push({ sku: entity.sku, costCents: entity.costPrice.amountInCents, currency: entity.costPrice.currency });
        }
      }
      return costs;
    },
  };
}

export function fixedCostSource(costs: readonly ProductCost[]): CostSource {
  return { costsOf: async (skus) => costs.filter((cost) => skus.includes(cost.sku)) };
}

/**
 * Refreshes the local copy of cost prices for every SKU the store has seen sold: a SKU whose cost
 * the catalog no longer has loses it here too. Margins read the copy in SQL, so a report never
 * waits on the catalog; the copy is at most one refresh interval old.
 */
export async function refreshProductCosts(db: Database, source: CostSource): Promise<number> {
  const skus = (await db.query<{ sku: string }>('SELECT DISTINCT sku FROM daily_sku_sales ORDER BY sku')).map((row) => row.sku);
  const costs = skus.length === 0 ? [] : await source.costsOf(skus);
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM product_costs WHERE NOT (sku = ANY($1::text[]))', [costs.map((cost) => cost.sku)]);
    await tx.query(
      `INSERT INTO product_costs (sku, cost_cents, currency, refreshed_at)
       SELECT c.sku, c.cost, c.currency, now() FROM unnest($1::text[], $2::int[], $3::text[]) AS c (sku, cost, currency)
       ON CONFLICT (sku) DO UPDATE SET cost_cents = EXCLUDED.cost_cents, currency = EXCLUDED.currency, refreshed_at = now()`,
      [costs.map((cost) => cost.sku), costs.map((cost) => cost.costCents), costs.map((cost) => cost.currency)],
    );
  });
  return costs.length;
}

/** Refreshes now and then every `intervalMs`; a failed refresh keeps the last copy and is logged. */
export function keepProductCostsFresh(db: Database, source: CostSource, log: Logger, intervalMs = DEFAULT_COST_REFRESH_MS): { stop(): void; refreshed: Promise<void> } {
  const refresh = () => refreshProductCosts(db, source).then(
    (count) => log.debug({ count }, 'cost prices refreshed from the catalog'),
    (error: unknown) => log.warn({ err: error }, 'cannot refresh cost prices from the catalog; margins use the last copy'),
  );
  const refreshed = refresh();
  const timer = setInterval(() => void refresh(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), refreshed };
}
