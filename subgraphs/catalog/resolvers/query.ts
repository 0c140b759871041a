import { ErrorCode, PonteError } from '../../../kit/errors.ts';
import type { QueryResolvers } from '../generated/resolvers-types.ts';
import { CATALOG_COLUMNS, type CatalogProductRow } from '../models.ts';

const MAX_PAGE = 200;

export const Query: QueryResolvers = {
  productsInCategory: async (_root, { category, first }, { db }) => {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
      throw new PonteError(ErrorCode.BAD_USER_INPUT, `first must be from 1 to ${MAX_PAGE}, got ${first}`, { field: 'first' });
    }
    return db.query<CatalogProductRow>(`SELECT ${CATALOG_COLUMNS} FROM catalog_products WHERE category = $1 ORDER BY sku LIMIT $2`, [category, first]);
  },
};
