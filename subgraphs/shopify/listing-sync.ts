/**
 * Channel sync for Shopify: sets the quantity each variant shows to the canonical channel
 * availability, through `ShopifyClient` (so the cost limiter, THROTTLED retries, timeouts and
 * 5xx retries all apply).
 *
 * Shopify quirks kept here:
 * - Stock lives per location and shoppers can buy the sum over locations. Ponte's channel
 *   availability is one number, so it is set at the location the channel maps to, and whatever
 *   `available` Shopify shows at the shop's other locations is set to 0: units left there would be
 *   sold on top of the canonical quantity (oversell).
 * - `inventorySetQuantities` is compare-and-set (`changeFromQuantity`, required from 2026-04) and
 *   all-or-nothing: one stale or invalid quantity rejects the whole call, so the SKUs that were
 *   fine are sent again in the next round, and stale ones are read again first.
 * - Shopify's limit is a bucket of points charged at each query's requested cost. The read before
 *   a set is therefore the sync's own (`listing-levels.ts`): the item, and `available` at as many
 *   locations as the shop has, 7 + 3 × locations points a SKU (13 with two locations) where the
 *   storefront's listing read asks 37. It is never cached: a set compares against it.
 * - From 2026-04 `inventorySetQuantities` also needs `@idempotent(key:)` at run time
 *   (https://shopify.dev/changelog/making-idempotency-mandatory-for-inventory-adjustments-and-refund-mutations).
 *   The key is derived from what the call writes: channel, and per quantity the SKU, location,
 *   canonical stockVersion, changeFromQuantity and quantity. A retry of the same call (the client's
 *   own retry after a lost answer, or a later round that reads the same state) sends the same key
 *   and gets Shopify's stored result instead of a second write; a newer push differs in version or
 *   read state, so it is a new key. Once a key has been answered, the same content again means
 *   the level went back in between (the merchant edited it), so a generation counter makes it new.
 * - Every write to a level is a `inventory_levels/update` webhook to every app on the shop, so a
 *   listing is written at most once per `minWriteIntervalMs`: during a burst of sales the SKU is
 *   answered RETRY until the interval is over, meanwhile StockSync coalesces the burst into its
 *   latest quantity, which then goes in one write. A single change is pushed at once.
 */
import { createHash } from 'node:crypto';
import type { ListingQuantity, ListingQuantityPusher, PushResult } from '../platform-common/stock-sync.ts';
import type { Logger } from '../../kit/logger.ts';
import { ShopifyApiError, ShopifyUnavailable, type ShopifyClient } from './client.ts';
import { levelReadCost, ListingLevelReader, MAX_LEVELS_PER_READ, skusPerLevelRead, type ListingLevels } from './listing-levels.ts';

/** The quantity name shoppers buy from; `on_hand` would also count committed and reserved units. */
const QUANTITY_NAME = 'available';
/** Shopify's reason for a count set by a system of record. */
const ADJUSTMENT_REASON = 'correction';
/** Rounds of read → set per push: all-or-nothing calls make SKUs wait for a stale neighbour. */
const MAX_ROUNDS = 3;
/** Quantities per `inventorySetQuantities` call that Shopify accepts. */
const MAX_QUANTITIES_PER_CALL = 250;
/** @default 250: coalesces a burst into a few writes, well inside Ponte's one-second promise. */
export const DEFAULT_MIN_WRITE_INTERVAL_MS = 250;
/** Above this many remembered writes, the ones older than the interval are forgotten. */
const RECENT_WRITES_SWEEP_SIZE = 1000;
/** Shopify's cost of a mutation field ("Mutation: 10", https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits). */
const SET_QUANTITIES_COST = 10;
/** User error codes that another attempt with a fresh read can fix. */
const RETRYABLE_CODES = new Set(['CHANGE_FROM_QUANTITY_STALE', 'COMPARE_QUANTITY_STALE']);
/**
 * A level the read showed is gone (the item no longer stocked there, the location removed): the
 * shop's locations changed, so they are counted again, and the SKU read again.
 */
