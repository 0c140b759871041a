import { createHash } from 'node:crypto';
import type { Database, SqlClient } from '../../../kit/database.ts';
import { ErrorCode, PonteError } from '../../../kit/errors.ts';
import type { Logger } from '../../../kit/logger.ts';
import { availableAt, type ChannelRow, type ProductRef, type ReservationResult, type ReservationRow, type StockChangeResult, type StockLevelRow, type StockMovementKind, type StockMovementRow, type RoutingPreference } from '../models.ts';
import * as stock from '../repositories/stock-repository.ts';
import type { LevelDeltas, LevelGuard } from '../repositories/stock-repository.ts';
import type { InventoryMetrics } from '../metrics.ts';
import { formatCep, parseCep, requireCep } from '../routing/cep.ts';
import { planRouting, type RoutedPart, type RoutingOutcome } from '../routing/plan.ts';

/** Largest quantity one operation may move: far above any real order, far below integer overflow. */
export const MAX_QUANTITY = 1_000_000;
/** Idempotency keys, references (`reference`, `orderReference`, `lineReference`) and ids. */
const MAX_KEY_LENGTH = 200;
/** Free text kept in the append-only ledger (`reason`). */
const MAX_TEXT_LENGTH = 500;
/** SKUs, as the products table's CHECK allows them. */
const MAX_SKU_LENGTH = 100;
const MAX_RESERVATION_LINES = 200;
const MAX_REGISTERED_SKUS = 1000;
/** Same rule as the products table's CHECK, so a bad SKU gets a clear error, not a constraint violation. */
const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._\/-]{0,99}$/;

export interface RegisterProducts { idempotencyKey: string; skus: readonly string[] }
export interface ReceiveStock { idempotencyKey: string; sku: string; location: string; quantity: number; fromIncoming?: boolean | null; reason?: string | null; reference?: string | null }
export interface AdjustStock { idempotencyKey: string; sku: string; location: string; delta: number; reason: string; reference?: string | null }
export interface SetStock { idempotencyKey: string; sku: string; location: string; quantity: number; changeFromQuantity?: number | null; reason?: string | null; reference?: string | null }
export interface TransferStock { idempotencyKey: string; sku: string; fromLocation: string; toLocation: string; quantity: number; reason?: string | null; reference?: string | null }
export interface RecordIncomingStock { idempotencyKey: string; sku: string; location: string; delta: number; reference?: string | null }
export interface SetSafetyStock { idempotencyKey: string; sku: string; location: string; quantity: number; reason?: string | null }
export interface ReserveStock {
  idempotencyKey: string;
  channel: string;
  orderReference: string;
  lines: ReadonlyArray<{ sku: string; quantity: number; lineReference?: string | null; unitPriceCents?: number | null }>;
  reason?: string | null;
  /** Where the order ships: the CEP routes each line to the nearest location with stock. */
  deliverTo?: { postalCode: string } | null;
}
export interface SetChannelRoutingPreference { idempotencyKey: string; channel: string; routingPreference: RoutingPreference }
export interface ReservationAction { idempotencyKey: string; reservationId: string; reason?: string | null }
export interface ReturnStock { idempotencyKey: string; sku: string; location: string; quantity: number; reason?: string | null; reference?: string | null }

/**
 * How each string of an operation's input is bounded, checked before anything is read or stored:
 * - `sku`: up to 100 characters (the products table's limit), no control characters;
 * - `id`: an idempotency key, a location, channel or reservation id, or a reference
 *   (`reference`, `orderReference`, `lineReference`): up to 200 characters, no control characters;
 * - `text`: free text kept in the append-only ledger (`reason`): up to 500 characters, no NUL
 *   (PostgreSQL's text cannot hold it).
 * A nested object applies to every element of an array field (`lines`). Longer or control-laden
 * values are refused with BAD_USER_INPUT naming the field; nothing is stored.
 */
type StringRule = 'sku' | 'id' | 'text';
interface InputRules {
  [field: string]: StringRule | InputRules;
}

const STRING_LIMITS: Record<StringRule, { max: number; refused: RegExp; refusedName: string }> = {
  sku: { max: MAX_SKU_LENGTH, refused: /\p{Cc}/u, refusedName: 'control characters' },
  id: { max: MAX_KEY_LENGTH, refused: /\p{Cc}/u, refusedName: 'control characters' },
  text: { max: MAX_TEXT_LENGTH, refused: /\u0000/, refusedName: 'NUL characters' },
};

const STOCK_CHANGE_RULES: InputRules = { idempotencyKey: 'id', sku: 'sku', location: 'id', reason: 'text', reference: 'id' };
const RESERVATION_RULES: InputRules = { idempotencyKey: 'id', channel: 'id', orderReference: 'id', reason: 'text', lines: { sku: 'sku', lineReference: 'id' }, deliverTo: { postalCode: 'id' } };
const RESERVATION_ACTION_RULES: InputRules = { idempotencyKey: 'id', reservationId: 'id', reason: 'text' };

