import { InventoryClient } from '../platform-common/inventory-client.ts';

/** Stock of one SKU at one location, as the inventory reports it now. */
export interface LocationStock {
  sku: string;
  location: string;
  onHand: number;
  committed: number;
  safetyStock: number;
  incoming: number;
}

/** Where the insights subgraph reads stock on hand: the inventory, or a fixed table in tests and the benchmark. */
export interface StockSource {
  stockOf(skus: readonly string[]): Promise<LocationStock[]>;
}

/** The inventory's page size limit (`Query.products(first:)`). */
const INVENTORY_PAGE = 200;

const STOCK_QUERY = `query InsightsStock($skus: [ID!]!, $first: Int!) {
  products(skus: $skus, first: $first) { nodes { sku stockLevels { location { id } onHand committed safetyStock incoming } } }
}`;

/**
 * Reads stock levels from the inventory's GraphQL API with this service's own key, as the
 * platform subgraphs do (service to service: the inventory stays the only owner of stock, and
 * the gateway is not in the way of a batch read). One request per 200 SKUs.
 */
export function inventoryStockSource(options: { url: string; serviceKey?: string | undefined; secret?: string | undefined }): StockSource {
  const client = new InventoryClient({ url: options.url, serviceKey: options.serviceKey, secret: options.secret, timeoutMs: 10_000 });
  return {
    async stockOf(skus) {
      const levels: LocationStock[] = [];
      const unique = [...new Set(skus)];
      for (let start = 0; start < unique.length; start += INVENTORY_PAGE) {
        const page = unique.slice(start, start + INVENTORY_PAGE);
        const { data } = await client.requestPartial<{ products: { nodes: Array<{ sku: string; stockLevels: Array<{ location: { id: string }; onHand: number; committed: number; safetyStock: number; incoming: number }> } | null> } }>(
          STOCK_QUERY,
          { skus: page, first: page.length },
        );
        for (const product of data.products.nodes) {
          if (!product) continue;
          for (const level of product.stockLevels) {
            levels.push({ sku: product.sku, location: level.location.id, onHand: level.onHand, committed: level.committed, safetyStock: level.safetyStock, incoming: level.incoming });
          }
        }
      }
      return levels;
    },
  };
}

/** A fixed table of stock levels (tests, the benchmark, a deployment without an inventory URL). */
export function fixedStockSource(levels: readonly LocationStock[]): StockSource {
  return { stockOf: async (skus) => levels.filter((level) => skus.includes(level.sku)) };
}
