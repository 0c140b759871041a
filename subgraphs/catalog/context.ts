import DataLoader from 'dataloader';
import type { Database } from '../../kit/database.ts';
import { CATALOG_COLUMNS, type CatalogProductRow } from './models.ts';

export interface CatalogContext {
  db: Database;
  loaders: ReturnType<typeof createCatalogLoaders>;
}

export function createCatalogLoaders(db: Database) {
  return {
    product: new DataLoader<string, CatalogProductRow | null>(async (skus) => {
      const rows = await db.query<CatalogProductRow>(`SELECT ${CATALOG_COLUMNS} FROM catalog_products WHERE sku = ANY($1::text[])`, [skus]);
      const bySku = new Map(rows.map((row) => [row.sku, row]));
      return skus.map((sku) => bySku.get(sku) ?? null);
    }),
  };
}

export function createCatalogContext(db: Database): CatalogContext {
  return { db, loaders: createCatalogLoaders(db) };
}