const INPUT_RULES: Record<string, InputRules> = {
  registerProducts: { idempotencyKey: 'id', skus: 'sku' },
  receiveStock: STOCK_CHANGE_RULES,
  adjustStock: STOCK_CHANGE_RULES,
  setStock: STOCK_CHANGE_RULES,
  transferStock: { ...STOCK_CHANGE_RULES, fromLocation: 'id', toLocation: 'id' },
  recordIncomingStock: STOCK_CHANGE_RULES,
  setSafetyStock: STOCK_CHANGE_RULES,
  returnStock: STOCK_CHANGE_RULES,
  reserveStock: RESERVATION_RULES,
  recordSale: RESERVATION_RULES,
  fulfilReservation: RESERVATION_ACTION_RULES,
  setChannelRoutingPreference: { idempotencyKey: 'id', channel: 'id' },
  releaseReservation: RESERVATION_ACTION_RULES,
};

/** Refuses any string of `input` that breaks its rule; `path` names the field in the error. */
function requireBoundedStrings(input: unknown, rules: InputRules, path = ''): void {
  if (input === null || typeof input !== 'object') return;
  for (const [field, rule] of Object.entries(rules)) {
    const value = (input as Record<string, unknown>)[field];
    if (value === null || value === undefined) continue;
    const name = path ? `${path}.${field}` : field;
    const values = Array.isArray(value) ? value : [value];
    values.forEach((each, index) => {
      const at = Array.isArray(value) ? `${name}[${index}]` : name;
      if (typeof rule === 'object') return requireBoundedStrings(each, rule, at);
      if (typeof each !== 'string') return;
      const limit = STRING_LIMITS[rule];
      if (each.length > limit.max) {
        throw new PonteError(ErrorCode.BAD_USER_INPUT, `${at} must be at most ${limit.max} characters, got ${each.length}`, { field: at, maxLength: limit.max });
      }
      if (limit.refused.test(each)) {
        throw new PonteError(ErrorCode.BAD_USER_INPUT, `${at} must not contain ${limit.refusedName}`, { field: at });
      }
    });
  }
}

/**
 * Who asked: the request's principal (`kit/principal.ts`), or for in-process callers (seeds,
 * tests) just a name. Its name goes to the ledger; its id to the ledger and the reservation and
 * scopes its idempotency keys; its `channels` and `locations`, when present, are the only ones it
 * may touch.
 */
export interface Actor {
  name: string;
  /** Absent for in-process callers, who share the '' idempotency namespace. */
  id?: string | undefined;
  channels?: readonly string[] | undefined;
  locations?: readonly string[] | undefined;
}

/**
 * Collects what one operation wrote, so its result, its ledger rows and its outbox events all
 * come from the same place and the same transaction.
 */
class StockChange {
  readonly movements: StockMovementRow[] = [];
  readonly levels = new Map<string, StockLevelRow>();
  readonly events = new Map<string, { sku: string; locationId: string; kind: StockMovementKind }>();

  readonly tx: SqlClient;
  readonly actor: Actor;
  readonly idempotencyKey: string;

  constructor(tx: SqlClient, actor: Actor, idempotencyKey: string) {
    this.tx = tx;
    this.actor = actor;
    this.idempotencyKey = idempotencyKey;
  }

  async apply(
    kind: StockMovementKind,
    level: StockLevelRow,
    deltas: LevelDeltas,
    details: { reason?: string | null; reference?: string | null; reservationId?: string | null },
  ): Promise<void> {
    const movement = await stock.recordMovement(this.tx, {
      kind,
      sku: level.sku,
      locationId: level.locationId,
      deltas,
      actor: this.actor.name,
      actorId: this.actor.id ?? null,
      reason: details.reason ?? null,
      reference: details.reference ?? null,
      idempotencyKey: this.idempotencyKey,
      reservationId: details.reservationId ?? null,
    });
    this.movements.push(movement);
    const key = `${level.sku}\u0000${level.locationId}`;
    this.levels.set(key, level);
    this.events.set(key, { sku: level.sku, locationId: level.locationId, kind });
  }

  result(): Omit<StockChangeResult, 'replayed'> {
    return { movements: this.movements, levels: [...this.levels.values()] };
  }
}

/**
 * The canonical inventory's write side. Every public method is one transaction that validates,
 * changes levels with guarded SQL, appends ledger rows and outbox events, and stores its result
 * under the caller's idempotency key; a replay of that key returns the stored result.
 */
export class InventoryService {
  readonly #db: Database;
  readonly #log: Logger;
  readonly #metrics: InventoryMetrics | undefined;

