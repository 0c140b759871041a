import type { Database } from '../../kit/database.ts';
import { ErrorCode, PonteError } from '../../kit/errors.ts';
import type { Logger } from '../../kit/logger.ts';
import type { Principal } from '../../kit/principal.ts';
import { retryDelayMs } from '../../kit/backoff.ts';

/** One line of a shipment: the platform's line id (as the order's intake keyed it) and the units shipped. */
export interface ShipmentLine {
  lineId: string;
  sku?: string | null | undefined;
  quantity: number;
}

/** What Ponte fulfilled, to be told to the platform the order came from. */
export interface ShipmentToConfirm {
  /** The platform's order id, as this subgraph's intake keys it (Shopify's order GID, WooCommerce's number, …). */
  orderId: string;
  /** The fulfilment's id in Ponte (the orders subgraph's): a redelivery with the same id confirms once. */
  fulfilmentId: string;
  carrier: string;
  trackingCode: string;
  trackingUrl?: string | null | undefined;
  /** ISO 8601. */
  shippedAt: string;
  lines: ShipmentLine[];
}

export type ShipmentConfirmationStatus = 'PENDING' | 'CONFIRMED' | 'REFUSED' | 'DEAD';

export interface ShipmentConfirmationRow {
  id: string;
  orderId: string;
  fulfilmentId: string;
  carrier: string;
  trackingCode: string;
  trackingUrl: string | null;
  shippedAt: string;
  lines: ShipmentLine[];
  status: ShipmentConfirmationStatus;
  attempts: number;
  lastError: string | null;
  platformReference: string | null;
  createdAt: string;
  updatedAt: string;
  confirmedAt: string | null;
}

/** A claimed row as the platform's confirmer gets it. */
export interface ClaimedShipment extends ShipmentToConfirm {
  id: string;
  trackingUrl: string | null;
  /** Attempts already made: a positive number means an earlier one may have reached the platform. */
  attempts: number;
  /** The lines of this order's other shipments the platform already took (a platform that ships orders whole completes the order once all is shipped). */
  confirmedLines: ShipmentLine[];
  /**
   * Stable across attempts of this shipment: where the platform takes an idempotency key or a
   * reference of ours, this is it, so a repeat after a crash is recognised there.
   */
  idempotencyKey: string;
}

/**
 * What the platform answered: CONFIRMED (it shows the shipment to the shopper; `reference` is its
 * id for it); RETRY (throttled, down, timed out: again later, not before `retryAfterMs`); REFUSED
 * (the platform ships this order itself, e.g. Amazon FBA or Mercado Envios: nothing to tell, kept
 * with the reason, never retried); FAILED (it will not work by retrying, e.g. an unknown order: kept
 * as a dead letter for an operator to replay).
 */
export type ConfirmOutcome =
  | { outcome: 'CONFIRMED'; reference?: string | undefined }
  | { outcome: 'RETRY'; error: string; retryAfterMs?: number | undefined }
  | { outcome: 'REFUSED'; reason: string }
  | { outcome: 'FAILED'; error: string };

/** A platform's side of shipment confirmation: each platform subgraph implements it with its own client. */
export interface ShipmentConfirmer {
  /**
   * Tells the platform, in its own terms, idempotently: a repeat of a call that reached the
   * platform (the row was claimed again after a crash) must not make a second shipment there.
   * Throwing is a RETRY.
   */
  confirm(shipment: ClaimedShipment): Promise<ConfirmOutcome>;
}

export interface ShipmentConfirmationsOptions {
  db: Database;
  log: Logger;
  /** Short platform name, for logs and the idempotency key (`shopify`). */
  platform: string;
  /** The canonical channel this platform account sells on: a service held to other channels is refused. */
  channel: string;
  confirmer: ShipmentConfirmer;
  /**
   * Attempts before a shipment becomes a dead letter: with the backoff below, about an hour of
   * retries, so a platform's passing outage needs no one.
   * @default 20
   */
  maxAttempts?: number;
  /** Safety poll besides the nudge every new shipment gives. @default 1000 */
  pollIntervalMs?: number;
  /** @default 1000 */
  baseBackoffMs?: number;
  /** @default 300_000 */
  maxBackoffMs?: number;
  /** How long a claimed shipment is left alone by other workers while its call is made. @default 60_000 */
  claimMs?: number;
}