const LEVEL_GONE_CODES = new Set(['ITEM_NOT_STOCKED_AT_LOCATION', 'INVALID_LOCATION']);

const SET_QUANTITIES = `mutation SetListingQuantities($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) { inventoryAdjustmentGroup { id } userErrors { code field message } }
}`;
/** The same, with the idempotency key (the directive exists from 2026-01, is required from 2026-04). */
const SET_QUANTITIES_IDEMPOTENT = `mutation SetListingQuantities($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) { inventoryAdjustmentGroup { id } userErrors { code field message } }
}`;
/** First API version with the `@idempotent` directive (https://shopify.dev/changelog/adding-idempotency-for-inventory-adjustments-and-refund-mutations). */
const IDEMPOTENT_DIRECTIVE_FROM_VERSION = '2026-01';
const PRIMARY_LOCATION = `query PrimaryLocation { location { id name } }`;

export interface ShopifyListingPusherOptions {
  client: ShopifyClient;
  log: Logger;
  /** The canonical channel, named in Shopify's adjustment history (`referenceDocumentUri`). */
  channel: string;
  /** The Shopify location GID the channel's quantity is set at. @default the shop's primary location */
  locationId?: string | undefined;
  /** SKUs per push at most: one read call and one write each. @default what one read call can carry (`skusPerLevelRead`) */
  batchSize?: number;
  /** How long the shop's location count is kept. @default DEFAULT_LOCATION_COUNT_TTL_MS (listing-levels.ts) */
  locationCountTtlMs?: number;
  /** Least time between two writes to one listing. @default DEFAULT_MIN_WRITE_INTERVAL_MS; 0: no spacing */
  minWriteIntervalMs?: number;
}

interface SetQuantitiesAnswer {
  inventorySetQuantities: { inventoryAdjustmentGroup: { id: string } | null; userErrors: Array<{ code: string | null; field: string[] | null; message: string }> } | null;
}

interface QuantityChange {
  sku: string;
  inventoryItemId: string;
  locationId: string;
  quantity: number;
  changeFromQuantity: number;
}

export class ShopifyListingPusher implements ListingQuantityPusher {
  readonly #client: ShopifyClient;
  readonly #log: Logger;
  readonly #channel: string;
  readonly #configuredLocationId: string | undefined;
  readonly #configuredBatchSize: number | undefined;
  /** The sync's own reads, never cached (not the storefront's `ListingReader`): a set compares against what Shopify holds now. */
  readonly #levels: ListingLevelReader;
  #locationId: Promise<string> | undefined;
  readonly #minWriteIntervalMs: number;
  /** When each SKU's listing was last written, by this process. */
  readonly #writtenAt = new Map<string, number>();
  /** Write contents Shopify has answered, by content hash: how many times (the key's generation). */
  readonly #answeredKeys = new Map<string, number>();

  constructor(options: ShopifyListingPusherOptions) {
    this.#client = options.client;
    this.#log = options.log.child({ component: 'shopify-listing-sync' });
    this.#channel = options.channel;
    this.#configuredLocationId = options.locationId;
    this.#configuredBatchSize = options.batchSize === undefined ? undefined : Math.max(1, options.batchSize);
    this.#minWriteIntervalMs = options.minWriteIntervalMs ?? DEFAULT_MIN_WRITE_INTERVAL_MS;
    this.#levels = new ListingLevelReader({ client: options.client, log: options.log, ...(options.locationCountTtlMs !== undefined ? { locationCountTtlMs: options.locationCountTtlMs } : {}) });
  }