  constructor(db: Database, log: Logger, metrics?: InventoryMetrics) {
    this.#db = db;
    this.#log = log.child({ component: 'inventory-service' });
    this.#metrics = metrics;
  }

  /** Runs a reservation or a sale, counted as accepted or refused when metrics are on. */
  #counted(operation: 'reserveStock' | 'recordSale', run: () => Promise<ReservationResult>): Promise<ReservationResult> {
    return this.#metrics ? this.#metrics.reservation(operation, run) : run();
  }

  registerProducts(input: RegisterProducts, actor: Actor): Promise<{ products: ProductRef[]; replayed: boolean }> {
    return this.#run('registerProducts', input, actor, async (change) => {
      const skus = [...new Set(input.skus)];
      if (skus.length === 0 || skus.length > MAX_REGISTERED_SKUS) {
        throw new PonteError(ErrorCode.BAD_USER_INPUT, `skus must list 1 to ${MAX_REGISTERED_SKUS} SKUs`, { field: 'skus' });
      }
      const invalid = skus.filter((sku) => !SKU_PATTERN.test(sku));
      if (invalid.length > 0) {
        throw new PonteError(ErrorCode.BAD_USER_INPUT, `Invalid SKU${invalid.length > 1 ? 's' : ''}: ${invalid.join(', ')}`, { skus: invalid });
      }
      await change.tx.query('INSERT INTO products (sku) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING', [skus]);
      return { products: skus.map((sku) => ({ sku })) };
    });
  }

  receiveStock(input: ReceiveStock, actor: Actor): Promise<StockChangeResult> {
    return this.#run('receiveStock', input, actor, async (change) => {
      requireLocationAccess(actor, input.location);
      requireQuantity(input.quantity, 'quantity');
      await requireSkuAndLocation(change.tx, input.sku, input.location);
      await stock.lockSkusForIncrease(change.tx, [input.sku]);
      await stock.ensureLevel(change.tx, input.sku, input.location);
      let incomingSettled = 0;
      if (input.fromIncoming) {
        const current = await stock.levelAt(change.tx, input.sku, input.location);
        incomingSettled = Math.min(current?.incoming ?? 0, input.quantity);
      }
      const deltas = { onHand: input.quantity, incoming: -incomingSettled };
      const level = await stock.changeLevel(change.tx, input.sku, input.location, deltas);
      await change.apply('RECEIPT', level!, deltas, input);
    });
  }

  adjustStock(input: AdjustStock, actor: Actor): Promise<StockChangeResult> {
    return this.#run('adjustStock', input, actor, async (change) => {
      requireLocationAccess(actor, input.location);
      requireDelta(input.delta, 'delta');
      requireText(input.reason, 'reason');
      await requireSkuAndLocation(change.tx, input.sku, input.location);
      if (input.delta > 0) await stock.lockSkusForIncrease(change.tx, [input.sku]);
      await stock.ensureLevel(change.tx, input.sku, input.location);
      const deltas = { onHand: input.delta };
      const level = await stock.changeLevel(change.tx, input.sku, input.location, deltas);
      if (!level) {
        const current = await stock.levelAt(change.tx, input.sku, input.location);
        throw new PonteError(ErrorCode.INSUFFICIENT_STOCK, `Cannot remove ${-input.delta} units of ${input.sku} at ${input.location}: only ${current?.onHand ?? 0} on hand`, { sku: input.sku, location: input.location, onHand: current?.onHand ?? 0 });
      }
      await change.apply('ADJUSTMENT', level, deltas, input);
    });
  }

  setStock(input: SetStock, actor: Actor): Promise<StockChangeResult> {
    return this.#run('setStock', input, actor, async (change) => {
      requireLocationAccess(actor, input.location);
      requireQuantity(input.quantity, 'quantity', { allowZero: true });
      if (input.changeFromQuantity != null) requireQuantity(input.changeFromQuantity, 'changeFromQuantity', { allowZero: true });
      await requireSkuAndLocation(change.tx, input.sku, input.location);
      // Before the level's row lock below, so every writer takes the SKU's lock first.
      await stock.lockSkusForIncrease(change.tx, [input.sku]);
      await stock.ensureLevel(change.tx, input.sku, input.location);
      // Locks the row, so the delta below is computed from the value the update will see.
      const current = (await change.tx.query<{ onHand: number }>(
        'SELECT on_hand AS "onHand" FROM stock_levels WHERE sku = $1 AND location_id = $2 FOR UPDATE',
        [input.sku, input.location],
      ))[0]!;
      if (input.changeFromQuantity != null && current.onHand !== input.changeFromQuantity) {
        throw new PonteError(ErrorCode.CHANGE_FROM_QUANTITY_STALE, `On-hand quantity of ${input.sku} at ${input.location} is ${current.onHand}, not ${input.changeFromQuantity}`, { sku: input.sku, location: input.location, onHand: current.onHand });
      }
      const deltas = { onHand: input.quantity - current.onHand };
      const guard: LevelGuard = { expectedOnHand: current.onHand };
      const level = await stock.changeLevel(change.tx, input.sku, input.location, deltas, guard);
      await change.apply('COUNT', level!, deltas, input);
    });
  }

  transferStock(input: TransferStock, actor: Actor): Promise<StockChangeResult> {
    return this.#run('transferStock', input, actor, async (change) => {
      requireLocationAccess(actor, input.fromLocation, input.toLocation);
      requireQuantity(input.quantity, 'quantity');
      if (input.fromLocation === input.toLocation) {
        throw new PonteError(ErrorCode.BAD_USER_INPUT, 'A transfer needs two different locations', { field: 'toLocation' });
      }
      await requireSkuAndLocation(change.tx, input.sku, input.fromLocation, input.toLocation);
      await stock.lockSkusForIncrease(change.tx, [input.sku]);
      const out = { onHand: -input.quantity };
      const from = await stock.changeLevel(change.tx, input.sku, input.fromLocation, out, { keepAvailable: true });
      if (!from) throw await insufficientStock(change.tx, input.sku, input.fromLocation, input.quantity);
      await stock.ensureLevel(change.tx, input.sku, input.toLocation);
      const into = { onHand: input.quantity };
      const to = await stock.changeLevel(change.tx, input.sku, input.toLocation, into);
      await change.apply('TRANSFER_OUT', from, out, input);
      await change.apply('TRANSFER_IN', to!, into, input);
    });
  }

  recordIncomingStock(input: RecordIncomingStock, actor: Actor): Promise<StockChangeResult> {
    return this.#run('recordIncomingStock', input, actor, async (change) => {
      requireLocationAccess(actor, input.location);
      requireDelta(input.delta, 'delta');
      await requireSkuAndLocation(change.tx, input.sku, input.location);
      if (input.delta > 0) await stock.lockSkusForIncrease(change.tx, [input.sku]);
      await stock.ensureLevel(change.tx, input.sku, input.location);
      const deltas = { incoming: input.delta };
      const level = await stock.changeLevel(change.tx, input.sku, input.location, deltas);
      if (!level) {
        throw new PonteError(ErrorCode.INVALID_QUANTITY, `Incoming units of ${input.sku} at ${input.location} cannot go below 0`, { sku: input.sku, location: input.location, field: 'delta' });
      }
      await change.apply('INCOMING', level, deltas, input);
    });
  }

  setSafetyStock(input: SetSafetyStock, actor: Actor): Promise<StockChangeResult> {
    return this.#run('setSafetyStock', input, actor, async (change) => {
      requireLocationAccess(actor, input.location);
      requireQuantity(input.quantity, 'quantity', { allowZero: true });
      await requireSkuAndLocation(change.tx, input.sku, input.location);
      await stock.lockSkusForIncrease(change.tx, [input.sku]);
      await stock.ensureLevel(change.tx, input.sku, input.location);
      const [current] = await change.tx.query<{ safetyStock: number }>(
        'SELECT safety_stock AS "safetyStock" FROM stock_levels WHERE sku = $1 AND location_id = $2 FOR UPDATE',
        [input.sku, input.location],
      );
      const deltas = { safetyStock: input.quantity - current!.safetyStock };
      const level = await stock.changeLevel(change.tx, input.sku, input.location, deltas);
      await change.apply('SAFETY_STOCK', level!, deltas, input);
    });
  }

  reserveStock(request: ReserveStock, actor: Actor): Promise<ReservationResult> {
    const input = withCanonicalCep(request);
    return this.#counted('reserveStock', () => this.#run('reserveStock', input, actor, async (change) => {
      const reservationId = await this.#reserveLines(change, input);
      const [reservation] = await stock.reservationsById(change.tx, [reservationId]);
      return { reservation: reservation! };
    }));
  }

  /**
   * A sale completed on the spot (a physical store's till): reserved and fulfilled in one
   * transaction, so the units never show as available in between.
   */
  recordSale(request: ReserveStock, actor: Actor): Promise<ReservationResult> {
    const input = withCanonicalCep(request);
    return this.#counted('recordSale', () => this.#run('recordSale', input, actor, async (change) => {
      const reservationId = await this.#reserveLines(change, input);
      const [reservation] = await stock.reservationsById(change.tx, [reservationId]);
      await this.#closeLines(change, reservation!, 'FULFILLED', 'sold at the point of sale');
      await recordStoreSale(change.tx, reservationId, input);
      const [sold] = await stock.reservationsById(change.tx, [reservationId]);
      return { reservation: sold! };
    }));
  }

  async #reserveLines(change: StockChange, input: ReserveStock): Promise<string> {
    requireText(input.orderReference, 'orderReference', MAX_KEY_LENGTH);
    if (input.lines.length === 0 || input.lines.length > MAX_RESERVATION_LINES) {
      throw new PonteError(ErrorCode.BAD_USER_INPUT, `A reservation needs 1 to ${MAX_RESERVATION_LINES} lines`, { field: 'lines' });
    }
    input.lines.forEach((line, index) => requireQuantity(line.quantity, `lines[${index}].quantity`));
    const deliverTo = input.deliverTo ? requireCep(input.deliverTo.postalCode, 'deliverTo.postalCode') : null;
    requireChannelAccess(change.actor, input.channel);
    const channel = ownLocations(change.actor, await requireChannel(change.tx, input.channel));
    await requireSkus(change.tx, input.lines.map((line) => line.sku));
    // Every other reservation of these SKUs waits here until this one commits: the levels read
    // below for routing can then only have been lowered since by writers that do not take this
    // lock (an adjustment), which the conditional writes in writeParts catch.
    await stock.lockSkusForIncrease(change.tx, input.lines.map((line) => line.sku));
    if (channel.locationIds.length === 0) {
      throw new PonteError(ErrorCode.INSUFFICIENT_STOCK, `Channel ${channel.id} has no locations to reserve from`, { channel: channel.id });
    }

    const reservationId = await stock.createReservation(change.tx, channel.id, input.orderReference, change.actor.id ?? null, {
      deliverToPostalCode: deliverTo?.digits ?? null,
      preference: channel.routingPreference,
    });
    const candidates = await stock.locationsById(change.tx, channel.locationIds);
    const skus = [...new Set(input.lines.map((line) => line.sku))];
    for (let attempt = 1; ; attempt++) {
      const levels = await stock.levelsForSkus(change.tx, skus);
      const available = new Map(levels.map((level) => [`${level.sku}\u0000${level.locationId}`, availableAt(level)]));
      const outcome = planRouting({
        lines: input.lines,
        candidates,
        available: (sku, locationId) => available.get(`${sku}\u0000${locationId}`) ?? 0,
        deliverTo,
        preference: channel.routingPreference,
        backordersAllowed: channel.backordersAllowed,
      });
      if (!outcome.ok) throw insufficientForRouting(channel, outcome);
      const written = await writeParts(change.tx, outcome.parts);
      if (written) {
        await this.#recordParts(change, input, reservationId, written);
        return reservationId;
      }
      this.#log.debug({ reservationId, attempt }, 'a level changed between routing and reserving: routing again');
      if (attempt === MAX_ROUTING_ATTEMPTS) {
        throw new PonteError(ErrorCode.INSUFFICIENT_STOCK, `Stock of ${skus.join(', ')} kept changing while reserving for channel ${channel.id}; nothing was reserved, try again`, { channel: channel.id, skus });
      }
    }
  }

  /** Lines in request order (a split line's parts nearest first), ledger rows in write order. */
  async #recordParts(change: StockChange, input: ReserveStock, reservationId: string, written: ReadonlyArray<WrittenPart>): Promise<void> {
    const byLine = [...written].sort((a, b) => a.part.line - b.part.line || a.planned - b.planned);
    let lineNumber = 0;
    for (const { part } of byLine) {
      await stock.addReservationLine(change.tx, reservationId, ++lineNumber, {
        sku: part.sku,
        locationId: part.locationId,
        quantity: part.quantity,
        lineReference: input.lines[part.line]!.lineReference ?? null,
        orderLine: part.line + 1,
        routingReason: part.reason,
        distanceKm: part.distanceKm,
      });
    }
    for (const { part, level } of written) {
      await change.apply('RESERVATION', level, { committed: part.quantity }, { reason: input.reason ?? null, reference: input.orderReference, reservationId });
    }
  }

  /**
   * How the channel's reservations choose among its locations (routing/plan.ts). A principal held
   * to channels may set only its own.
   */
  setChannelRoutingPreference(input: SetChannelRoutingPreference, actor: Actor): Promise<{ channel: ChannelRow; replayed: boolean }> {
    return this.#run('setChannelRoutingPreference', input, actor, async (change) => {
      if (!ROUTING_PREFERENCES.has(input.routingPreference)) {
        throw new PonteError(ErrorCode.BAD_USER_INPUT, `routingPreference must be one of ${[...ROUTING_PREFERENCES].join(', ')}`, { field: 'routingPreference' });
      }
      requireChannelAccess(actor, input.channel);
      if (!(await stock.setChannelRoutingPreference(change.tx, input.channel, input.routingPreference))) {
        throw new PonteError(ErrorCode.UNKNOWN_CHANNEL, `Unknown channel: ${input.channel}`, { channel: input.channel });
      }
      return { channel: await requireChannel(change.tx, input.channel) };
    });
  }

  fulfilReservation(input: ReservationAction, actor: Actor): Promise<ReservationResult> {
    return this.#closeReservation('fulfilReservation', 'FULFILLED', input, actor);
  }

  releaseReservation(input: ReservationAction, actor: Actor): Promise<ReservationResult> {
    return this.#closeReservation('releaseReservation', 'RELEASED', input, actor);
  }

  returnStock(input: ReturnStock, actor: Actor): Promise<StockChangeResult> {
    return this.#run('returnStock', input, actor, async (change) => {
      requireLocationAccess(actor, input.location);
      requireQuantity(input.quantity, 'quantity');
      await requireSkuAndLocation(change.tx, input.sku, input.location);
      await stock.lockSkusForIncrease(change.tx, [input.sku]);
      await stock.ensureLevel(change.tx, input.sku, input.location);
      const deltas = { onHand: input.quantity };
      const level = await stock.changeLevel(change.tx, input.sku, input.location, deltas);
      await change.apply('RETURN', level!, deltas, input);
    });
  }

  #closeReservation(operation: string, status: 'FULFILLED' | 'RELEASED', input: ReservationAction, actor: Actor): Promise<ReservationResult> {
    return this.#run(operation, input, actor, async (change) => {
      const [reservation] = await stock.reservationsById(change.tx, [input.reservationId]);
      if (!reservation) {
        throw new PonteError(ErrorCode.UNKNOWN_RESERVATION, `Reservation ${input.reservationId} does not exist`, { reservationId: input.reservationId });
      }
      requireReservationAccess(actor, reservation);
      await this.#closeLines(change, reservation, status, input.reason ?? null);
      const [closed] = await stock.reservationsById(change.tx, [reservation.id]);
      return { reservation: closed! };
    });
  }

  async #closeLines(change: StockChange, reservation: ReservationRow, status: 'FULFILLED' | 'RELEASED', reason: string | null): Promise<void> {
    if (!(await stock.closeReservation(change.tx, reservation.id, status))) {
      const [current] = await stock.reservationsById(change.tx, [reservation.id]);
      throw new PonteError(ErrorCode.RESERVATION_NOT_OPEN, `Reservation ${reservation.id} is ${current!.status}, not OPEN`, { reservationId: reservation.id, status: current!.status });
    }
    const kind = status === 'FULFILLED' ? 'FULFILMENT' : 'RELEASE';
    const lines = [...reservation.lines].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
    for (const line of lines) {
      const deltas = status === 'FULFILLED' ? { onHand: -line.quantity, committed: -line.quantity } : { committed: -line.quantity };
      const level = await stock.changeLevel(change.tx, line.sku, line.locationId, deltas);
      if (!level) throw new Error(`Ledger invariant broken: reservation ${reservation.id} line ${line.sku}@${line.locationId} exceeds committed units`);
      await change.apply(kind, level, deltas, { reason, reference: reservation.orderReference, reservationId: reservation.id });
    }
  }

  /**
   * The transaction every operation runs in: claim the idempotency key (a concurrent duplicate
   * waits on it), do the work, append outbox events, store the result. A domain error rolls all
   * of it back, key included, so a corrected retry may reuse the key.
   */
  async #run<Extra extends object>(
    operation: string,
    input: { idempotencyKey: string },
    actor: Actor,
    work: (change: StockChange) => Promise<Extra | void>,
  ): Promise<Omit<StockChangeResult, 'replayed'> & Extra & { replayed: boolean }> {
    requireIdempotencyKey(input.idempotencyKey);
    requireBoundedStrings(input, INPUT_RULES[operation] ?? {});
    const requestHash = fingerprint(operation, input);
    // Keys are the principal's own: `shopify:<order>:<line>:reserve` from a partner is not the
    // Shopify subgraph's key, so it can neither block the real order nor replay its result.
    const namespace = actor.id ?? '';
    const result = await this.#db.transaction(async (tx) => {
      if (!(await stock.claimIdempotencyKey(tx, namespace, input.idempotencyKey, operation, requestHash))) {
        const previous = await stock.idempotentResponse(tx, namespace, input.idempotencyKey);
        if (!previous || previous.operation !== operation || previous.requestHash !== requestHash) {
          throw new PonteError(ErrorCode.IDEMPOTENCY_KEY_REUSED, `Idempotency key "${input.idempotencyKey}" was already used for a different request`, { idempotencyKey: input.idempotencyKey });
        }
        return { ...(previous.response as Omit<StockChangeResult, 'replayed'> & Extra), replayed: true };
      }
      const change = new StockChange(tx, actor, input.idempotencyKey);
      const extra = (await work(change)) ?? ({} as Extra);
      const response = { ...change.result(), ...extra };
      await stock.storeIdempotentResponse(tx, namespace, input.idempotencyKey, response);
      // The events get their ids as the transaction commits (stock-repository.ts, appendStockEvents).
      await stock.appendStockEvents(tx, this.#db.schema, [...change.events.values()]);
      return { ...response, replayed: false };
    });
    this.#log.debug({ operation, idempotencyKey: input.idempotencyKey, replayed: result.replayed, movements: result.movements.length }, 'stock operation');
    return result;
  }
}

