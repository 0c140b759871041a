import type { CustomerIdentityResolvers, CustomerResolvers, SourcedAddress, SourcedText } from '../generated/resolvers-types.ts';
import { requireScope, type CustomersContext } from '../context.ts';
import { sourceOf, type CustomerRow, type PersonalField } from '../models.ts';
import type { PostalAddress } from '../normalise.ts';

/** A personal field, opened only for a caller with customers:read (a service reaching `_entities` directly has not). */
function sourced(field: Exclude<PersonalField, 'address'>) {
  return (row: CustomerRow, _args: unknown, context: CustomersContext): SourcedText | null => {
    requireScope(context, 'customers:read');
    const value = context.profiles.openField(row, field);
    const source = sourceOf(row, field);
    return value === null || source === null ? null : { value, source: { ...source, channel: source.channel ?? null, operator: source.operator ?? null } };
  };
}

export const Customer: CustomerResolvers = {
  __resolveReference: async ({ id }, { loaders }) => loaders.customer.load(id),
  id: (row, _args, context) => {
    requireScope(context, 'customers:read', 'orders:read');
    return row.id;
  },
  status: (row, _args, context) => {
    requireScope(context, 'customers:read', 'orders:read');
    return row.status;
  },
  erased: (row, _args, context) => {
    requireScope(context, 'customers:read', 'orders:read');
    return row.status === 'ERASED';
  },
  erasedAt: (row, _args, context) => {
    requireScope(context, 'customers:read', 'orders:read');
    return row.erasedAt;
  },
  mergedInto: (row, _args, context) => {
    requireScope(context, 'customers:read');
    return row.mergedInto === null ? null : context.loaders.customer.load(row.mergedInto);
  },
  name: sourced('name'),
  email: sourced('email'),
  phone: sourced('phone'),
  cpf: sourced('cpf'),
  address: (row, _args, context): SourcedAddress | null => {
    requireScope(context, 'customers:read');
    const value = context.profiles.openField<PostalAddress>(row, 'address');
    const source = sourceOf(row, 'address');
    return value === null || source === null ? null : { value, source: { ...source, channel: source.channel ?? null, operator: source.operator ?? null } };
  },
  identities: (row, _args, context) => {
    requireScope(context, 'customers:read');
    return context.loaders.identities.load(row.id);
  },
  channels: async (row, _args, context) => {
    requireScope(context, 'customers:read');
    return [...new Set((await context.loaders.identities.load(row.id)).map((identity) => identity.channel))].sort();
  },
  merges: (row, _args, context) => {
    requireScope(context, 'customers:read');
    return context.loaders.merges.load(row.id);
  },
  createdAt: (row, _args, context) => {
    requireScope(context, 'customers:read');
    return row.createdAt;
  },
  updatedAt: (row, _args, context) => {
    requireScope(context, 'customers:read');
    return row.updatedAt;
  },
};

export const CustomerIdentity: CustomerIdentityResolvers = {
  platformCustomerId: (identity, _args, context) => {
    requireScope(context, 'customers:read');
    return context.profiles.openPlatformCustomerId(identity);
  },
};
