import { requireAdmin } from '../context.ts';
import type { QueryResolvers } from '../generated/resolvers-types.ts';

export const Query: QueryResolvers = {
  apiKeys: async (_root, { includeRevoked }, context) => {
    requireAdmin(context);
    return context.keys.list({ includeRevoked: includeRevoked === true });
  },
  auditLog: async (_root, { filter, first, after }, context) => {
    requireAdmin(context);
    return context.audit.page(filter ?? {}, first ?? 50, after ?? null);
  },
};
