import type { RoutingPreference } from '../models.ts';
import { cepDistanceKm, formatCep, parseCep, type Cep } from './cep.ts';

/**
 * Where each line of a reservation ships from: a pure function of the order, the channel's
 * locations and the stock available at each, so it is tested without a database and the service
 * can plan again when a concurrent writer changed a level between its read and its write.
 *
 * The policy (see docs/routing.md):
 * - Locations are ranked for the delivery CEP: known distance first, nearest first; ties, and
 *   locations whose own CEP is unknown (after the others), by location priority, then id.
 *   Without a delivery CEP the ranking is location priority, then id: the order reservations
 *   always used.
 * - NEAREST: each line goes whole to the best-ranked location that has all of it. With a
 *   delivery CEP, a line no single location has is split across locations, best-ranked first.
 *   Without one, it is not split (as before routing existed): the order is refused, or
 *   backordered on a channel that allows it.
 * - FEWEST_PARCELS: the fewest locations that together can ship every line (each line inside
 *   that set as NEAREST places it); among sets of the same size, the one whose locations rank
 *   best. Farther locations are accepted to save a parcel.
 * - A channel that allows backorders puts what no location has at its best-ranked location.
 * Every part says why it went where it went.
 */

export type { RoutingPreference };

export interface RoutingCandidate {
  id: string;
  priority: number;
  postalCode: string | null;
}

export interface RoutingRequest {
  /** In input order; `quantity` already validated. */
  lines: ReadonlyArray<{ sku: string; quantity: number }>;
  /** The channel's locations the caller may reserve from. */
  candidates: readonly RoutingCandidate[];
  /** Units available now per SKU and location (missing: 0). */
  available: (sku: string, locationId: string) => number;
  deliverTo: Cep | null;
  preference: RoutingPreference;
  backordersAllowed: boolean;
}

export interface RoutedPart {
  /** 0-based index of the input line this part ships. */
  line: number;
  sku: string;
  locationId: string;
  quantity: number;
  reason: string;
  distanceKm: number | null;
  /** True when the units are not in stock (a backorder channel): written without the availability guard. */
  backorder: boolean;
}

export type RoutingOutcome =
  | { ok: true; parts: RoutedPart[] }
  /** `available`: the most one location has when the line could not be split, else the channel's total. */
  | { ok: false; line: number; sku: string; requested: number; available: number; split: boolean };

interface Ranked extends RoutingCandidate {
  rank: number;
  distanceKm: number | null;
}

/** Largest number of locations whose every subset FEWEST_PARCELS tries (2^12 = 4096 sets). */
const MAX_EXHAUSTIVE_LOCATIONS = 12;

export function rankLocations(candidates: readonly RoutingCandidate[], deliverTo: Cep | null): Ranked[] {
  const measured = candidates.map((candidate) => {
    const cep = deliverTo ? parseCep(candidate.postalCode) : undefined;
    return { ...candidate, distanceKm: deliverTo && cep ? cepDistanceKm(deliverTo, cep) : null };
  });
  measured.sort((a, b) => {
    if (a.distanceKm !== null && b.distanceKm !== null && a.distanceKm !== b.distanceKm) return a.distanceKm - b.distanceKm;
    if ((a.distanceKm === null) !== (b.distanceKm === null)) return a.distanceKm === null ? 1 : -1;
    if (a.priority !== b.priority) return a.priority - b.priority;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  return measured.map((candidate, rank) => ({ ...candidate, rank }));
}

export function planRouting(request: RoutingRequest): RoutingOutcome {
  const ranked = rankLocations(request.candidates, request.deliverTo);
  // Lines are planned in SKU order (then input order), the order the service writes them in, so
  // two lines of the same SKU draw on the same stock in a predictable way.
  const order = request.lines.map((line, index) => ({ ...line, index })).sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : a.index - b.index));
  const context: PlanContext = { request, ranked, order, split: request.deliverTo !== null };
  if (request.preference === 'FEWEST_PARCELS') {
    const fewest = planFewestParcels(context);
    if (fewest) return fewest;
  }
  return assign(context, ranked, request.backordersAllowed, nearestReason);
}

