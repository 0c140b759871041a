import DataLoader from 'dataloader';
import type { SqlClient } from '../../kit/database.ts';
import type { ChannelRow, LocationRow, ReservationRow, StockLevelRow, StockMovementRow } from './models.ts';
import * as stock from './repositories/stock-repository.ts';

/**
 * Per-request batching: every entity reference and every list field reads through these, so
 * a page of 100 products costs a handful of SQL statements, not hundreds.
 */
export function createInventoryLoaders(db: SqlClient) {
  const byKey = <Row, Key extends string>(rows: Row[], keyOf: (row: Row) => Key, keys: readonly Key[]) => {
    const index = new Map(rows.map((row) => [keyOf(row), row]));
    return keys.map((key) => index.get(key) ?? null);
  };
  const groupBy = <Row>(rows: Row[], keyOf: (row: Row) => string, keys: readonly string[]) => {
    const groups = new Map<string, Row[]>(keys.map((key) => [key, []]));
    for (const row of rows) groups.get(keyOf(row))?.push(row);
    return keys.map((key) => groups.get(key) ?? []);
  };

  const channel = new DataLoader<string, ChannelRow | null>(async (ids) => byKey(await stock.channelsById(db, ids), (row) => row.id, ids));

  return {
    productExists: new DataLoader<string, boolean>(async (skus) => {
      const known = await stock.existingSkus(db, skus);
      return skus.map((sku) => known.has(sku));
    }),
    levelsBySku: new DataLoader<string, StockLevelRow[]>(async (skus) => groupBy(await stock.levelsForSkus(db, skus), (row) => row.sku, skus)),
    levelsByLocation: new DataLoader<string, StockLevelRow[]>(async (ids) =>
      groupBy(await stock.levelsForLocations(db, ids), (row) => row.locationId, ids),
    ),
    location: new DataLoader<string, LocationRow | null>(async (ids) => byKey(await stock.locationsById(db, ids), (row) => row.id, ids)),
    channel,
    /** Channels change rarely and a request needs all of them for availability: one read. */
    allChannels: new DataLoader<'all', ChannelRow[]>(async (keys) => {
      const channels = await stock.allChannels(db);
      // Availability rows then name their channel without a second read.
      for (const row of channels) channel.prime(row.id, row);
      return keys.map(() => channels);
    }),
    reservation: new DataLoader<string, ReservationRow | null>(async (ids) => byKey(await stock.reservationsById(db, ids), (row) => row.id, ids)),
    /** Key: `${limit}:${sku}`; one statement per distinct limit. */
    recentMovements: new DataLoader<string, StockMovementRow[]>(async (keys) => {
      const byLimit = new Map<number, string[]>();
      for (const key of keys) {
        const separator = key.indexOf(':');
        const limit = Number(key.slice(0, separator));
        byLimit.set(limit, [...(byLimit.get(limit) ?? []), key.slice(separator + 1)]);
      }
      const results = new Map<string, StockMovementRow[]>();
      for (const [limit, skus] of byLimit) {
        const rows = await stock.recentMovementsForSkus(db, skus, limit);
        for (const sku of skus) results.set(`${limit}:${sku}`, rows.filter((row) => row.sku === sku));
      }
      return keys.map((key) => results.get(key) ?? []);
    }),
  };
}

export type InventoryLoaders = ReturnType<typeof createInventoryLoaders>;