const MAX_ID_LENGTH = 200;
const MAX_TEXT_LENGTH = 200;
const MAX_URL_LENGTH = 2000;
const MAX_LINES = 250;
const MAX_QUANTITY = 2_147_483_647;
const MAX_PAGE = 200;
const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const COLUMNS = `id::text AS id, order_id AS "orderId", fulfilment_id AS "fulfilmentId", carrier, tracking_code AS "trackingCode",
  tracking_url AS "trackingUrl", ${ISO('shipped_at')} AS "shippedAt", lines, status, attempts, last_error AS "lastError",
  platform_reference AS "platformReference", ${ISO('created_at')} AS "createdAt", ${ISO('updated_at')} AS "updatedAt", ${ISO('confirmed_at')} AS "confirmedAt"`;

/**
 * The shipment confirmation queue of one platform subgraph: a fulfilment Ponte shipped is stored
 * once per (platform order, fulfilment) and a worker tells the platform, claiming due rows
 * (`FOR UPDATE SKIP LOCKED`, held under a lease) so replicas share the work, one shipment of an
 * order at a time; failures are retried with backoff (the platform's Retry-After first), then kept
 * as dead letters to replay. Everything is in the database: a crash loses nothing, and the
 * confirmer's idempotency makes the repeat of an interrupted call harmless.
 */