function forbidden(message: string, details: Record<string, unknown>): PonteError {
  return new PonteError(ErrorCode.FORBIDDEN, message, details);
}

/** A principal held to some locations may change stock only there (a transfer: at both ends). */
function requireLocationAccess(actor: Actor, ...locationIds: string[]): void {
  if (!actor.locations) return;
  const outside = locationIds.filter((id) => !actor.locations!.includes(id));
  if (outside.length > 0) throw forbidden(`${actor.name} may not change stock at ${outside.join(', ')}`, { locations: outside });
}

/** A principal held to some channels may reserve and sell only for those. */
function requireChannelAccess(actor: Actor, channelId: string): void {
  if (actor.channels && !actor.channels.includes(channelId)) throw forbidden(`${actor.name} may not reserve for channel ${channelId}`, { channel: channelId });
}

/** A principal held to some locations reserves only from those of the channel's locations. */
function ownLocations(actor: Actor, channel: ChannelRow): ChannelRow {
  if (!actor.locations) return channel;
  const locationIds = channel.locationIds.filter((id) => actor.locations!.includes(id));
  if (locationIds.length === 0) throw forbidden(`${actor.name} holds none of channel ${channel.id}'s locations`, { channel: channel.id });
  return { ...channel, locationIds };
}

/**
 * Fulfil and release: a principal held to channels closes only those channels' reservations; one
 * held to locations (and not channels) only reservations whose every line is at its locations.
 */
