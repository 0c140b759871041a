/**
 * Who is calling. The gateway resolves a principal from the caller's credential (an API key or a
 * JWT) and forwards it to the subgraphs in `x-ponte-principal`; a subgraph trusts that header only
 * on a request that also proves it came through the gateway (the gateway secret). A platform
 * subgraph calling the inventory directly presents credentials of its own.
 */
export const ROLES = ['storefront', 'internal', 'partner', 'operator', 'admin', 'service', 'monitoring'] as const;
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

/**
 * Scopes, as named in the SDL's `@requiresScopes`:
 * - `catalog:read`: products, catalog fields, locations, channels, platform listings;
 * - `stock:read`: stock levels, totals, channel availability;
 * - `stock:subscribe`: the `stockChanged` subscription;
 * - `stock:write`: receive, adjust, set, transfer, incoming, safety stock, returns, registerProducts;
 * - `reservations:read` / `reservations:write`: reservations, reserve, sale, fulfil, release;
 * - `ledger:read`: stock movements (who changed what);
 * - `platform:read` / `platform:write`: order exceptions and listing sync status / reconcile, replay;
 * - `orders:read` / `orders:subscribe`: canonical orders across channels, and the `orderChanged` subscription;
 * - `orders:write`: record a channel's order (the platform subgraphs), fulfil it with tracking (operators, and partners for their channels);
 * - `customers:read`: what Ponte holds about a shopper (profiles, data-subject requests); operators and admins only;
 * - `customers:write`: correct, merge, unmerge and erase customer profiles (LGPD requests); operators and admins,
 *   and the services that record a shopper's contact from a channel's order;
 * - `insights:read`: sales, margins, customer value, forecasts and their CSV exports (no personal data);
 * - `metrics:read`: every service's `GET /metrics` (Prometheus); the `monitoring` role has it alone;
 * - `admin`: API keys and the audit log.
 */
export const SCOPES = [
  'catalog:read', 'stock:read', 'stock:subscribe', 'stock:write', 'reservations:read', 'reservations:write',
  'ledger:read', 'platform:read', 'platform:write', 'orders:read', 'orders:subscribe', 'orders:write', 'customers:read', 'customers:write',
  'insights:read', 'metrics:read', 'admin',
] as const;
export type Scope = (typeof SCOPES)[number];

const OPERATOR_SCOPES: Scope[] = SCOPES.filter((scope) => scope !== 'admin');

/** What each role may do. Partners and services are further held to their own channels and locations. */
export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  storefront: ['catalog:read', 'stock:read'],
  internal: ['catalog:read', 'stock:read', 'stock:subscribe', 'reservations:read', 'ledger:read', 'platform:read', 'orders:read', 'orders:subscribe', 'insights:read'],
  // A partner (a store's till, a 3PL) ships its channels' orders (fulfilOrder holds it to them); it
  // reads no orders: the order queries are not narrowed to a channel.
  partner: ['catalog:read', 'stock:read', 'stock:write', 'reservations:read', 'reservations:write', 'orders:write'],
  operator: OPERATOR_SCOPES,
  admin: [...SCOPES],
  // A platform subgraph records its channel's orders and the shopper's contact on them (write-only:
  // it never reads a profile back).
  service: ['catalog:read', 'stock:read', 'stock:subscribe', 'stock:write', 'reservations:read', 'reservations:write', 'orders:read', 'orders:write', 'customers:write'],
  // A Prometheus scraper: reads the services' metrics and nothing of the merchant's data.
  monitoring: ['metrics:read'],
};