interface PlanContext {
  request: RoutingRequest;
  ranked: Ranked[];
  order: ReadonlyArray<{ sku: string; quantity: number; index: number }>;
  split: boolean;
}

type Explain = (context: PlanContext, location: Ranked, how: Placement) => string;

interface Placement {
  line: { sku: string; quantity: number };
  quantity: number;
  kind: 'whole' | 'split' | 'backorder';
  /** Better-ranked locations of the set that did not have all of the line, with what they had. */
  passed: Array<{ location: Ranked; had: number }>;
  /** Locations of the set at the same distance (and with all of the line) this one was preferred to. */
  tiedWith: Ranked[];
  /** For FEWEST_PARCELS: the set used. */
  set?: Ranked[];
}

/**
 * Places every line within `locations` (ranked), drawing down a copy of the availability.
 * Undefined-free: answers a refusal when a line cannot be placed and backorders are off.
 */
function assign(context: PlanContext, locations: Ranked[], backorders: boolean, explain: Explain, set?: Ranked[]): RoutingOutcome {
  const left = new Map<string, number>();
  const availableAt = (sku: string, id: string) => left.get(`${sku}\u0000${id}`) ?? Math.max(0, context.request.available(sku, id));
  const take = (sku: string, id: string, quantity: number) => left.set(`${sku}\u0000${id}`, availableAt(sku, id) - quantity);
  const parts: RoutedPart[] = [];
  const part = (line: { sku: string; index: number }, location: Ranked, quantity: number, how: Placement) =>
    parts.push({ line: line.index, sku: line.sku, locationId: location.id, quantity, reason: explain(context, location, how), distanceKm: location.distanceKm, backorder: how.kind === 'backorder' });

  for (const line of context.order) {
    const whole = locations.find((location) => availableAt(line.sku, location.id) >= line.quantity);
    if (whole) {
      const passed = locations.filter((location) => location.rank < whole.rank).map((location) => ({ location, had: availableAt(line.sku, location.id) }));
      const tiedWith = locations.filter((location) => location.rank > whole.rank && location.distanceKm === whole.distanceKm && availableAt(line.sku, location.id) >= line.quantity);
      take(line.sku, whole.id, line.quantity);
      part(line, whole, line.quantity, { line, quantity: line.quantity, kind: 'whole', passed, tiedWith, ...(set ? { set } : {}) });
      continue;
    }
    const total = locations.reduce((sum, location) => sum + availableAt(line.sku, location.id), 0);
    if (context.split && (total >= line.quantity || (backorders && total > 0))) {
      let needed = line.quantity;
      for (const location of locations) {
        const here = Math.min(needed, availableAt(line.sku, location.id));
        if (here <= 0) continue;
        take(line.sku, location.id, here);
        part(line, location, here, { line, quantity: here, kind: 'split', passed: [], tiedWith: [], ...(set ? { set } : {}) });
        needed -= here;
        if (needed === 0) break;
      }
      if (needed > 0) part(line, locations[0]!, needed, { line, quantity: needed, kind: 'backorder', passed: [], tiedWith: [] });
      continue;
    }
    if (backorders && locations.length > 0) {
      part(line, locations[0]!, line.quantity, { line, quantity: line.quantity, kind: 'backorder', passed: [], tiedWith: [] });
      continue;
    }
    const best = Math.max(0, ...locations.map((location) => availableAt(line.sku, location.id)));
    return { ok: false, line: line.index, sku: line.sku, requested: line.quantity, available: context.split ? total : best, split: context.split };
  }
  return { ok: true, parts };
}

/** The smallest set of locations that ships every line from stock; undefined when none does. */
function planFewestParcels(context: PlanContext): RoutingOutcome | undefined {
  const { ranked } = context;
  if (ranked.length > MAX_EXHAUSTIVE_LOCATIONS) return undefined;
  for (let size = 1; size <= ranked.length; size++) {
    // Combinations come out in rank order (lexicographic), so the first that works is the one
    // whose locations rank best: deterministic, and nearest among the sets of that size.
    for (const set of combinations(ranked, size)) {
      const outcome = assign(context, set, false, fewestReason, set);
      if (outcome.ok) return outcome;
    }
  }
  return undefined;
}

