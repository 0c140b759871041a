import { ErrorCode, PonteError } from '../../../kit/errors.ts';
import type { Principal } from '../../../kit/principal.ts';
import { requireScope } from '../context.ts';
import type { MutationResolvers } from '../generated/resolvers-types.ts';

export const Mutation: MutationResolvers = {
  identifyShopper: async (_root, { input }, context) => {
    const principal = requireScope(context, 'customers:write');
    // A platform's service identifies shoppers of its own channels only.
    if (principal.channels && !principal.channels.includes(input.channel)) {
      throw new PonteError(ErrorCode.FORBIDDEN, `${principal.name} may not identify shoppers of channel ${input.channel}`, { channel: input.channel });
    }
    return context.profiles.identify(input);
  },
  exportCustomerData: async (_root, { id, reason }, context) => {
    const principal = requireScope(context, 'customers:read');
    return context.profiles.exportData(id, principal, reason);
  },
  correctCustomer: async (_root, { id, fields, reason }, context) => {
    const principal = requireOperator(requireScope(context, 'customers:write'));
    requireReason(reason);
    return context.profiles.correct(id, fields, principal, reason);
  },
  eraseCustomer: async (_root, { id, reason }, context) => {
    const principal = requireOperator(requireScope(context, 'customers:write'));
    requireReason(reason);
    return context.profiles.erase(id, principal, reason);
  },
  unmergeCustomers: async (_root, { mergeId, reason }, context) => {
    const principal = requireOperator(requireScope(context, 'customers:write'));
    requireReason(reason);
    return context.profiles.unmerge(mergeId, principal, reason);
  },
};

/**
 * Services hold customers:write to record shoppers' contacts; changing a profile on a person's
 * request is an operator's act, recorded under their name.
 */
function requireOperator(principal: Principal): Principal {
  if (principal.role === 'service') throw new PonteError(ErrorCode.FORBIDDEN, `${principal.name} is a service: data-subject requests are made by operators`, { role: principal.role });
  return principal;
}

function requireReason(reason: string): void {
  if (!reason.trim()) throw new PonteError(ErrorCode.BAD_USER_INPUT, 'Say why (the request is recorded with its reason)', { field: 'reason' });
}
