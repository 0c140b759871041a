import type { Database } from '../../kit/database.ts';
import type { Logger } from '../../kit/logger.ts';
import type { Principal } from '../../kit/principal.ts';
import { createInventoryLoaders, type InventoryLoaders } from './loaders.ts';
import type { StockEventRelay } from './outbox/stock-event-relay.ts';
import type { Actor, InventoryService } from './services/inventory-service.ts';

export interface InventoryContext {
  db: Database;
  loaders: InventoryLoaders;
  inventory: InventoryService;
  stockEvents: StockEventRelay;
  /** The caller, as the subgraph server authenticated it: written to the ledger, held to its channels and locations. */
  actor: Actor;
  log: Logger;
}

/** Without a principal (no gateway secret configured: local development only). */
const ANONYMOUS: Actor = { name: 'anonymous', id: 'anonymous' };

/**
 * The caller comes from the principal the subgraph server verified (the gateway's
 * `x-ponte-principal`, or a service key), never from a header a client could set: a client's
 * `x-ponte-actor` is ignored.
 */
export function createInventoryContext(deps: Omit<InventoryContext, 'loaders' | 'actor'>, principal: Principal | undefined): InventoryContext {
  const actor: Actor = principal
    ? { id: principal.id, name: principal.name.slice(0, 200), channels: principal.channels, locations: principal.locations }
    : ANONYMOUS;
  return { ...deps, loaders: createInventoryLoaders(deps.db), actor };
}
