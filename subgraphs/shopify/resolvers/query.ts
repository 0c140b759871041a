import { ErrorCode, PonteError } from '../../shared/errors.ts';
import type { QueryResolvers } from '../generated/resolvers-types.ts';

const MAX_PAGE = 200;

export const Query: QueryResolvers = {
  shopifyOrderExceptions: async (_root, { unresolvedOnly, first }, { orderSync }) => {
    const limit = first ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw new PonteError(ErrorCode.BAD_USER_INPUT, `first must be from 1 to ${MAX_PAGE}, got ${limit}`, { field: 'first' });
    }
    return orderSync.exceptions({ unresolvedOnly: unresolvedOnly ?? true, limit });
  },
};
