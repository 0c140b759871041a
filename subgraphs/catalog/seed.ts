import { demoCostCents, demoProducts } from '../../demo/catalog.ts';
import type { Database } from '../../kit/database.ts';

/** Loads the demo catalog; existing rows are left as they are, but for a cost price they lack (a catalog seeded before costs were kept). */
export async function seedDemoCatalog(db: Database): Promise<void> {
  await db.query(
    `INSERT INTO catalog_products (sku, parent_sku, title, brand, category, options, price_in_cents, cost_in_cents)
     SELECT p->>'sku', p->>'parentSku', p->>'title', p->>'brand', p->>'category', p->'options', (p->>'priceCents')::int, (p->>'costCents')::int
       FROM jsonb_array_elements($1::jsonb) AS p
     ON CONFLICT (sku) DO UPDATE SET cost_in_cents = EXCLUDED.cost_in_cents WHERE catalog_products.cost_in_cents IS NULL`,
    [JSON.stringify(demoProducts.map((product) => ({ ...product, costCents: demoCostCents(product) })))],
  );
}
