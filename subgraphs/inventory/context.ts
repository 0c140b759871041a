import type { Database } from '../../kit/database.ts';
import type { Logger } from '../../kit/logger.ts';
import { createInventoryLoaders, type InventoryLoaders } from './loaders.ts';
import type { StockEventRelay } from './outbox/stock-event-relay.ts';
import type { Actor, InventoryService } from './services/inventory-service.ts';

export interface InventoryContext {
  db: Database;
  loaders: InventoryLoaders;
  inventory: InventoryService;
  stockEvents: StockEventRelay;
  actor: Actor;
  log: Logger;
}

/** The header the gateway forwards with the authenticated caller's name, for the ledger. */
export const ACTOR_HEADER = 'x-ponte-actor';

export function createInventoryContext(
  deps: Omit<InventoryContext, 'loaders' | 'actor'>,
  headers: { get(name: string): string | null | undefined },
): InventoryContext {
  const actor = headers.get(ACTOR_HEADER)?.trim().slice(0, 200) || 'anonymous';
  return { ...deps, loaders: createInventoryLoaders(deps.db), actor: { name: actor } };
}
