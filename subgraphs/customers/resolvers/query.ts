import { ErrorCode, PonteError } from '../../../kit/errors.ts';
import { requireScope } from '../context.ts';
import type { QueryResolvers } from '../generated/resolvers-types.ts';

const MAX_PAGE = 500;

function pageSize(first: number | null | undefined, fallback: number): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) throw new PonteError(ErrorCode.BAD_USER_INPUT, `first must be from 1 to ${MAX_PAGE}, got ${size}`, { field: 'first' });
  return size;
}

export const Query: QueryResolvers = {
  customer: async (_root, { id }, context) => {
    requireScope(context, 'customers:read');
    return context.loaders.customer.load(id);
  },
  customers: async (_root, { search }, context) => {
    requireScope(context, 'customers:read');
    return context.profiles.search(search);
  },
  dataSubjectRequests: async (_root, { customerId, first }, context) => {
    requireScope(context, 'customers:read');
    return context.profiles.requests({ customerId, first: pageSize(first, 50) });
  },
  customerChanges: async (_root, { after, first }, context) => {
    requireScope(context, 'customers:read', 'customers:write');
    if (after != null && !/^\d+$/.test(after)) throw new PonteError(ErrorCode.BAD_USER_INPUT, 'after must be a change id', { field: 'after' });
    return context.profiles.changes(after, pageSize(first, 100));
  },
};
