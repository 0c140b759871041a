import type { SqlClient } from '../../../kit/database.ts';
import { ErrorCode, PonteError } from '../../../kit/errors.ts';
import { currentTraceparent } from '../../../kit/telemetry.ts';
import {
  STOCK_CEILING,
  type ChannelRow,
  type LocationRow,
  type ReservationLineRow,
  type ReservationRow,
  type ReservationStatus,
  type RoutingPreference,
  type StockEvent,
  type StockLevelRow,
  type StockMovementKind,
  type StockMovementRow,
} from '../models.ts';

/**
 * The inventory's SQL, in one place. Every function takes the client it runs on, so the
 * service decides what shares a transaction. Timestamps leave the database as ISO 8601 text,
 * identical on PGlite and on a server, and safe to store in an idempotent replay.
 */

const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const LEVEL_COLUMNS_OF = (t: string) => `${t}.sku, ${t}.location_id AS "locationId", ${t}.on_hand AS "onHand", ${t}.committed,
  ${t}.safety_stock AS "safetyStock", ${t}.incoming, ${t}.version, ${iso(`${t}.updated_at`)} AS "updatedAt"`;

export const LEVEL_COLUMNS = LEVEL_COLUMNS_OF('stock_levels');

// `id` is exposed as text (GraphQL ID); order by the table's numeric column, never by this alias.
const MOVEMENT_COLUMNS = `id::text AS id, kind, sku, location_id AS "locationId", on_hand_delta AS "onHandDelta",
  committed_delta AS "committedDelta", incoming_delta AS "incomingDelta", safety_stock_delta AS "safetyStockDelta",
  actor, actor_id AS "actorId", reason, reference, idempotency_key AS "idempotencyKey", reservation_id::text AS "reservationId",
  ${iso('occurred_at')} AS "occurredAt"`;

const LOCATION_COLUMNS = `id, name, kind, priority, postal_code AS "postalCode"`;

const CHANNEL_COLUMNS = `c.id, c.name, c.kind, c.buffer_units AS "bufferUnits", c.percentage_of_available AS "percentageOfAvailable",
  c.max_listed_quantity AS "maxListedQuantity", c.min_listed_quantity AS "minListedQuantity",
  c.backorders_allowed AS "backordersAllowed", c.routing_preference AS "routingPreference",
  coalesce((SELECT array_agg(cl.location_id ORDER BY l.priority, l.id) FROM channel_locations cl
            JOIN locations l ON l.id = cl.location_id WHERE cl.channel_id = c.id), '{}') AS "locationIds"`;

const RESERVATION_COLUMNS = `r.id::text AS id, r.channel_id AS "channelId", r.order_reference AS "orderReference", r.status,
  r.created_by AS "createdBy", r.deliver_to_postal_code AS "deliverToPostalCode", r.routing_preference AS "routingPreference",
  ${iso('r.created_at')} AS "createdAt", ${iso('r.updated_at')} AS "updatedAt",
  coalesce((SELECT json_agg(json_build_object('sku', rl.sku, 'locationId', rl.location_id, 'quantity', rl.quantity,
                                              'lineReference', rl.line_reference, 'orderLine', rl.order_line,
                                              'routingReason', rl.routing_reason, 'distanceKm', rl.routing_distance_km)
                             ORDER BY rl.line_number)
            FROM reservation_lines rl WHERE rl.reservation_id = r.id), '[]') AS lines`;

export interface LevelDeltas {
  onHand?: number;
  committed?: number;
  incoming?: number;
  safetyStock?: number;
}

export interface LevelGuard {
  /** Refuse when the change would leave fewer than 0 available units (reservations, transfers out). */
  keepAvailable?: boolean;
  /** Compare-and-set: refuse unless on-hand is exactly this. */
  expectedOnHand?: number | null;
}

// Products, locations, channels ------------------------------------------------------------

export async function missingSkus(db: SqlClient, skus: readonly string[]): Promise<string[]> {
  if (skus.length === 0) return [];
  const known = await existingSkus(db, skus);
  return [...new Set(skus)].filter((sku) => !known.has(sku));
}

export async function productsPage(db: SqlClient, after: string | null, limit: number): Promise<string[]> {
  const rows = await db.query<{ sku: string }>(
    'SELECT sku FROM products WHERE ($1::text IS NULL OR sku > $1) ORDER BY sku LIMIT $2',
    [after, limit],
  );
  return rows.map((row) => row.sku);
}