export class ShipmentConfirmations {
  readonly #options: ShipmentConfirmationsOptions;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(options: ShipmentConfirmationsOptions) {
    this.#options = options;
    this.#log = options.log.child({ component: 'shipment-confirmations', platform: options.platform });
  }

  get channel(): string {
    return this.#options.channel;
  }

  start(): void {
    this.#timer = setInterval(() => void this.drain(), this.#options.pollIntervalMs ?? 1000);
    this.#timer.unref();
    void this.drain();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#running;
  }

  /**
   * Queues a shipment to tell the platform; the same (order, fulfilment) again answers the row
   * already queued (whatever its state) and queues nothing. This is what the orders subgraph's
   * fulfilment feed calls, and what `confirm…Shipment` does for an operator or a service.
   */
  async enqueue(shipment: ShipmentToConfirm): Promise<{ confirmation: ShipmentConfirmationRow; queued: boolean }> {
    const valid = validShipment(shipment);
    const inserted = await this.#options.db.query<ShipmentConfirmationRow>(
      `INSERT INTO shipment_confirmations (order_id, fulfilment_id, carrier, tracking_code, tracking_url, shipped_at, lines)
       VALUES ($1, $2, $3, $4, $5, $6::timestamptz, $7::jsonb)
       ON CONFLICT (order_id, fulfilment_id) DO NOTHING RETURNING ${COLUMNS}`,
      [valid.orderId, valid.fulfilmentId, valid.carrier, valid.trackingCode, valid.trackingUrl ?? null, valid.shippedAt, JSON.stringify(valid.lines)],
    );
    if (inserted[0]) {
      this.#log.info({ confirmationId: inserted[0].id, orderId: valid.orderId, fulfilmentId: valid.fulfilmentId }, 'shipment queued for the platform');
      void this.drain();
      return { confirmation: inserted[0], queued: true };
    }
    const [existing] = await this.#options.db.query<ShipmentConfirmationRow>(`SELECT ${COLUMNS} FROM shipment_confirmations WHERE order_id = $1 AND fulfilment_id = $2`, [valid.orderId, valid.fulfilmentId]);
    if (existing && (existing.trackingCode !== valid.trackingCode || existing.carrier !== valid.carrier)) {
      // The first one told stands: the platform may already show it to the shopper.
      this.#log.warn({ confirmationId: existing.id, orderId: valid.orderId, fulfilmentId: valid.fulfilmentId }, 'fulfilment queued again with other tracking; the first one stands');
    }
    return { confirmation: existing!, queued: false };
  }

  /** Rows by status (all when null), newest first. */
  async list(options: { status?: ShipmentConfirmationStatus | null | undefined; first?: number | null | undefined } = {}): Promise<ShipmentConfirmationRow[]> {
    const limit = options.first ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new PonteError(ErrorCode.BAD_USER_INPUT, `first must be from 1 to ${MAX_PAGE}, got ${limit}`, { field: 'first' });
    return this.#options.db.query<ShipmentConfirmationRow>(
      `SELECT ${COLUMNS} FROM shipment_confirmations WHERE ($1::text IS NULL OR status = $1) ORDER BY updated_at DESC, id DESC LIMIT $2`,
      [options.status ?? null, limit],
    );
  }

  async get(id: string): Promise<ShipmentConfirmationRow | undefined> {
    if (!/^\d{1,18}$/.test(id)) return undefined;
    const [row] = await this.#options.db.query<ShipmentConfirmationRow>(`SELECT ${COLUMNS} FROM shipment_confirmations WHERE id = $1::bigint`, [id]);
    return row;
  }

  async counts(): Promise<Record<ShipmentConfirmationStatus, number>> {
    const rows = await this.#options.db.query<{ status: ShipmentConfirmationStatus; count: number }>('SELECT status, count(*)::int AS count FROM shipment_confirmations GROUP BY status');
    const count = (status: ShipmentConfirmationStatus) => rows.find((row) => row.status === status)?.count ?? 0;
    return { PENDING: count('PENDING'), CONFIRMED: count('CONFIRMED'), REFUSED: count('REFUSED'), DEAD: count('DEAD') };
  }

  /** Queues dead letters again (all, or those ids); returns the rows queued. */
  async replayDead(ids?: readonly string[] | null): Promise<ShipmentConfirmationRow[]> {
    if (ids && ids.length > MAX_PAGE) throw new PonteError(ErrorCode.BAD_USER_INPUT, `ids must list at most ${MAX_PAGE} confirmations`, { field: 'ids' });
    const invalid = ids?.findIndex((id) => !/^\d{1,18}$/.test(id)) ?? -1;
    if (invalid >= 0) throw new PonteError(ErrorCode.BAD_USER_INPUT, `ids[${invalid}] is not a shipment confirmation id`, { field: `ids[${invalid}]` });
    const rows = await this.#options.db.query<ShipmentConfirmationRow>(
      `UPDATE shipment_confirmations SET status = 'PENDING', attempts = 0, next_attempt_at = now(), claimed_until = NULL, updated_at = now()
        WHERE status = 'DEAD' AND ($1::bigint[] IS NULL OR id = ANY($1::bigint[])) RETURNING ${COLUMNS}`,
      [ids ?? null],
    );
    if (rows.length > 0) {
      this.#log.info({ replayed: rows.length }, 'dead shipment confirmations queued again');
      void this.drain();
    }
    return rows;
  }

  /** Confirms every due shipment; concurrent calls coalesce. Resolves when none is due. */
  drain(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#loop()
      .catch((error: unknown) => this.#log.error({ err: error }, 'shipment confirmation worker failed'))
      .finally(() => {
        this.#running = undefined;
      });
    return this.#running;
  }

  async #loop(): Promise<void> {
    do {
      this.#again = false;
      for (;;) {
        if (this.#stopped) return;
        const [claimed] = await this.#claim();
        if (!claimed) break;
        await this.#confirm(claimed);
      }
    } while (this.#again && !this.#stopped);
  }

  /**
   * Takes the oldest due shipment whose order has no other shipment in flight: two fulfilments of
   * one order told at once could each read the same remaining quantities on the platform.
   */
  async #claim(): Promise<ClaimedShipment[]> {
    // Claims are taken one at a time per queue: under READ COMMITTED, two workers claiming at once
    // each miss the other's uncommitted claim in NOT EXISTS and could take two shipments of one
    // order. The lock is held only for the claim's UPDATE, never while the platform is called.
    const rows = await this.#options.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.shipment_confirmations'))`);
      return tx.query<ShipmentConfirmationRow>(
        `UPDATE shipment_confirmations SET claimed_until = now() + make_interval(secs => $1)
          WHERE id IN (SELECT s.id FROM shipment_confirmations s
                        WHERE s.status = 'PENDING' AND s.next_attempt_at <= now() AND (s.claimed_until IS NULL OR s.claimed_until <= now())
                          AND NOT EXISTS (SELECT 1 FROM shipment_confirmations o
                                           WHERE o.order_id = s.order_id AND o.id <> s.id AND o.status = 'PENDING' AND o.claimed_until > now())
                        ORDER BY s.next_attempt_at, s.id LIMIT 1 FOR UPDATE SKIP LOCKED)
          RETURNING ${COLUMNS}`,
        [(this.#options.claimMs ?? 60_000) / 1000],
      );
    });
    const confirmed = rows[0]
      ? await this.#options.db.query<{ lines: ShipmentLine[] }>(`SELECT lines FROM shipment_confirmations WHERE order_id = $1 AND status = 'CONFIRMED' AND id <> $2::bigint`, [rows[0].orderId, rows[0].id])
      : [];
    return rows.map((row) => ({
      confirmedLines: confirmed.flatMap((other) => other.lines),
      id: row.id,
      orderId: row.orderId,
      fulfilmentId: row.fulfilmentId,
      carrier: row.carrier,
      trackingCode: row.trackingCode,
      trackingUrl: row.trackingUrl,
      shippedAt: row.shippedAt,
      lines: row.lines,
      attempts: row.attempts,
      idempotencyKey: `ponte-${this.#options.platform}-shipment-${row.id}`,
    }));
  }

  async #confirm(shipment: ClaimedShipment): Promise<void> {
    let result: ConfirmOutcome;
    try {
      result = await this.#options.confirmer.confirm(shipment);
    } catch (error) {
      result = { outcome: 'RETRY', error: (error as Error).message ?? String(error) };
    }
    const { db } = this.#options;
    const where = `WHERE id = $1::bigint AND status = 'PENDING'`;
    switch (result.outcome) {
      case 'CONFIRMED':
        await db.query(
          `UPDATE shipment_confirmations SET status = 'CONFIRMED', platform_reference = $2, attempts = attempts + 1, last_error = NULL,
                  confirmed_at = now(), updated_at = now(), claimed_until = NULL ${where}`,
          [shipment.id, result.reference ?? null],
        );
        this.#log.info({ confirmationId: shipment.id, orderId: shipment.orderId, reference: result.reference }, 'shipment confirmed on the platform');
        return;
      case 'REFUSED':
        await db.query(`UPDATE shipment_confirmations SET status = 'REFUSED', attempts = attempts + 1, last_error = $2, updated_at = now(), claimed_until = NULL ${where}`, [shipment.id, result.reason.slice(0, 1000)]);
        this.#log.info({ confirmationId: shipment.id, orderId: shipment.orderId, reason: result.reason }, 'shipment not the seller’s to confirm; recorded');
        return;
      case 'FAILED':
      case 'RETRY': {
        const attempts = shipment.attempts + 1;
        const dead = result.outcome === 'FAILED' || attempts >= (this.#options.maxAttempts ?? 20);
        const delayMs = retryDelayMs(attempts, { baseMs: this.#options.baseBackoffMs ?? 1000, maxMs: this.#options.maxBackoffMs ?? 300_000, retryAfterMs: result.outcome === 'RETRY' ? result.retryAfterMs : undefined });
        await db.query(
          `UPDATE shipment_confirmations SET status = $2, attempts = $3, last_error = $4, updated_at = now(), claimed_until = NULL,
                  next_attempt_at = now() + make_interval(secs => $5) ${where}`,
          [shipment.id, dead ? 'DEAD' : 'PENDING', attempts, result.error.slice(0, 1000), delayMs / 1000],
        );
        if (dead) this.#log.warn({ confirmationId: shipment.id, orderId: shipment.orderId, attempts, error: result.error }, 'shipment could not be confirmed; kept as a dead letter');
        else this.#log.warn({ confirmationId: shipment.id, orderId: shipment.orderId, attempts, error: result.error, delayMs: Math.round(delayMs) }, 'shipment confirmation failed; will retry');
        if (!dead) this.#wakeAt(delayMs);
        return;
      }
    }
  }

  /** A retry sooner than the poll would find it is still taken on time. */
  #wakeAt(delayMs: number): void {
    const poll = this.#options.pollIntervalMs ?? 1000;
    if (delayMs >= poll || this.#stopped) return;
    setTimeout(() => void this.drain(), delayMs + 5).unref();
  }
}

/**
 * Who may tell a platform about a shipment: a caller with orders:write (the orders subgraph's
 * service key, an operator), held to its channels when it has any. Checked here as well as by
 * `@requiresScopes`: a service key may reach a subgraph without the gateway.
 */
export function shipmentCaller(principal: Principal | undefined, channel: string): Principal {
  if (!principal) throw new PonteError(ErrorCode.UNAUTHENTICATED, 'Confirming a shipment needs an authenticated caller');
  if (!principal.scopes.includes('orders:write')) throw new PonteError(ErrorCode.FORBIDDEN, `${principal.name} may not confirm shipments (orders:write)`, { scope: 'orders:write' });
  // A partner's orders:write is for fulfilOrder, which records the parcel and commits the stock before the platform is told.
  if (principal.role === 'partner') throw new PonteError(ErrorCode.FORBIDDEN, `${principal.name} ships through fulfilOrder, not by telling the platform directly`, { scope: 'orders:write' });
  if (principal.channels && !principal.channels.includes(channel)) throw new PonteError(ErrorCode.FORBIDDEN, `${principal.name} may not act on channel ${channel}`, { channel });
  return principal;
}

function validShipment(input: ShipmentToConfirm): ShipmentToConfirm {
  const text = (field: string, value: unknown, max: number): string => {
    if (typeof value !== 'string' || value.trim().length === 0 || value.length > max || /\p{Cc}/u.test(value)) {
      throw new PonteError(ErrorCode.BAD_USER_INPUT, `${field} must be 1 to ${max} characters without control characters`, { field });
    }
    return value.trim();
  };
  const orderId = text('orderId', input.orderId, MAX_ID_LENGTH);
  const fulfilmentId = text('fulfilmentId', input.fulfilmentId, MAX_ID_LENGTH);
  const carrier = text('carrier', input.carrier, MAX_TEXT_LENGTH);
  const trackingCode = text('trackingCode', input.trackingCode, MAX_TEXT_LENGTH);
  let trackingUrl: string | null = null;
  if (input.trackingUrl !== undefined && input.trackingUrl !== null) {
    const url = text('trackingUrl', input.trackingUrl, MAX_URL_LENGTH);
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw new PonteError(ErrorCode.BAD_USER_INPUT, 'trackingUrl must be an http(s) URL', { field: 'trackingUrl' });
    trackingUrl = url;
  }
  const shippedAtMs = typeof input.shippedAt === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(input.shippedAt) ? Date.parse(input.shippedAt) : Number.NaN;
  if (Number.isNaN(shippedAtMs)) throw new PonteError(ErrorCode.BAD_USER_INPUT, 'shippedAt must be an ISO 8601 date and time', { field: 'shippedAt' });
  if (!Array.isArray(input.lines) || input.lines.length === 0 || input.lines.length > MAX_LINES) {
    throw new PonteError(ErrorCode.BAD_USER_INPUT, `lines must list 1 to ${MAX_LINES} order lines`, { field: 'lines' });
  }
  const seen = new Set<string>();
  const lines = input.lines.map((line, index) => {
    const lineId = text(`lines[${index}].lineId`, line.lineId, MAX_ID_LENGTH);
    if (seen.has(lineId)) throw new PonteError(ErrorCode.BAD_USER_INPUT, `lines[${index}] repeats line ${lineId}`, { field: `lines[${index}].lineId` });
    seen.add(lineId);
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_QUANTITY) {
      throw new PonteError(ErrorCode.BAD_USER_INPUT, `lines[${index}].quantity must be a whole number of units, 1 or more`, { field: `lines[${index}].quantity` });
    }
    const sku = line.sku === undefined || line.sku === null ? null : text(`lines[${index}].sku`, line.sku, MAX_ID_LENGTH);
    return { lineId, sku, quantity: line.quantity };
  });
  return { orderId, fulfilmentId, carrier, trackingCode, trackingUrl, shippedAt: new Date(shippedAtMs).toISOString(), lines };
}

/** The resolvers every platform subgraph shares (`confirm<Platform>Shipment`, `<platform>ShipmentConfirmations`, `replay…`). */
export const shipmentResolvers = {
  confirm: async (shipments: ShipmentConfirmations | undefined, principal: Principal | undefined, input: ShipmentToConfirm): Promise<ShipmentConfirmationRow> => {
    const queue = shipmentsOf(shipments);
    shipmentCaller(principal, queue.channel);
    return (await queue.enqueue(input)).confirmation;
  },
  list: (shipments: ShipmentConfirmations | undefined, status: ShipmentConfirmationStatus | null | undefined, first: number | null | undefined) => shipmentsOf(shipments).list({ status, first }),
  replay: (shipments: ShipmentConfirmations | undefined, ids: readonly string[] | null | undefined) => shipmentsOf(shipments).replayDead(ids),
};

function shipmentsOf(shipments: ShipmentConfirmations | undefined): ShipmentConfirmations {
  if (!shipments) throw new Error('This subgraph was built without its shipment confirmations');
  return shipments;
}
