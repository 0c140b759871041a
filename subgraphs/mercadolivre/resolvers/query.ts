import { ErrorCode, PonteError } from '../../../kit/errors.ts';
import type { QueryResolvers } from '../generated/resolvers-types.ts';
import { requireStockSync } from './mutation.ts';

const MAX_PAGE = 200;

export const Query: QueryResolvers = {
  mercadoLivreOrderExceptions: (_root, { unresolvedOnly, first }, { orderSync }) => {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
      throw new PonteError(ErrorCode.BAD_USER_INPUT, `first must be from 1 to ${MAX_PAGE}, got ${first}`, { field: 'first' });
    }
    return orderSync.exceptions({ unresolvedOnly: unresolvedOnly ?? true, limit: first });
  },
  async mercadoLivreListingSync(_root, _args, { stockSync }) {
    const sync = requireStockSync(stockSync);
    return sync.report();
  },
};
