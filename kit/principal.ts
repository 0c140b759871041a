/**
 * Who is calling. The gateway resolves a principal from the caller's credential (an API key or a
 * JWT) and forwards it to the subgraphs in `x-ponte-principal`; a subgraph trusts that header only
 * on a request that also proves it came through the gateway (the gateway secret). A platform
 * subgraph calling the inventory directly presents credentials of its own.
 */
export const ROLES = ['storefront', 'internal', 'partner', 'operator', 'admin', 'service'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  /** Stable id, e.g. `key:01J…` for an API key, `jwt:<iss>:<sub>` for a token, `service:shopify`. */
  id: string;
  /** Human-readable name, written to the ledger as the actor. */
  name: string;
  role: Role;
  /** What the role (and the credential) allows, as checked by `@requiresScopes` in the SDL. */
  scopes: string[];
  /** For partners and services: the only channels and locations they may touch. Absent: all. */
  channels?: string[];
  locations?: string[];
}

/** The header through which the gateway tells a subgraph who the caller is (JSON). */
export const PRINCIPAL_HEADER = 'x-ponte-principal';