export async function existingSkus(db: SqlClient, skus: readonly string[]): Promise<Set<string>> {
  const rows = await db.query<{ sku: string }>('SELECT sku FROM products WHERE sku = ANY($1::text[])', [skus]);
  return new Set(rows.map((row) => row.sku));
}

export async function locationsById(db: SqlClient, ids: readonly string[]): Promise<LocationRow[]> {
  return db.query<LocationRow>(`SELECT ${LOCATION_COLUMNS} FROM locations WHERE id = ANY($1::text[])`, [ids]);
}

export async function allLocations(db: SqlClient): Promise<LocationRow[]> {
  return db.query<LocationRow>(`SELECT ${LOCATION_COLUMNS} FROM locations ORDER BY priority, id`);
}

export async function channelsById(db: SqlClient, ids: readonly string[]): Promise<ChannelRow[]> {
  return db.query<ChannelRow>(`SELECT ${CHANNEL_COLUMNS} FROM channels c WHERE c.id = ANY($1::text[])`, [ids]);
}

export async function allChannels(db: SqlClient): Promise<ChannelRow[]> {
  return db.query<ChannelRow>(`SELECT ${CHANNEL_COLUMNS} FROM channels c ORDER BY c.id`);
}

// Stock levels ------------------------------------------------------------------------------

export async function levelsForSkus(db: SqlClient, skus: readonly string[]): Promise<StockLevelRow[]> {
  return db.query<StockLevelRow>(
    `SELECT ${LEVEL_COLUMNS} FROM stock_levels WHERE sku = ANY($1::text[]) ORDER BY sku, location_id`,
    [skus],
  );
}

export async function levelsForLocations(db: SqlClient, locationIds: readonly string[]): Promise<StockLevelRow[]> {
  return db.query<StockLevelRow>(
    `SELECT ${LEVEL_COLUMNS} FROM stock_levels WHERE location_id = ANY($1::text[]) ORDER BY location_id, sku`,
    [locationIds],
  );
}

export async function levelAt(db: SqlClient, sku: string, locationId: string): Promise<StockLevelRow | undefined> {
  const [row] = await db.query<StockLevelRow>(
    `SELECT ${LEVEL_COLUMNS} FROM stock_levels WHERE sku = $1 AND location_id = $2`,
    [sku, locationId],
  );
  return row;
}

