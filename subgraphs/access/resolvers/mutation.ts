import { requireAdmin } from '../context.ts';
import type { MutationResolvers } from '../generated/resolvers-types.ts';

export const Mutation: MutationResolvers = {
  createApiKey: async (_root, { input }, context) => {
    const admin = requireAdmin(context);
    const created = await context.keys.create(input, admin.id);
    context.log.info({ keyId: created.apiKey.id, role: created.apiKey.role, by: admin.id }, 'API key created');
    return created;
  },
  revokeApiKey: async (_root, { id }, context) => {
    const admin = requireAdmin(context);
    const revoked = await context.keys.revoke(id);
    context.log.info({ keyId: id, by: admin.id }, 'API key revoked');
    return revoked;
  },
  rotateApiKey: async (_root, { id, graceSeconds }, context) => {
    const admin = requireAdmin(context);
    const rotated = await context.keys.rotate(id, graceSeconds ?? 3600, admin.id);
    context.log.info({ keyId: id, successor: rotated.apiKey.id, by: admin.id }, 'API key rotated');
    return rotated;
  },
};
