/**
 * The storm's verdict, read straight from the run's database once it is quiet: no SKU sold past its
 * stock, the ledger explains every level, no order line applied twice, and every order a platform
 * accepted ended as a reservation or an exception.
 */
import type pg from 'pg';
import { CHANNELS, PLATFORMS, type Platform } from './world.ts';

export interface Audit {
  /** Storm SKUs whose committed units exceed their on-hand units (oversold). */
  oversold: number;
  /** Reserved (open) units of the storm's SKUs, all platforms. */
  reservedUnits: number;
  /** (sku, location) rows whose on_hand or committed is not the sum of their movements, any SKU. */
  ledgerUnbalanced: number;
  /** Storm SKUs whose committed units are not the sum of their open reservation lines. */
  reservationsUnbalanced: number;
  /** Order lines (channel, order, line) with more than one reservation. */
  appliedTwice: number;
  /** Per platform: lines Ponte reserved, and lines it kept as exceptions. */
  lines: Record<Platform, { reserved: number; exceptions: number; open: number; exceptionCodes: Record<string, number> }>;
  /** Inbox messages not processed yet, per platform. */
  unprocessed: Record<Platform, number>;
  /** Stock changes (outbox events) of the storm's SKUs since `sinceEventId`. */
  stockChanges: number;
}

/** The last outbox id now: changes after it belong to the storm. */
export async function lastEventId(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ id: string | null }>('SELECT max(id)::text AS id FROM inventory.stock_events');
  return Number(rows[0]?.id ?? 0);
}

/**
 * For each platform, the storm SKUs whose stock changed at or after `at` other than by that
 * platform's own orders: each must reach its listing after it. A platform's own sale lowers its
 * listing as it happens (every sandbox does, as the platforms do), so a SKU only its own orders
 * changed needs no write there. Counted as stock events after `at` beyond the platform's own lines
 * reserved after it; a line reserved just before `at` and recorded after it counts as its own,
 * which can only leave a SKU out: the bound stays a lower one.
 */
export async function skusChangedSince(client: pg.Client, skus: string[], at: number): Promise<Record<Platform, string[]>> {
  const result = {} as Record<Platform, string[]>;
  for (const platform of PLATFORMS) {
    const schema = await schemaOf(client, platform);
    const { rows } = await client.query<{ sku: string }>(
      `WITH changes AS (SELECT sku, count(*) AS n FROM inventory.stock_events WHERE occurred_at >= $1 AND sku = ANY($2) GROUP BY sku),
            own AS (SELECT sku, count(*) AS n FROM ${schema}.channel_order_lines WHERE updated_at >= $1 AND sku = ANY($2) AND reservation_id IS NOT NULL GROUP BY sku)
       SELECT changes.sku FROM changes LEFT JOIN own USING (sku) WHERE changes.n > coalesce(own.n, 0)`,
      [new Date(at), skus],
    );
    result[platform] = rows.map((row) => row.sku);
  }
  return result;
}

async function schemaOf(client: pg.Client, platform: Platform): Promise<string> {
  // Each platform subgraph keeps its tables in a schema of its own, named after it.
  const { rows } = await client.query<{ table_schema: string }>(`SELECT table_schema FROM information_schema.tables WHERE table_name = 'channel_order_lines' AND table_schema = $1`, [platform]);
  if (!rows[0]) throw new Error(`no channel_order_lines table in schema ${platform}`);
  return rows[0].table_schema;
}

export async function unprocessedMessages(client: pg.Client): Promise<Record<Platform, number>> {
  const result = {} as Record<Platform, number>;
  for (const platform of PLATFORMS) {
    const schema = await schemaOf(client, platform);
    const { rows } = await client.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${schema}.inbox_messages WHERE processed_at IS NULL`);
    result[platform] = rows[0]!.count;
  }
  return result;
}

/** Order lines of the storm's SKUs each platform subgraph has recorded (reserved, exception or later states). */
export async function linesSeen(client: pg.Client, skus: string[]): Promise<Record<Platform, number>> {
  const result = {} as Record<Platform, number>;
  for (const platform of PLATFORMS) {
    const schema = await schemaOf(client, platform);
    const { rows } = await client.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${schema}.channel_order_lines WHERE sku = ANY($1)`, [skus]);
    result[platform] = rows[0]!.count;
  }
  return result;
}

