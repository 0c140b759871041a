import { demoProducts } from '../../demo/catalog.ts';
import type { Database } from '../../kit/database.ts';

/** Loads the demo catalog; existing rows are left as they are. */
export async function seedDemoCatalog(db: Database): Promise<void> {
  await db.query(
    `INSERT INTO catalog_products (sku, parent_sku, title, brand, category, options, price_in_cents)
     SELECT p->>'sku', p->>'parentSku', p->>'title', p->>'brand', p->>'category', p->'options', (p->>'priceCents')::int
       FROM jsonb_array_elements($1::jsonb) AS p
     ON CONFLICT (sku) DO NOTHING`,
    [JSON.stringify(demoProducts)],
  );
}
