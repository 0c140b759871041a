import DataLoader from 'dataloader';
import type { Database } from '../../kit/database.ts';
import { ErrorCode, PonteError } from '../../kit/errors.ts';
import type { Principal, Scope } from '../../kit/principal.ts';
import type { CustomerRow, IdentityRow, MergeRow } from './models.ts';
import type { CustomerProfiles } from './profiles.ts';

export interface CustomersContext {
  db: Database;
  profiles: CustomerProfiles;
  /** The caller the subgraph server verified (the gateway's principal, or a service key). */
  principal: Principal | undefined;
  loaders: ReturnType<typeof createCustomerLoaders>;
}

const groupBy = <Row, Key>(rows: Row[], key: (row: Row) => Key) => {
  const groups = new Map<Key, Row[]>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  return groups;
};

export function createCustomerLoaders(profiles: CustomerProfiles) {
  return {
    customer: new DataLoader<string, CustomerRow | null>((ids) => profiles.load(ids)),
    identities: new DataLoader<string, IdentityRow[]>(async (ids) => {
      const byCustomer = groupBy(await profiles.identities(ids), (row) => row.customerId);
      return ids.map((id) => byCustomer.get(id) ?? []);
    }),
    merges: new DataLoader<string, MergeRow[]>(async (ids) => {
      const rows = await profiles.merges(ids);
      return ids.map((id) => rows.filter((row) => row.survivorId === id || row.absorbedId === id));
    }),
  };
}

export function createCustomersContext(deps: { db: Database; profiles: CustomerProfiles }, principal: Principal | undefined): CustomersContext {
  return { ...deps, principal, loaders: createCustomerLoaders(deps.profiles) };
}

/**
 * The SDL's `@requiresScopes`, checked again where the data is: the gateway checks them first,
 * but a service calls this subgraph directly with its own key (the orders subgraph identifying a
 * shopper), and a service must never read a profile (it has customers:write, not customers:read).
 * Any one of `scopes` suffices.
 */
export function requireScope(context: CustomersContext, ...scopes: Scope[]): Principal {
  const principal = context.principal;
  if (!principal) throw new PonteError(ErrorCode.UNAUTHENTICATED, 'Customer data needs a credential');
  if (!scopes.some((scope) => principal.scopes.includes(scope))) {
    throw new PonteError(ErrorCode.FORBIDDEN, `${principal.name} lacks the scope ${scopes.join(' or ')}`, { scope: scopes.join(' or ') });
  }
  return principal;
}
