import { createCatalogSubgraph } from '../../subgraphs/catalog/index.ts';
import { seedDemoCatalog } from '../../subgraphs/catalog/seed.ts';
import { createInventorySubgraph } from '../../subgraphs/inventory/index.ts';
import { seedDemoInventory } from '../../subgraphs/inventory/seed.ts';
import { createLogger } from '../../kit/logger.ts';
import { createTestDatabase } from '../support/database.ts';
import { ensurePgliteTemplate } from '../support/pglite-template.ts';
import { serveChild, type SubgraphsStart } from './ipc.ts';
import { BENCH_LOCATIONS, catalogSkus, openingStock } from './storefront-mix.ts';
import type { Database } from '../../kit/database.ts';

const SEED_ACTOR = { name: 'bench-seed' };
const REGISTER_BATCH = 1000;

/**
 * The realistic mix's catalogue, as a merchant would load it: registered with the inventory
 * (`registerProducts`), described in the catalog, with stock at several locations.
 */
async function seedBenchCatalog(inventory: Awaited<ReturnType<typeof createInventorySubgraph>>, catalogDb: Database, count: number): Promise<void> {
  if (count <= 0) return;
  const skus = catalogSkus(count);
  for (let start = 0; start < skus.length; start += REGISTER_BATCH) {
    await inventory.service.registerProducts({ idempotencyKey: `bench-register-${start}`, skus: skus.slice(start, start + REGISTER_BATCH) }, SEED_ACTOR);
  }
  const products = skus.map((sku, index) => ({ sku, parentSku: null, title: `Produto de teste ${index + 1}`, brand: 'Bench', category: `categoria-${index % 40}`, options: {}, priceCents: 990 + ((index * 37) % 20_000) }));
  await catalogDb.query(
    `INSERT INTO catalog_products (sku, parent_sku, title, brand, category, options, price_in_cents)
     SELECT p->>'sku', p->>'parentSku', p->>'title', p->>'brand', p->>'category', p->'options', (p->>'priceCents')::int
       FROM jsonb_array_elements($1::jsonb) AS p
     ON CONFLICT (sku) DO NOTHING`,
    [JSON.stringify(products)],
  );
  // Opening stock in one statement per table (one service call per receipt would take minutes on
  // PGlite): a RECEIPT movement per level, so levels are still the sum of their movements.
  const receipts = skus.flatMap((sku, index) => BENCH_LOCATIONS.map((location, position) => ({ sku, location, quantity: openingStock(index, position) })).filter((receipt) => receipt.quantity > 0));
  await inventory.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO stock_levels (sku, location_id, on_hand, version)
       SELECT r->>'sku', r->>'location', (r->>'quantity')::int, 1 FROM jsonb_array_elements($1::jsonb) AS r`,
      [JSON.stringify(receipts)],
    );
    await tx.query(
      `INSERT INTO stock_movements (kind, sku, location_id, on_hand_delta, actor, reason, idempotency_key)
       SELECT 'RECEIPT', r->>'sku', r->>'location', (r->>'quantity')::int, $2, 'Opening stock', 'bench-seed:' || (r->>'sku') || ':' || (r->>'location')
         FROM jsonb_array_elements($1::jsonb) AS r`,
      [JSON.stringify(receipts), SEED_ACTOR.name],
    );
  });
}

/**
 * Both subgraphs, seeded with the demo merchant, in one process of their own: in-memory PGlite
 * by default, a throwaway schema on the server when DATABASE_URL is set (dropped on stop).
 * Each subgraph's HTTP requests are counted, so the bench can show how many subgraph calls one
 * client request cost behind each gateway (cache hits, deduplicated fetches).
 */
serveChild<SubgraphsStart>(async ({ gatewaySecret, catalogSkus: skuCount }) => {
  const log = createLogger('bench-subgraphs');
  if (!process.env.DATABASE_URL) await ensurePgliteTemplate();
  // SQL statements are counted too: per client request, they show where a slow read spends its time.
  const sqlStatements = { inventory: 0, catalog: 0 };
  const inventoryDb = await createTestDatabase('inventory', { onQuery: () => sqlStatements.inventory++ });
  const catalogDb = await createTestDatabase('catalog', { onQuery: () => sqlStatements.catalog++ });
  const inventory = await createInventorySubgraph({ database: inventoryDb.db, log, gatewaySecret });
  const catalog = await createCatalogSubgraph({ database: catalogDb.db, log, gatewaySecret });
  await seedDemoInventory(inventory.db, inventory.service);
  await seedDemoCatalog(catalog.db);
  const seeding = Date.now();
  await seedBenchCatalog(inventory, catalog.db, skuCount);
  if (skuCount) console.log(`  seeded ${skuCount} bench SKUs in ${((Date.now() - seeding) / 1000).toFixed(1)} s`);

  const subgraphRequests = { inventory: 0, catalog: 0 };
  inventory.server.httpServer.on('request', () => subgraphRequests.inventory++);
  catalog.server.httpServer.on('request', () => subgraphRequests.catalog++);

  const urls = {
    inventory: await inventory.server.listen(0, '127.0.0.1'),
    catalog: await catalog.server.listen(0, '127.0.0.1'),
  };
  return {
    urls,
    description: `inventory + catalog subgraphs (Apollo Server), ${inventory.db.driver === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : 'PGlite in memory'}, demo data`,
    stats: () => ({ subgraphRequests: { ...subgraphRequests }, sqlStatements: { ...sqlStatements }, stockSubscribers: inventory.stockEvents.subscriberCount }),
    async close() {
      await inventory.close();
      await catalog.close();
      await inventoryDb.drop();
      await catalogDb.drop();
    },
  };
});
