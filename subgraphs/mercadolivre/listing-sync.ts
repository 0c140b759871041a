/**
 * Channel sync's Mercado Livre side: sets the quantity each listing shows. Mercado Livre has no
 * batch write, but one `PUT /items/{id}` sets every variation of an item at once, so a batch is
 * grouped by item: one call per item, whatever number of its variations changed.
 */
import type { ListingQuantity, ListingQuantityPusher, PushResult } from '../platform-common/stock-sync.ts';
import type { Logger } from '../../kit/logger.ts';
import type { MlItem, MlItemUpdate } from './api-types.ts';
import { MercadoLivreApiError, MercadoLivreUnavailable, MULTIGET_MAX_IDS, type ItemsReadOperation, type MercadoLivreClient } from './client.ts';
import { MERCADOLIVRE_DICTIONARY, type ListingRef } from './dictionary.ts';
import type { MercadoLivreListings } from './listings.ts';
import type { SkuIndex } from './sku-index.ts';

export interface MercadoLivreListingSyncOptions {
  client: MercadoLivreClient;
  index: SkuIndex;
  listings: MercadoLivreListings;
  log: Logger;
  /**
   * An item's quantities are written at most this often: a change arriving sooner waits (as a
   * RETRY after the rest of the interval) and goes out together with whatever follows it, so a
   * burst of sales of one product costs Mercado Livre a few writes, not one per sale.
   * @default 250
   */
  minItemWriteIntervalMs?: number;
  /**
   * Calls waiting for the application's budget that go before a write of a quantity other than 0
   * (`MercadoLivreClient.callsAheadOfListingWrites`). While any wait, such a write is not queued
   * behind them with the quantity it has now: it is deferred and sent later with whatever the
   * quantity is then, so a write does not spend a call on a quantity superseded while it waited.
   * Sold-out writes go at once.
   */
  callsAhead?: () => number;
  now?: () => number;
}

/** How long a write deferred for more urgent calls waits before it is tried again. */
const DEFERRED_FOR_URGENT_CALLS_MS = 1000;

/** One item's share of a batch: the SKUs it carries and the quantity each should show. */
interface ItemChange {
  itemId: string;
  lines: Array<{ sku: string; quantity: number; ref: ListingRef }>;
}

export class MercadoLivreListingSync implements ListingQuantityPusher {
  /** One multiget reads the items of a whole batch fresh before their variations are written. */
  readonly batchSize = MULTIGET_MAX_IDS;
  readonly #options: MercadoLivreListingSyncOptions;
  readonly #log: Logger;
  readonly #now: () => number;
  /** When each item was last written, for the write interval (bounded: old entries are dropped). */
  readonly #writtenAt = new Map<string, number>();
  /**
   * Items with a write on its way. Mercado Livre keeps whichever PUT lands last and offers no
   * version to compare against, so a second write of an item must not start before the first is
   * answered: a push waiting on the call budget (a sold-out push goes first) would otherwise land
   * after the newer one and leave the listing showing an older quantity.
   */
  readonly #writing = new Set<string>();

  /**
   * Mercado Livre takes each unit it sells off the item's `available_quantity` (and pauses the item
   * at 0), so the write that follows its own sale often finds the listing showing the quantity
   * already. One multiget (20 items a call) reads such listings first; it comes out of the same
   * call budget as a write, so it is made for two such listings or more.
   * https://developers.mercadolibre.com.ar/en_us/manage-sales (an order reserves or subtracts the item's stock)
   */
  readonly ownSales = {
    read: (skus: readonly string[]) => this.#shown(skus, 'checkItems'),
    minListings: 2,
  };

  constructor(options: MercadoLivreListingSyncOptions) {
    this.#options = options;
    this.#log = options.log.child({ component: 'listing-sync' });
    this.#now = options.now ?? Date.now;
  }