function requireReservationAccess(actor: Actor, reservation: ReservationRow): void {
  const allowed = actor.channels
    ? actor.channels.includes(reservation.channelId)
    : !actor.locations || reservation.lines.every((line) => actor.locations!.includes(line.locationId));
  if (!allowed) throw forbidden(`${actor.name} may not change reservation ${reservation.id}`, { reservationId: reservation.id });
}

/** What identifies a request under its idempotency key: the operation and its input, canonically. */
export function fingerprint(operation: string, input: object): string {
  return createHash('sha256').update(operation).update('\u0000').update(stableJson(input)).digest('hex');
}

/** JSON with sorted keys and no undefined/null noise, so the same request always hashes alike. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined && v !== null).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function requireIdempotencyKey(key: string): void {
  if (typeof key !== 'string' || key.trim().length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new PonteError(ErrorCode.BAD_USER_INPUT, `idempotencyKey must be 1 to ${MAX_KEY_LENGTH} characters`, { field: 'idempotencyKey' });
  }
}

function requireText(value: string | null | undefined, field: string, maxLength = MAX_TEXT_LENGTH): void {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > maxLength) {
    throw new PonteError(ErrorCode.BAD_USER_INPUT, `${field} must be 1 to ${maxLength} characters`, { field });
  }
}

function requireQuantity(value: number, field: string, options: { allowZero?: boolean } = {}): void {
  const min = options.allowZero ? 0 : 1;
  if (!Number.isInteger(value) || value < min || value > MAX_QUANTITY) {
    throw new PonteError(ErrorCode.INVALID_QUANTITY, `${field} must be a whole number from ${min} to ${MAX_QUANTITY}, got ${value}`, { field, value });
  }
}

function requireDelta(value: number, field: string): void {
  if (!Number.isInteger(value) || value === 0 || Math.abs(value) > MAX_QUANTITY) {
    throw new PonteError(ErrorCode.INVALID_QUANTITY, `${field} must be a non-zero whole number within ±${MAX_QUANTITY}, got ${value}`, { field, value });
  }
}

async function requireSkus(tx: SqlClient, skus: readonly string[]): Promise<void> {
  const missing = await stock.missingSkus(tx, skus);
  if (missing.length > 0) {
    throw new PonteError(ErrorCode.UNKNOWN_SKU, `Unknown SKU${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`, { skus: missing });
  }
}

async function requireSkuAndLocation(tx: SqlClient, sku: string, ...locationIds: string[]): Promise<void> {
  await requireSkus(tx, [sku]);
  const found = await stock.locationsById(tx, locationIds);
  const missing = locationIds.filter((id) => !found.some((location) => location.id === id));
  if (missing.length > 0) {
    throw new PonteError(ErrorCode.UNKNOWN_LOCATION, `Unknown location${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`, { locations: missing });
  }
}

async function requireChannel(tx: SqlClient, id: string): Promise<ChannelRow> {
  const [channel] = await stock.channelsById(tx, [id]);
  if (!channel) throw new PonteError(ErrorCode.UNKNOWN_CHANNEL, `Unknown channel: ${id}`, { channel: id });
  return channel;
}

async function insufficientStock(tx: SqlClient, sku: string, locationId: string, requested: number): Promise<PonteError> {
  const level = await stock.levelAt(tx, sku, locationId);
  const available = level ? availableAt(level) : 0;
  return new PonteError(ErrorCode.INSUFFICIENT_STOCK, `Not enough stock available for ${sku} at ${locationId}: requested ${requested}, available ${available}`, { sku, location: locationId, requested, available });
}

const ROUTING_PREFERENCES: ReadonlySet<string> = new Set<RoutingPreference>(['NEAREST', 'FEWEST_PARCELS']);

/**
 * The delivery CEP written one way (`01310-100`), so the same order sent with and without the
 * hyphen is the same request under its idempotency key. Anything not a CEP is left as sent, to be
 * refused with its field named.
 */