/** Makes sure a level row exists, so that a guarded update can tell "refused" from "absent". */
export async function ensureLevel(db: SqlClient, sku: string, locationId: string): Promise<void> {
  await db.query('INSERT INTO stock_levels (sku, location_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [sku, locationId]);
}

/**
 * Takes the row lock of each SKU's product, in SKU order, for a write that may raise its stock.
 * The ceiling on a SKU's total across locations is a check over several rows; holding this lock
 * while the check and the update run means two writers at different locations cannot both pass
 * it. Writes that only lower stock (fulfilment, release) need not take it: they can only help.
 * FOR NO KEY UPDATE leaves the foreign-key checks of new stock_levels rows unblocked.
 */
export async function lockSkusForIncrease(db: SqlClient, skus: readonly string[]): Promise<void> {
  const sorted = [...new Set(skus)].sort();
  if (sorted.length === 0) return;
  await db.query('SELECT sku FROM products WHERE sku = ANY($1::text[]) ORDER BY sku FOR NO KEY UPDATE', [sorted]);
}

const TOTAL_FIELDS = ['onHand', 'committed', 'incoming', 'safetyStock'] as const;
type Totals = Record<`total${Capitalize<(typeof TOTAL_FIELDS)[number]>}`, number | string>;

/**
 * Applies deltas to one level in a single conditional UPDATE. The row lock the UPDATE takes
 * and PostgreSQL's re-check of the WHERE clause against the latest committed row are what make
 * concurrent reservations safe: a refused guard returns nothing and changes nothing.
 *
 * Every raised column also stays within `ceiling` summed over the SKU's locations (which bounds
 * each level too, none being negative). The sums are read by this same statement, after the
 * caller took `lockSkusForIncrease`, so they include every committed write; the statement also
 * answers the sums it judged by, so a refusal because of the ceiling is told apart from the
 * others without a second read. It throws QUANTITY_LIMIT_EXCEEDED; any other refusal returns
 * undefined as before.
 */
export async function changeLevel(
  db: SqlClient,
  sku: string,
  locationId: string,
  deltas: LevelDeltas,
  guard: LevelGuard = {},
  ceiling: number = STOCK_CEILING,
): Promise<StockLevelRow | undefined> {
  const [row] = await db.query<Partial<StockLevelRow> & Totals>(
    `WITH d AS (SELECT $3::bigint AS on_hand, $4::bigint AS committed, $5::bigint AS incoming, $6::bigint AS safety_stock),
     totals AS (
       SELECT coalesce(sum(on_hand), 0)::bigint AS on_hand, coalesce(sum(committed), 0)::bigint AS committed,
              coalesce(sum(incoming), 0)::bigint AS incoming, coalesce(sum(safety_stock), 0)::bigint AS safety_stock
         FROM stock_levels WHERE sku = $1),
     within AS (
       SELECT (d.on_hand <= 0 OR t.on_hand + d.on_hand <= $9::bigint) AND (d.committed <= 0 OR t.committed + d.committed <= $9::bigint)
          AND (d.incoming <= 0 OR t.incoming + d.incoming <= $9::bigint) AND (d.safety_stock <= 0 OR t.safety_stock + d.safety_stock <= $9::bigint) AS ok
         FROM d, totals t),
     changed AS (
       UPDATE stock_levels l
          SET on_hand = l.on_hand + d.on_hand, committed = l.committed + d.committed, incoming = l.incoming + d.incoming,
              safety_stock = l.safety_stock + d.safety_stock, version = l.version + 1, updated_at = now()
         FROM d, within w
        WHERE l.sku = $1 AND l.location_id = $2 AND w.ok
          AND l.on_hand + d.on_hand >= 0 AND l.committed + d.committed >= 0 AND l.incoming + d.incoming >= 0
          AND l.safety_stock + d.safety_stock >= 0
          AND (NOT $7::boolean OR (l.on_hand + d.on_hand) - (l.committed + d.committed) - (l.safety_stock + d.safety_stock) >= 0)
          AND ($8::integer IS NULL OR l.on_hand = $8)
        RETURNING ${LEVEL_COLUMNS_OF('l')})
     SELECT changed.*, t.on_hand AS "totalOnHand", t.committed AS "totalCommitted", t.incoming AS "totalIncoming",
            t.safety_stock AS "totalSafetyStock"
       FROM totals t LEFT JOIN changed ON true`,
    [
      sku,
      locationId,
      deltas.onHand ?? 0,
      deltas.committed ?? 0,
      deltas.incoming ?? 0,
      deltas.safetyStock ?? 0,
      guard.keepAvailable ?? false,
      guard.expectedOnHand ?? null,
      ceiling,
    ],
  );
  const { totalOnHand, totalCommitted, totalIncoming, totalSafetyStock, ...level } = row!;
  if (level.sku != null) return level as StockLevelRow;
  const totals = { onHand: totalOnHand, committed: totalCommitted, incoming: totalIncoming, safetyStock: totalSafetyStock };
  for (const field of TOTAL_FIELDS) {
    const delta = deltas[field] ?? 0;
    const total = Number(totals[field]);
    if (delta > 0 && total + delta > ceiling) {
      throw new PonteError(
        ErrorCode.QUANTITY_LIMIT_EXCEEDED,
        `${field} of ${sku} would reach ${total + delta} across its locations; the most Ponte holds per SKU is ${ceiling}`,
        { sku, location: locationId, field, total, delta, limit: ceiling },
      );
    }
  }
  return undefined;
}

// Ledger ------------------------------------------------------------------------------------

export interface NewMovement {
  kind: StockMovementKind;
  sku: string;
  locationId: string;
  deltas: LevelDeltas;
  actor: string;
  /** The principal's id (`key:…`, `jwt:…`, `service:…`); null for in-process callers without one. */
  actorId: string | null;
  reason: string | null;
  reference: string | null;
  idempotencyKey: string;
  reservationId: string | null;
}

export async function recordMovement(db: SqlClient, movement: NewMovement): Promise<StockMovementRow> {
  const [row] = await db.query<StockMovementRow>(
    `INSERT INTO stock_movements (kind, sku, location_id, on_hand_delta, committed_delta, incoming_delta,
                                  safety_stock_delta, actor, reason, reference, idempotency_key, reservation_id, actor_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::bigint, $13)
     RETURNING ${MOVEMENT_COLUMNS}`,
    [
      movement.kind,
      movement.sku,
      movement.locationId,
      movement.deltas.onHand ?? 0,
      movement.deltas.committed ?? 0,
      movement.deltas.incoming ?? 0,
      movement.deltas.safetyStock ?? 0,
      movement.actor,
      movement.reason,
      movement.reference,
      movement.idempotencyKey,
      movement.reservationId,
      movement.actorId,
    ],
  );
  return row!;
}

export async function movementsFor(
  db: SqlClient,
  filter: { sku?: string | null; locationId?: string | null },
  limit: number,
): Promise<StockMovementRow[]> {
  return db.query<StockMovementRow>(
    `SELECT ${MOVEMENT_COLUMNS} FROM stock_movements
      WHERE ($1::text IS NULL OR sku = $1) AND ($2::text IS NULL OR location_id = $2)
      ORDER BY stock_movements.id DESC LIMIT $3`,
    [filter.sku ?? null, filter.locationId ?? null, limit],
  );
}

/** The latest `limit` movements of each SKU, in one statement (a window per SKU). */
export async function recentMovementsForSkus(db: SqlClient, skus: readonly string[], limit: number): Promise<StockMovementRow[]> {
  return db.query<StockMovementRow>(
    `SELECT ${MOVEMENT_COLUMNS} FROM (
       SELECT m.*, row_number() OVER (PARTITION BY m.sku ORDER BY m.id DESC) AS position
         FROM stock_movements m WHERE m.sku = ANY($1::text[])) ranked
      WHERE position <= $2 ORDER BY ranked.sku, ranked.id DESC`,
    [skus, limit],
  );
}

// Reservations ------------------------------------------------------------------------------

export async function createReservation(
  db: SqlClient,
  channelId: string,
  orderReference: string,
  createdBy: string | null,
  routing: { deliverToPostalCode: string | null; preference: RoutingPreference },
): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO reservations (channel_id, order_reference, created_by, deliver_to_postal_code, routing_preference)
     VALUES ($1, $2, $3, $4, $5) RETURNING id::text AS id`,
    [channelId, orderReference, createdBy, routing.deliverToPostalCode, routing.preference],
  );
  return row!.id;
}

/** The longest routing explanation kept (the column's CHECK). */
const MAX_ROUTING_REASON_LENGTH = 1000;

export async function addReservationLine(db: SqlClient, reservationId: string, lineNumber: number, line: ReservationLineRow): Promise<void> {
  const reason = line.routingReason ?? null;
  await db.query(
    `INSERT INTO reservation_lines (reservation_id, line_number, sku, location_id, quantity, line_reference, order_line, routing_reason, routing_distance_km)
     VALUES ($1::bigint, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      reservationId, lineNumber, line.sku, line.locationId, line.quantity, line.lineReference, line.orderLine ?? null,
      reason && reason.length > MAX_ROUTING_REASON_LENGTH ? `${reason.slice(0, MAX_ROUTING_REASON_LENGTH - 1)}…` : reason,
      line.distanceKm ?? null,
    ],
  );
}

