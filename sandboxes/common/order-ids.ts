/**
 * Where a sandbox's order ids start. A sandbox keeps its orders in memory and re-seeds on every
 * start, but a client that remembers the ids it has applied (Ponte's order sync, in a database
 * that outlives the sandbox) must never see an id again for a different order: the real
 * platforms never reuse one. With `unique`, the sequence starts at the clock in milliseconds
 * (plus the platform's own offset), so a later run starts above every id an earlier run handed
 * out unless that run created more than one order per millisecond of its life. Without it, at
 * `fixed`, so tests can read the ids.
 */
export function firstOrderId(options: { fixed: number; unique: boolean | undefined; offset?: number; now?: () => number }): number {
  return options.unique ? (options.offset ?? 0) + (options.now ?? Date.now)() : options.fixed;
}