function withCanonicalCep(input: ReserveStock): ReserveStock {
  const cep = input.deliverTo ? parseCep(input.deliverTo.postalCode) : undefined;
  return cep ? { ...input, deliverTo: { postalCode: formatCep(cep) } } : input;
}

/** A line routing could not place: INSUFFICIENT_STOCK naming what one location, or all together, had. */
function insufficientForRouting(channel: ChannelRow, refusal: Extract<RoutingOutcome, { ok: false }>): PonteError {
  const { sku, requested, available } = refusal;
  const where = refusal.split ? 'across its locations' : 'at any one of its locations';
  return new PonteError(
    ErrorCode.INSUFFICIENT_STOCK,
    `Not enough stock available for ${sku} on channel ${channel.id}: requested ${requested}, at most ${available} ${where}`,
    { sku, channel: channel.id, requested, available },
  );
}

/** A part committed: `planned` is its place in the plan (a split line's parts nearest first). */
interface WrittenPart {
  part: RoutedPart;
  planned: number;
  level: StockLevelRow;
}

/** How often a reservation is routed again when a level changed between its read and its write. */
const MAX_ROUTING_ATTEMPTS = 5;

/**
 * Commits every part, each with one conditional UPDATE (changeLevel's availability guard), in
 * SKU and location order so concurrent writers lock rows in the same order. If any is refused (a
 * level lowered since routing read it), all of them are undone to the savepoint and nothing is
 * answered: the caller routes again from a fresh read. The SQL guard, not the read, is what keeps
 * stock from being oversold.
 */
