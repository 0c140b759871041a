import DataLoader from 'dataloader';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../kit/logger.ts';
import type { ItemsReadOperation, MercadoLivreClient } from './client.ts';
import { listingFromItem } from './dictionary.ts';
import type { MercadoLivreListingValue } from './models.ts';
import type { SkuIndex } from './sku-index.ts';

export interface MercadoLivreListingsOptions {
  client: MercadoLivreClient;
  index: SkuIndex;
  log: Logger;
  /**
   * How long a listing read from Mercado Livre is served without asking again. Short: the
   * platform's quantity moves with every sale there.
   * @default 5000
   */
  cacheTtlMs?: number;
  /** @default 10_000 */
  cacheMaxEntries?: number;
}

/** The cache holds "not listed" too, so a SKU absent from Mercado Livre costs no call per query. */
type Cached = { listing: MercadoLivreListingValue | null };

/**
 * Reads SKUs' listings from Mercado Livre: the SKU index says which items to read, one
 * multiget reads up to 20 of them, and a short process-wide cache absorbs repeated reads.
 */
export class MercadoLivreListings {
  readonly #options: MercadoLivreListingsOptions;
  readonly #log: Logger;
  readonly #cache: LRUCache<string, Cached>;

  constructor(options: MercadoLivreListingsOptions) {
    this.#options = options;
    this.#log = options.log.child({ component: 'listings' });
    this.#cache = new LRUCache({ max: options.cacheMaxEntries ?? 10_000, ttl: options.cacheTtlMs ?? 5000 });
  }

  /** A per-request loader: every SKU asked for in one tick becomes one read. */
  loader(): DataLoader<string, MercadoLivreListingValue | null> {
    return new DataLoader((skus) => this.listingsFor(skus), { cache: true });
  }

  /** Listings in the order of `skus` (null: not listed on Mercado Livre). */
  async listingsFor(skus: readonly string[]): Promise<Array<MercadoLivreListingValue | null>> {
    const found = new Map<string, MercadoLivreListingValue | null>();
    const missing: string[] = [];
    for (const sku of skus) {
      const cached = this.#cache.get(sku);
      if (cached) found.set(sku, cached.listing);
      else missing.push(sku);
    }
    if (missing.length > 0) for (const [sku, listing] of await this.#read(missing, 'interactive')) found.set(sku, listing);
    return skus.map((sku) => found.get(sku) ?? null);
  }

  /**
   * Listings as Mercado Livre shows them this moment, skipping the cache (drift checks must not
   * compare with a read a few seconds old); what is read refreshes the cache too.
   */
  async freshListingsFor(skus: readonly string[], options: { operation?: ItemsReadOperation } = {}): Promise<Map<string, MercadoLivreListingValue | null>> {
    return this.#read([...new Set(skus)], 'background', options.operation);
  }

  async #read(skus: readonly string[], mode: 'interactive' | 'background', operation?: ItemsReadOperation): Promise<Map<string, MercadoLivreListingValue | null>> {
    const found = new Map<string, MercadoLivreListingValue | null>();
    const refs = await this.#options.index.lookup(skus);
    const items = refs.size === 0 ? [] : await this.#options.client.items([...new Set([...refs.values()].map((ref) => ref.itemId))], { mode, ...(operation ? { operation } : {}) });
    this.#options.index.learn(items);
    const itemsById = new Map(items.map((item) => [item.id, item]));
    for (const sku of skus) {
      const ref = refs.get(sku);
      const item = ref && itemsById.get(ref.itemId);
      const listing = ref && item ? listingFromItem(sku, item, ref) : null;
      this.#cache.set(sku, { listing });
      found.set(sku, listing);
    }
    this.#log.debug({ skus: skus.length, items: items.length }, 'listings read from Mercado Livre');
    return found;
  }

  /** Drops what is cached for an item (an `items` notification said it changed). */
  forgetItem(itemId: string): void {
    for (const [sku, cached] of this.#cache.entries()) if (cached.listing?.itemId === itemId) this.#cache.delete(sku);
  }
}