function* combinations<T>(items: readonly T[], size: number, start = 0): Generator<T[]> {
  if (size === 0) {
    yield [];
    return;
  }
  for (let index = start; index <= items.length - size; index++) {
    for (const rest of combinations(items, size - 1, index + 1)) yield [items[index]!, ...rest];
  }
}

function km(location: Ranked): string {
  return location.distanceKm === null ? 'distance unknown: no CEP for this location' : `${location.distanceKm} km`;
}

/** Why the ranking is what it is, when it is not by distance. */
function rankingNote(context: PlanContext, location: Ranked): string | undefined {
  if (!context.request.deliverTo) return 'no delivery CEP: location priority';
  if (context.ranked.every((candidate) => candidate.distanceKm === null)) return 'no location CEP: location priority';
  if (location.distanceKm === null) return `no CEP for ${location.id}: ranked after located ones, by priority`;
  return undefined;
}

function tieNote(location: Ranked, tiedWith: Ranked[]): string {
  if (tiedWith.length === 0 || location.distanceKm === null) return '';
  const by = tiedWith.every((other) => other.priority !== location.priority) ? 'location priority' : 'location priority, then id';
  return `; tied at ${location.distanceKm} km with ${tiedWith.map((other) => other.id).join(', ')}, chosen by ${by}`;
}

function nearestReason(context: PlanContext, location: Ranked, how: Placement): string {
  const to = context.request.deliverTo ? formatCep(context.request.deliverTo) : null;
  const note = rankingNote(context, location);
  if (how.kind === 'backorder') {
    const short = context.split ? `${how.quantity} of ${how.line.quantity} not in stock at the channel's locations` : `no location had all ${how.line.quantity}`;
    return `backorder: ${short}, placed at ${location.id}${note ? ` (${note})` : ` (nearest to CEP ${to}, ${km(location)})`}`;
  }
  if (how.kind === 'split') {
    return `split: ${location.id} had ${how.quantity} of ${how.line.quantity}${note ? ` (${note})` : ` (${km(location)} to CEP ${to})`}; no single location had all`;
  }
  if (note) {
    const passed = how.passed.length > 0 ? `; ${how.passed.map(({ location: other, had }) => `${other.id} had ${had}`).join(', ')}` : '';
    return `${note}${passed}`;
  }
  const shortAt = how.passed.map(({ location: other, had }) => `${other.id} (${km(other)}) had ${had} of ${how.line.quantity}`);
  const base = shortAt.length === 0
    ? `nearest location with stock to CEP ${to} (${km(location)})`
    : `nearest location with all ${how.line.quantity} to CEP ${to} (${km(location)}); ${how.passed.every(({ location: other }) => other.distanceKm !== location.distanceKm) ? 'nearer' : 'ranked before it'} ${shortAt.join(', ')}`;
  return `${base}${tieNote(location, how.tiedWith)}`;
}

function fewestReason(context: PlanContext, location: Ranked, how: Placement): string {
  const set = how.set ?? [location];
  const to = context.request.deliverTo ? formatCep(context.request.deliverTo) : null;
  const lines = context.order.length;
  const scope = set.length === 1
    ? `fewest parcels: one location has ${lines === 1 ? 'the whole line' : `all ${lines} lines`}`
    : `fewest parcels: ${set.length} locations (${set.map((member) => member.id).join(', ')}) ship the order`;
  const where = rankingNote(context, location) ?? `${km(location)} to CEP ${to}`;
  const split = how.kind === 'split' ? `; split: ${location.id} had ${how.quantity} of ${how.line.quantity}` : '';
  const nearer = context.ranked.filter((other) => other.rank < location.rank && !set.includes(other)).map((other) => other.id);
  const passed = nearer.length > 0 && !rankingNote(context, location) ? `; nearer ${nearer.join(', ')} would add a parcel` : '';
  return `${scope}: ${location.id} (${where})${split}${passed}`;
}