/** When each platform subgraph last applied an order message (epoch ms), or null. */
export async function lastArrivals(client: pg.Client): Promise<Record<Platform, number | null>> {
  const result = {} as Record<Platform, number | null>;
  for (const platform of PLATFORMS) {
    const schema = await schemaOf(client, platform);
    const { rows } = await client.query<{ at: Date | null }>(`SELECT max(processed_at) AS at FROM ${schema}.inbox_messages`);
    result[platform] = rows[0]?.at ? rows[0].at.getTime() : null;
  }
  return result;
}

export async function audit(client: pg.Client, skus: string[], sinceEventId: number): Promise<Audit> {
  const one = async (sql: string, params: unknown[] = []) => (await client.query<{ count: number }>(sql, params)).rows[0]!.count;
  const oversold = await one(
    `SELECT count(*)::int AS count FROM (SELECT sku FROM inventory.stock_levels WHERE sku = ANY($1) GROUP BY sku HAVING sum(committed) > sum(on_hand)) s`,
    [skus],
  );
  const reservedUnits = await one(
    `SELECT coalesce(sum(rl.quantity), 0)::int AS count FROM inventory.reservation_lines rl JOIN inventory.reservations r ON r.id = rl.reservation_id WHERE r.status = 'OPEN' AND rl.sku = ANY($1)`,
    [skus],
  );
  const ledgerUnbalanced = await one(`
    SELECT count(*)::int AS count FROM inventory.stock_levels l
    LEFT JOIN (SELECT sku, location_id, sum(on_hand_delta) AS on_hand, sum(committed_delta) AS committed FROM inventory.stock_movements GROUP BY 1, 2) m USING (sku, location_id)
    WHERE l.on_hand <> coalesce(m.on_hand, 0) OR l.committed <> coalesce(m.committed, 0)`);
  const reservationsUnbalanced = await one(
    `
    SELECT count(*)::int AS count FROM inventory.stock_levels l
    LEFT JOIN (SELECT rl.sku, rl.location_id, sum(rl.quantity) AS units FROM inventory.reservation_lines rl JOIN inventory.reservations r ON r.id = rl.reservation_id
               WHERE r.status = 'OPEN' GROUP BY 1, 2) o USING (sku, location_id)
    WHERE l.sku = ANY($1) AND l.committed <> coalesce(o.units, 0)`,
    [skus],
  );
  const appliedTwice = await one(`
    SELECT count(*)::int AS count FROM (
      SELECT r.channel_id, r.order_reference, rl.line_reference FROM inventory.reservations r JOIN inventory.reservation_lines rl ON rl.reservation_id = r.id
      GROUP BY 1, 2, 3 HAVING count(*) > 1) d`);
  const lines = {} as Audit['lines'];
  for (const platform of PLATFORMS) {
    const schema = await schemaOf(client, platform);
    const states = (await client.query<{ state: string; count: number }>(`SELECT state, count(*)::int AS count FROM ${schema}.channel_order_lines WHERE sku = ANY($1) GROUP BY state`, [skus])).rows;
    const codes = (await client.query<{ code: string; count: number }>(`SELECT code, count(*)::int AS count FROM ${schema}.order_exceptions WHERE sku = ANY($1) GROUP BY code`, [skus])).rows;
    const open = await one(
      `SELECT count(*)::int AS count FROM inventory.reservations r JOIN inventory.reservation_lines rl ON rl.reservation_id = r.id WHERE r.channel_id = $1 AND r.status = 'OPEN' AND rl.sku = ANY($2)`,
      [CHANNELS[platform], skus],
    );
    lines[platform] = {
      reserved: states.find((row) => row.state === 'RESERVED')?.count ?? 0,
      exceptions: states.find((row) => row.state === 'EXCEPTION')?.count ?? 0,
      open,
      exceptionCodes: Object.fromEntries(codes.map((row) => [row.code, row.count])),
    };
  }
  const stockChanges = await one(`SELECT count(*)::int AS count FROM inventory.stock_events WHERE id > $1 AND sku = ANY($2)`, [sinceEventId, skus]);
  return { oversold, reservedUnits, ledgerUnbalanced, reservationsUnbalanced, appliedTwice, lines, unprocessed: await unprocessedMessages(client), stockChanges };
}