  /**
   * SKUs per push: what one read call carries with the levels a SKU needs (76 on a shop with two
   * locations), and no more quantities than one set takes (each SKU may set one per location).
   * Until the shop's locations are counted, taken as one; a push re-cuts its batch once they are.
   */
  /** Points a push of a whole batch asks of the bucket: the read of its levels, then the set. */
  get pointsPerPush(): number {
    return this.batchSize * levelReadCost(this.#levels.levelsPerSku ?? 1) + SET_QUANTITIES_COST;
  }

  get batchSize(): number {
    const levels = this.#levels.levelsPerSku ?? 1;
    return Math.min(this.#configuredBatchSize ?? Number.POSITIVE_INFINITY, skusPerLevelRead(levels), Math.max(1, Math.floor(MAX_QUANTITIES_PER_CALL / levels)));
  }

  /** Reads for drift reports carry as many SKUs as a push. */
  get readBatchSize(): number {
    return this.batchSize;
  }

  /** The location the channel's quantity is set at: configured, else the shop's primary one (read once). */
  locationId(): Promise<string> {
    if (this.#configuredLocationId) return Promise.resolve(this.#configuredLocationId);
    this.#locationId ??= this.#client.request<{ location: { id: string; name: string } | null }>(PRIMARY_LOCATION).then((data) => {
      if (!data.location) throw new ShopifyApiError('The Shopify shop has no location to set stock at', 'NO_LOCATION');
      this.#log.info({ locationId: data.location.id, name: data.location.name }, 'channel quantities go to the primary Shopify location');
      return data.location.id;
    });
    // A failed lookup is asked again next time rather than remembered.
    this.#locationId.catch(() => {
      this.#locationId = undefined;
    });
    return this.#locationId;
  }

  async push(batch: readonly ListingQuantity[]): Promise<PushResult[]> {
    const results = new Map<string, PushResult>();
    const versions = new Map(batch.map(({ sku, stockVersion }) => [sku, stockVersion ?? null]));
    const now = performance.now();
    let pending = batch.filter(({ sku }) => {
      const waitMs = (this.#writtenAt.get(sku) ?? Number.NEGATIVE_INFINITY) + this.#minWriteIntervalMs - now;
      if (waitMs > 0) results.set(sku, { sku, outcome: 'RETRY', error: 'written moments ago; the latest quantity goes after a short interval', retryAfterMs: Math.ceil(waitMs), deferred: true });
      return waitMs <= 0;
    });
    try {
      const locationId = await this.locationId();
      await this.#readFailing(() => this.#levels.countLocations());
      // A batch cut before the locations were counted (or while they were fewer) goes in parts that fit one read.
      for (let start = 0; start < pending.length; ) {
        let part = pending.slice(start, start + this.batchSize);
        start += part.length;
        try {
          for (let round = 1; part.length > 0 && round <= MAX_ROUNDS; round++) {
            part = await this.#round(part, locationId, results, round === MAX_ROUNDS, versions);
          }
        } catch (error) {
          for (const { sku } of part) results.set(sku, this.#failure(sku, error));
        }
      }
    } catch (error) {
      for (const { sku } of pending) results.set(sku, this.#failure(sku, error));
    }
    for (const { sku } of pending) if (!results.has(sku)) results.set(sku, { sku, outcome: 'RETRY', error: 'Shopify kept rejecting the batch; trying again later' });
    return batch.map(({ sku }) => results.get(sku)!);
  }

  /** What each listing shows shoppers now (summed over locations); null when not listed. */
  async read(skus: readonly string[]): Promise<Map<string, number | null>> {
    const shown = new Map<string, number | null>();
    for (const [sku, listing] of await this.#readFailing(() => this.#levels.read(skus))) shown.set(sku, listing?.quantity ?? null);
    return shown;
  }

  /** A read Shopify refused is retried like one it could not answer (a push never dead-letters for a read). */
  async #readFailing<Value>(read: () => Promise<Value>): Promise<Value> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof ShopifyApiError && error.code !== 'UNAUTHORIZED') throw new ShopifyUnavailable(error.message);
      throw error;
    }
  }

  /**
   * One read → set round. Returns the SKUs to try again: stale ones, those that were fine but
   * rejected with their batch, and those whose quantities did not fit this call. Settled SKUs are
   * written to `results`.
   */
  async #round(wanted: ListingQuantity[], locationId: string, results: Map<string, PushResult>, last: boolean, versions: Map<string, number | null>): Promise<ListingQuantity[]> {
    const listings = await this.#readFailing(() => this.#levels.read(wanted.map(({ sku }) => sku)));
    const changes: QuantityChange[] = [];
    const deferred: ListingQuantity[] = [];
    for (const entry of wanted) {
      const { sku, quantity } = entry;
      const listing = listings.get(sku);
      if (!listing) {
        results.set(sku, { sku, outcome: 'FAILED', error: `SKU ${sku} is not listed on the Shopify store` });
        continue;
      }
      const planned = plannedChanges(listing, quantity, locationId);
      if (typeof planned === 'string') results.set(sku, { sku, outcome: 'FAILED', error: planned });
      else if (planned.length === 0) results.set(sku, { sku, outcome: 'PUSHED' });
      // Items found stocked at more locations than counted can overfill one call: the rest go next round.
      else if (changes.length + planned.length > MAX_QUANTITIES_PER_CALL) deferred.push(entry);
      else changes.push(...planned);
    }
    if (changes.length === 0) return deferred;

    const input = {
      name: QUANTITY_NAME,
      reason: ADJUSTMENT_REASON,
      referenceDocumentUri: `gid://ponte/ChannelSync/${encodeURIComponent(this.#channel)}`,
      quantities: changes.map(({ inventoryItemId, locationId: at, quantity, changeFromQuantity }) => ({ inventoryItemId, locationId: at, quantity, changeFromQuantity })),
    };
    const content = writeContentHash(this.#channel, changes, versions);
    const idempotent = apiVersionAtLeast(this.#client.apiVersion, IDEMPOTENT_DIRECTIVE_FROM_VERSION);
    const data = await this.#client.request<SetQuantitiesAnswer>(idempotent ? SET_QUANTITIES_IDEMPOTENT : SET_QUANTITIES, {
      variables: idempotent ? { input, idempotencyKey: idempotencyKey(content, this.#answeredKeys.get(content) ?? 0) } : { input },
      expectedCost: SET_QUANTITIES_COST,
    });
    const answer = data.inventorySetQuantities;
    if (!answer) throw new ShopifyUnavailable('Shopify answered inventorySetQuantities with no payload');
    this.#answered(content);
    const sent = [...new Set(changes.map(({ sku }) => sku))];
    if (answer.userErrors.length === 0) {
      this.#remember(sent);
      for (const sku of sent) results.set(sku, { sku, outcome: 'PUSHED' });
      return deferred;
    }

    // Nothing was applied. Errors name the quantity by index; one that names none blames the call.
    const retry = new Set<string>();
    for (const userError of answer.userErrors) {
      const index = userError.field?.[0] === 'input' && userError.field[1] === 'quantities' ? Number(userError.field[2]) : Number.NaN;
      const culprits = Number.isInteger(index) && changes[index] ? [changes[index].sku] : sent;
      for (const sku of culprits) {
        const error = `Shopify refused the quantity: ${userError.code ?? 'USER_ERROR'}: ${userError.message}`;
        if (userError.code && LEVEL_GONE_CODES.has(userError.code)) this.#levels.forgetLocationCount();
        if (userError.code && (RETRYABLE_CODES.has(userError.code) || LEVEL_GONE_CODES.has(userError.code))) {
          retry.add(sku);
          // Still stale after the last round: the shop's own sales keep changing it. It goes again
          // after the write interval, with a fresh read, not after a failure's growing backoff.
          if (last) results.set(sku, RETRYABLE_CODES.has(userError.code) ? { sku, outcome: 'RETRY', error, retryAfterMs: this.#minWriteIntervalMs, deferred: true } : { sku, outcome: 'RETRY', error });
        } else {
          results.set(sku, { sku, outcome: 'FAILED', error });
        }
      }
    }
    this.#log.debug({ userErrors: answer.userErrors.length, stale: retry.size }, 'Shopify rejected a quantity batch');
    // SKUs that were fine go again with the next round's fresh read.
    return wanted.filter(({ sku }) => !results.has(sku));
  }

  /** The key of this content is spent: the same content again is a new write. */
  #answered(content: string): void {
    if (this.#answeredKeys.size > RECENT_WRITES_SWEEP_SIZE) this.#answeredKeys.clear();
    this.#answeredKeys.set(content, (this.#answeredKeys.get(content) ?? 0) + 1);
  }

  #remember(skus: readonly string[]): void {
    if (this.#minWriteIntervalMs <= 0) return;
    const now = performance.now();
    if (this.#writtenAt.size > RECENT_WRITES_SWEEP_SIZE) {
      for (const [sku, at] of this.#writtenAt) if (now - at >= this.#minWriteIntervalMs) this.#writtenAt.delete(sku);
    }
    for (const sku of skus) this.#writtenAt.set(sku, now);
  }

  #failure(sku: string, error: unknown): PushResult {
    const message = (error as Error)?.message ?? String(error);
    if (error instanceof ShopifyUnavailable) {
      // Throttled past the client's own retries: come back when the bucket can pay for a batch's read and its write.
      const retryAfterMs = this.#client.limiter.waitFor(this.pointsPerPush);
      return { sku, outcome: 'RETRY', error: message, ...(retryAfterMs > 0 ? { retryAfterMs } : {}) };
    }
    // A refused token can be fixed by the merchant; retrying (and then a dead letter) keeps the quantity.
    if (error instanceof ShopifyApiError && error.code !== 'UNAUTHORIZED') return { sku, outcome: 'FAILED', error: message };
    return { sku, outcome: 'RETRY', error: message };
  }
}

/**
 * The changes that make `listing` show `quantity`: the channel location set to it, every other
 * location's `available` set to 0, each compare-and-set against what was just read. A string
 * says why it cannot be done.
 */
function plannedChanges(listing: ListingLevels, quantity: number, locationId: string): QuantityChange[] | string {
  // A level left unread would keep its units on sale next to the channel's quantity.
  if (listing.levels.length < listing.stockedAt) return `SKU ${listing.sku} is stocked at ${listing.stockedAt} Shopify locations and one read shows at most ${MAX_LEVELS_PER_READ}: the others cannot be set to 0, so nothing is pushed`;
  const target = listing.levels.find((level) => level.locationId === locationId);
  if (!target) return `SKU ${listing.sku} is not stocked at the Shopify location ${locationId}`;
  const wanted = new Map(listing.levels.map((level) => [level.locationId, level.locationId === locationId ? quantity : 0]));
  return listing.levels
    .filter((level) => level.available !== wanted.get(level.locationId))
    .map((level) => ({ sku: listing.sku, inventoryItemId: listing.inventoryItemId, locationId: level.locationId, quantity: wanted.get(level.locationId)!, changeFromQuantity: level.available }));
}

/** What one inventorySetQuantities call writes, as a hash: the basis of its idempotency key. */
function writeContentHash(channel: string, changes: readonly QuantityChange[], versions: ReadonlyMap<string, number | null>): string {
  const content = changes.map((change) => [change.sku, change.locationId, versions.get(change.sku) ?? null, change.changeFromQuantity, change.quantity]);
  return createHash('sha256').update(JSON.stringify([channel, content])).digest('hex');
}

/** A UUID-shaped key (Shopify recommends UUIDs) from the content hash and its generation. */
export function idempotencyKey(contentHash: string, generation: number): string {
  const hex = createHash('sha256').update(`${contentHash}:${generation}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((Number.parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/** Shopify versions are `YYYY-MM` (which sort as strings) or `unstable`, the newest. */
function apiVersionAtLeast(version: string, minimum: string): boolean {
  return version === 'unstable' || version >= minimum;
}