/** Sets a channel's routing preference; false when there is no such channel. */
export async function setChannelRoutingPreference(db: SqlClient, channelId: string, preference: RoutingPreference): Promise<boolean> {
  const rows = await db.query('UPDATE channels SET routing_preference = $2 WHERE id = $1 RETURNING id', [channelId, preference]);
  return rows.length === 1;
}

export async function reservationsById(db: SqlClient, ids: readonly string[]): Promise<ReservationRow[]> {
  const numeric = ids.filter((id) => /^\d{1,18}$/.test(id));
  if (numeric.length === 0) return [];
  return db.query<ReservationRow>(`SELECT ${RESERVATION_COLUMNS} FROM reservations r WHERE r.id = ANY($1::bigint[])`, [numeric]);
}

export async function reservationsForOrder(db: SqlClient, channelId: string, orderReference: string): Promise<ReservationRow[]> {
  return db.query<ReservationRow>(
    `SELECT ${RESERVATION_COLUMNS} FROM reservations r WHERE r.channel_id = $1 AND r.order_reference = $2 ORDER BY r.id`,
    [channelId, orderReference],
  );
}

/** Moves an OPEN reservation to `status`; returns nothing if it was not OPEN (row-locked, so once only). */
export async function closeReservation(db: SqlClient, id: string, status: Exclude<ReservationStatus, 'OPEN'>): Promise<boolean> {
  const rows = await db.query(
    `UPDATE reservations SET status = $2, updated_at = now() WHERE id = $1::bigint AND status = 'OPEN' RETURNING id`,
    [id, status],
  );
  return rows.length === 1;
}

// Idempotency -------------------------------------------------------------------------------

/**
 * Claims a key in the principal's own namespace; concurrent claims of the same key by the same
 * principal wait on the primary key for the first to finish. Another principal's key of the same
 * text is a different row: it can neither block nor replay this one.
 */
