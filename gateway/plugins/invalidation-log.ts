import { LRUCache } from 'lru-cache';

export type CacheEntity = { typename: string; id?: string | number };

export interface InvalidationLog {
  /** A point in the log: take it before reading, give it to `changedSince` before storing. */
  now(): number;
  /** Records that these entities changed (a bare typename: every entity of that type). */
  record(entities: Iterable<CacheEntity>): void;
  /** Records that anything may have changed (the stock feed was lost or reconnected). */
  recordEverything(): void;
  /** Whether any of `entities` changed after `since`: a read that raced a change must not be stored. */
  changedSince(since: number, entities: Iterable<CacheEntity>): boolean;
}

/** How many changed entities the log remembers one by one; older ones count as "changed at the horizon". */
const DEFAULT_REMEMBERED = 100_000;

/**
 * When each entity last changed, so that a cache stores a read only if nothing it shows changed
 * while it was being read. Per entity rather than one epoch for everything: with a write every few
 * milliseconds (1 % of a storefront's traffic), a global epoch would refuse to store almost every
 * read that missed, while a write to one SKU has no bearing on a page that does not show it.
 */
export function createInvalidationLog(remembered = DEFAULT_REMEMBERED): InvalidationLog {
  let sequence = 0;
  // Entities evicted from `changedAt` are treated as changed at the newest sequence evicted.
  let horizon = 0;
  const changedAt = new LRUCache<string, number>({
    max: remembered,
    dispose: (value, _key, reason) => {
      if (reason === 'evict') horizon = Math.max(horizon, value);
    },
  });
  const changed = (key: string, since: number) => (changedAt.get(key) ?? 0) > since;
  return {
    now: () => sequence,
    record(entities) {
      sequence++;
      for (const { typename, id } of entities) changedAt.set(id == null ? typename : `${typename}:${id}`, sequence);
    },
    recordEverything() {
      sequence++;
      horizon = sequence;
    },
    changedSince(since, entities) {
      if (horizon > since) return true;
      for (const { typename, id } of entities) {
        if (changed(typename, since)) return true;
        if (id != null && changed(`${typename}:${id}`, since)) return true;
      }
      return false;
    },
  };
}