  async push(batch: readonly ListingQuantity[]): Promise<PushResult[]> {
    const results: PushResult[] = [];
    const refs = await this.#options.index.lookup(batch.map((line) => line.sku));
    const changes = new Map<string, ItemChange>();
    for (const line of batch) {
      const ref = refs.get(line.sku);
      if (!ref) {
        results.push({ sku: line.sku, outcome: 'FAILED', error: `SKU ${line.sku} is not listed on Mercado Livre (no item or variation carries it as SELLER_SKU)` });
        continue;
      }
      const change = changes.get(ref.itemId) ?? { itemId: ref.itemId, lines: [] };
      change.lines.push({ sku: line.sku, quantity: line.quantity, ref });
      changes.set(ref.itemId, change);
    }
    const interval = this.#options.minItemWriteIntervalMs ?? 250;
    for (const change of [...changes.values()]) {
      if (this.#writing.has(change.itemId)) {
        changes.delete(change.itemId);
        for (const line of change.lines) results.push({ sku: line.sku, outcome: 'RETRY', error: `Mercado Livre item ${change.itemId} has a write on its way; this one follows it`, retryAfterMs: interval, deferred: true });
        continue;
      }
      const waitMs = (this.#writtenAt.get(change.itemId) ?? -Infinity) + interval - this.#now();
      if (waitMs <= 0) continue;
      changes.delete(change.itemId);
      for (const line of change.lines) results.push({ sku: line.sku, outcome: 'RETRY', error: `Mercado Livre item ${change.itemId} was written ${interval - waitMs} ms ago; coalescing`, retryAfterMs: waitMs, deferred: true });
    }
    if ((this.#options.callsAhead?.() ?? 0) > 0) {
      for (const change of [...changes.values()]) {
        if (change.lines.some((line) => line.quantity === 0)) continue;
        changes.delete(change.itemId);
        for (const line of change.lines) results.push({ sku: line.sku, outcome: 'RETRY', error: `Mercado Livre's call budget is taken by more urgent calls; ${change.itemId} is written once they are through`, retryAfterMs: DEFERRED_FOR_URGENT_CALLS_MS, deferred: true });
      }
    }
    // Taken before the read below: a batch arriving meanwhile defers to this one.
    for (const itemId of changes.keys()) this.#writing.add(itemId);
    try {
      return [...results, ...(await this.#pushChanges(changes))];
    } finally {
      for (const itemId of changes.keys()) this.#writing.delete(itemId);
    }
  }

  async #pushChanges(changes: ReadonlyMap<string, ItemChange>): Promise<PushResult[]> {
    if (changes.size === 0) return [];

    // Writing variations replaces the item's whole list, so the ones not in the batch must be
    // sent with the quantity they show now: read those items fresh, never from a cache.
    const withVariations = [...changes.values()].filter((change) => change.lines.some((line) => line.ref.variationId !== null)).map((change) => change.itemId);
    let current = new Map<string, MlItem>();
    if (withVariations.length > 0) {
      try {
        const items = await this.#options.client.items(withVariations, { mode: 'background' });
        this.#options.index.learn(items);
        current = new Map(items.map((item) => [item.id, item]));
      } catch (error) {
        return [...changes.values()].flatMap((change) => change.lines.map((line) => failureOf(line.sku, error)));
      }
    }

    const perItem = await Promise.all([...changes.values()].map((change) => this.#pushItem(change, current)));
    return perItem.flat();
  }

  /** What each SKU's listing shows now (null: not listed), read past the storefront's cache. */
  read(skus: readonly string[]): Promise<Map<string, number | null>> {
    return this.#shown(skus, 'multigetItems');
  }

  async #shown(skus: readonly string[], operation: ItemsReadOperation): Promise<Map<string, number | null>> {
    const listings = await this.#options.listings.freshListingsFor(skus, { operation });
    return new Map(skus.map((sku) => [sku, listings.get(sku)?.availableQuantity ?? null]));
  }

  async #pushItem(change: ItemChange, current: ReadonlyMap<string, MlItem>): Promise<PushResult[]> {
    const update = this.#updateFor(change, current);
    if ('failed' in update) return update.failed;
    this.#markWritten(change.itemId);
    try {
      const item = await this.#options.client.updateItem(change.itemId, update.body);
      this.#options.index.learn([item]);
      // Shoppers' reads through Ponte should see the new quantity now, not in a few seconds.
      this.#options.listings.forgetItem(change.itemId);
      return [...update.skipped, ...update.sent.map((sku): PushResult => ({ sku, outcome: 'PUSHED' }))];
    } catch (error) {
      this.#log.debug({ err: error, itemId: change.itemId }, 'listing quantity push failed');
      return [...update.skipped, ...update.sent.map((sku) => failureOf(sku, error))];
    }
  }

  #markWritten(itemId: string): void {
    const now = this.#now();
    this.#writtenAt.delete(itemId);
    this.#writtenAt.set(itemId, now);
    // Insertion order is write order: the oldest entries are past the interval and can go.
    if (this.#writtenAt.size > 10_000) for (const [oldest] of this.#writtenAt) if (this.#writtenAt.size > 5_000) this.#writtenAt.delete(oldest);
  }

  /** The PUT body for one item, and which SKUs it carries (the rest answered already). */
  #updateFor(change: ItemChange, current: ReadonlyMap<string, MlItem>): { body: MlItemUpdate; sent: string[]; skipped: PushResult[] } | { failed: PushResult[] } {
    const plain = change.lines.filter((line) => line.ref.variationId === null);
    const onVariations = change.lines.filter((line) => line.ref.variationId !== null);
    if (onVariations.length === 0) {
      // One SKU per item without variations; should the batch repeat it, the last quantity wins.
      const last = plain.at(-1)!;
      return { body: { available_quantity: last.quantity }, sent: plain.map((line) => line.sku), skipped: [] };
    }
    const item = current.get(change.itemId);
    if (!item) {
      return { failed: change.lines.map((line): PushResult => ({ sku: line.sku, outcome: 'FAILED', error: `Mercado Livre item ${change.itemId} of SKU ${line.sku} no longer exists` })) };
    }
    // The index said variation, the item may have been rebuilt since: the learn() above fixed the
    // index, so the next attempt finds the SKU where it is now.
    const skipped: PushResult[] = plain.map((line) => ({ sku: line.sku, outcome: 'RETRY', error: `Mercado Livre item ${change.itemId} now has variations; SKU index refreshed` }));
    const wanted = new Map<number, number>();
    const sent: string[] = [];
    for (const line of onVariations) {
      if (!item.variations?.some((variation) => variation.id === line.ref.variationId)) {
        skipped.push({ sku: line.sku, outcome: 'RETRY', error: `variation ${line.ref.variationId} of SKU ${line.sku} is gone from Mercado Livre item ${change.itemId}; SKU index refreshed` });
        continue;
      }
      wanted.set(line.ref.variationId!, line.quantity);
      sent.push(line.sku);
    }
    if (sent.length === 0) return { failed: skipped };
    const quantityOf = MERCADOLIVRE_DICTIONARY.listing.quantity.read;
    const variations = (item.variations ?? []).map((variation) => ({ id: variation.id, available_quantity: wanted.get(variation.id) ?? quantityOf({ item, variation }) }));
    return { body: { variations }, sent, skipped };
  }
}

/** Mercado Livre's refusal, in channel sync's terms. */
function failureOf(sku: string, error: unknown): PushResult {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof MercadoLivreUnavailable) {
    return { sku, outcome: 'RETRY', error: message, platformDown: error.outage, ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}) };
  }
  // 4xx other than 401/429: the item is gone, closed or the quantity invalid; retrying will not help.
  if (error instanceof MercadoLivreApiError) return { sku, outcome: 'FAILED', error: message };
  // Anything else (the token could not be refreshed, say) may pass; try again later.
  return { sku, outcome: 'RETRY', error: message };
}