async function writeParts(tx: SqlClient, parts: readonly RoutedPart[]): Promise<WrittenPart[] | undefined> {
  const ordered = parts
    .map((part, planned) => ({ part, planned }))
    .sort(({ part: a }, { part: b }) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : a.locationId < b.locationId ? -1 : a.locationId > b.locationId ? 1 : a.line - b.line));
  // One part (most orders: one line from one place) has nothing to undo when it is refused: two
  // round trips saved on the hottest write path.
  const undoable = ordered.length > 1;
  if (undoable) await tx.query('SAVEPOINT routing');
  const written: WrittenPart[] = [];
  for (const { part, planned } of ordered) {
    if (part.backorder) await stock.ensureLevel(tx, part.sku, part.locationId);
    const level = await stock.changeLevel(tx, part.sku, part.locationId, { committed: part.quantity }, { keepAvailable: !part.backorder });
    if (!level) {
      if (undoable) await tx.query('ROLLBACK TO SAVEPOINT routing');
      return undefined;
    }
    written.push({ part, planned, level });
  }
  if (undoable) await tx.query('RELEASE SAVEPOINT routing');
  return written;
}

/**
 * A till's sale, for the orders subgraph to make a canonical order of (store channels only): in
 * the sale's transaction, its id allocated under a lock held to commit so ids become visible in order.
 */
async function recordStoreSale(tx: SqlClient, reservationId: string, input: ReserveStock): Promise<void> {
  const lines = input.lines.map((line, index) => {
    const price = line.unitPriceCents ?? null;
    if (price !== null && (!Number.isInteger(price) || price < 0)) throw new PonteError(ErrorCode.BAD_USER_INPUT, `lines[${index}].unitPriceCents must be a whole, non-negative number of cents`, { field: `lines[${index}].unitPriceCents` });
    return { sku: line.sku, quantity: line.quantity, lineReference: line.lineReference ?? null, unitPriceCents: price };
  });
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['ponte-store-sales']);
  await tx.query(
    `INSERT INTO store_sales (reservation_id, channel_id, order_reference, lines)
     SELECT $1::bigint, c.id, $3, $4::jsonb FROM channels c WHERE c.id = $2 AND c.kind = 'POINT_OF_SALE'`,
    [reservationId, input.channel, input.orderReference, JSON.stringify(lines)],
  );
}