export async function claimIdempotencyKey(db: SqlClient, principalId: string, key: string, operation: string, requestHash: string): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO idempotency_keys (principal_id, key, operation, request_hash) VALUES ($1, $2, $3, $4)
     ON CONFLICT (principal_id, key) DO NOTHING RETURNING key`,
    [principalId, key, operation, requestHash],
  );
  return rows.length === 1;
}

export async function idempotentResponse(
  db: SqlClient,
  principalId: string,
  key: string,
): Promise<{ operation: string; requestHash: string; response: unknown } | undefined> {
  const [row] = await db.query<{ operation: string; requestHash: string; response: unknown }>(
    'SELECT operation, request_hash AS "requestHash", response FROM idempotency_keys WHERE principal_id = $1 AND key = $2',
    [principalId, key],
  );
  return row;
}

export async function storeIdempotentResponse(db: SqlClient, principalId: string, key: string, response: unknown): Promise<void> {
  await db.query('UPDATE idempotency_keys SET response = $3::jsonb WHERE principal_id = $1 AND key = $2', [principalId, key, JSON.stringify(response)]);
}

// Outbox ------------------------------------------------------------------------------------

export function outboxChannel(schema: string): string {
  return `ponte_stock_events_${schema}`;
}

/**
 * Writes one event per changed (sku, location), in the caller's transaction. They reach
 * stock_events, with their ids, as the transaction commits (migration 007_outbox_ids_at_commit.sql):
 * ids become visible strictly in id order without a lock held across this process's round trips.
 */
export async function appendStockEvents(
  db: SqlClient,
  schema: string,
  changes: ReadonlyArray<{ sku: string; locationId: string; kind: StockMovementKind }>,
): Promise<void> {
  if (changes.length === 0) return;
  const skus = [...new Set(changes.map((change) => change.sku))];
  // The levels this transaction leaves: the rows it changed are locked by it until commit.
  const levels = await levelsForSkus(db, skus);
  const events = changes.map((change) => {
    const skuLevels = levels.filter((level) => level.sku === change.sku);
    return {
      sku: change.sku,
      locationId: change.locationId,
      kind: change.kind,
      payload: { level: skuLevels.find((level) => level.locationId === change.locationId), levels: skuLevels },
    };
  });
  // NOTIFY is delivered only if and when the transaction commits: a rollback publishes nothing.
  await db.query(
    `WITH appended AS (
       INSERT INTO stock_events_pending (sku, location_id, kind, payload, trace_parent)
       SELECT e->>'sku', e->>'locationId', e->>'kind', e->'payload', $2
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(e, position) ORDER BY position
       RETURNING 1)
     SELECT pg_notify($3, '') FROM (SELECT count(*) FROM appended) AS written`,
    // The change's trace travels with its events, so what they cause elsewhere can link to it.
    [JSON.stringify(events), currentTraceparent() ?? null, outboxChannel(schema)],
  );
}

export async function stockEventsAfter(db: SqlClient, afterId: number, limit: number): Promise<StockEvent[]> {
  const rows = await db.query<{ id: string; sku: string; locationId: string; kind: StockMovementKind; payload: { level: StockLevelRow; levels: StockLevelRow[] }; occurredAt: string; traceparent: string | null }>(
    `SELECT id::text AS id, sku, location_id AS "locationId", kind, payload, ${iso('occurred_at')} AS "occurredAt", trace_parent AS traceparent
       FROM stock_events WHERE id > $1 ORDER BY stock_events.id LIMIT $2`,
    [afterId, limit],
  );
  return rows.map((row) => ({
    id: row.id,
    sku: row.sku,
    locationId: row.locationId,
    kind: row.kind,
    level: row.payload.level,
    levels: row.payload.levels,
    occurredAt: row.occurredAt,
    traceparent: row.traceparent,
  }));
}

/** The oldest stock event kept (null when none is) and the newest issued (0 before the first). */
export async function stockEventRange(db: SqlClient): Promise<{ first: number | null; last: number }> {
  const [row] = await db.query<{ first: string | null; last: string }>('SELECT min(id)::text AS first, coalesce(max(id), 0)::text AS last FROM stock_events');
  return { first: row?.first == null ? null : Number(row.first), last: Number(row?.last ?? 0) };
}

export async function lastStockEventId(db: SqlClient): Promise<number> {
  const [row] = await db.query<{ id: number }>('SELECT coalesce(max(id), 0)::bigint AS id FROM stock_events');
  return Number(row?.id ?? 0);
}
