import type { Logger } from '../../kit/logger.ts';
import type { MlItem } from './api-types.ts';
import type { MercadoLivreClient } from './client.ts';
import { listingRefsOf, type ListingRef } from './dictionary.ts';

export interface SkuIndexOptions {
  client: MercadoLivreClient;
  log: Logger;
  /**
   * A full rebuild is started in the background when the index is older than this.
   * @default 900_000 (15 minutes)
   */
  maxAgeMs?: number;
  /**
   * A SKU the index does not know triggers a rebuild at most this often (new listings appear
   * without waiting for maxAgeMs, and unlisted SKUs do not cost a rebuild each).
   * @default 60_000
   */
  missRebuildIntervalMs?: number;
  now?: () => number;
}

/**
 * SKU → Mercado Livre item (and variation). Mercado Livre cannot be asked "the item of SKU X"
 * in bulk, so the seller's items are listed (`/users/{id}/items/search`) and read with the
 * multiget, whose `include_attributes=all` shows each variation's SELLER_SKU. Every multiget a
 * listing read makes also feeds the index, so it stays current between rebuilds.
 */
export class SkuIndex {
  readonly #options: SkuIndexOptions;
  readonly #log: Logger;
  readonly #now: () => number;
  #bySku = new Map<string, ListingRef>();
  #byListing = new Map<string, string>();
  #builtAt: number | undefined;
  #building: Promise<void> | undefined;

  constructor(options: SkuIndexOptions) {
    this.#options = options;
    this.#log = options.log.child({ component: 'sku-index' });
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#bySku.size;
  }

  /** Where each SKU is listed; SKUs not listed on Mercado Livre are absent. */
  async lookup(skus: readonly string[]): Promise<Map<string, ListingRef>> {
    if (this.#builtAt === undefined) await this.rebuild();
    if (skus.some((sku) => !this.#bySku.has(sku))) await this.rebuildForUnknownListing();
    else if (this.#now() - this.#builtAt! >= (this.#options.maxAgeMs ?? 900_000)) {
      void this.rebuild().catch((error: unknown) => this.#log.warn({ err: error }, 'SKU index rebuild failed; keeping the old one'));
    }
    return new Map(skus.flatMap((sku) => (this.#bySku.has(sku) ? [[sku, this.#bySku.get(sku)!] as const] : [])));
  }

  /** Something was not in the index: rebuild, unless that was done a moment ago. */
  async rebuildForUnknownListing(): Promise<void> {
    if (this.#builtAt === undefined || this.#now() - this.#builtAt >= (this.#options.missRebuildIntervalMs ?? 60_000)) await this.rebuild();
  }

  /** The SKU of an order line's item / variation, from what the index knows. */
  skuOf(ref: ListingRef): string | undefined {
    return this.#byListing.get(listingKey(ref));
  }

  /** Takes in items just read: SKUs added, moved or removed on them show up at once. */
  learn(items: readonly MlItem[]): void {
    for (const item of items) {
      // Only items read with their attributes say where SKUs are; others are not evidence.
      const variationsWithoutAttributes = item.variations?.some((variation) => variation.attributes === undefined);
      if (variationsWithoutAttributes) continue;
      for (const [sku, ref] of this.#bySku) if (ref.itemId === item.id) this.#forget(sku, ref);
      for (const { sku, ref } of listingRefsOf(item)) this.#remember(sku, ref, item.status);
    }
  }

  /** Rebuilds from the seller's whole account; concurrent callers share one rebuild. */
  rebuild(): Promise<void> {
    this.#building ??= this.#rebuild().finally(() => {
      this.#building = undefined;
    });
    return this.#building;
  }

  async #rebuild(): Promise<void> {
    const ids = await this.#options.client.sellerItemIds();
    const items = await this.#options.client.items(ids, { mode: 'background' });
    this.#bySku = new Map();
    this.#byListing = new Map();
    for (const item of items) for (const { sku, ref } of listingRefsOf(item)) this.#remember(sku, ref, item.status);
    this.#builtAt = this.#now();
    this.#log.debug({ items: items.length, skus: this.#bySku.size }, 'SKU index rebuilt');
  }

  #remember(sku: string, ref: ListingRef, status: string): void {
    const existing = this.#bySku.get(sku);
    // A SKU relisted after its item was closed: the open listing is the one shoppers see.
    if (existing && existing.itemId !== ref.itemId && status === 'closed') return;
    if (existing) this.#byListing.delete(listingKey(existing));
    this.#bySku.set(sku, ref);
    this.#byListing.set(listingKey(ref), sku);
  }

  #forget(sku: string, ref: ListingRef): void {
    this.#bySku.delete(sku);
    this.#byListing.delete(listingKey(ref));
  }
}

function listingKey(ref: ListingRef): string {
  return ref.variationId === null ? ref.itemId : `${ref.itemId}/${ref.variationId}`;
}
