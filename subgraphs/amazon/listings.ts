import DataLoader from 'dataloader';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../kit/logger.ts';
import { MAX_SKUS_PER_LISTINGS_SEARCH, type AmazonClient } from './client.ts';
import { listingFromItem } from './dictionary.ts';
import type { AmazonListingValue } from './models.ts';

export interface AmazonListingReaderOptions {
  client: AmazonClient;
  log: Logger;
  /**
   * How long a listing read from Amazon is reused across requests. Short: quantities move with
   * every order, and a storefront hitting the same SKUs must not spend the platform's quota.
   * @default 5000
   */
  cacheTtlMs?: number;
  /** @default 10_000 */
  cacheMaxEntries?: number;
}

const DEFAULT_CACHE_TTL_MS = 5000;
const DEFAULT_CACHE_MAX_ENTRIES = 10_000;

/**
 * Reads listings for `Product.amazonListing`: one searchListingsItems call per batch of up to 20
 * SKUs (per request, through a DataLoader), behind a short process-level cache shared by all
 * requests. SKUs Amazon does not list are cached as "not listed" too.
 */
export class AmazonListingReader {
  readonly #options: AmazonListingReaderOptions;
  readonly #log: Logger;
  readonly #cache: LRUCache<string, { listing: AmazonListingValue | null }>;

  constructor(options: AmazonListingReaderOptions) {
    this.#options = options;
    this.#log = options.log.child({ component: 'listings' });
    this.#cache = new LRUCache({ max: options.cacheMaxEntries ?? DEFAULT_CACHE_MAX_ENTRIES, ttl: options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS });
  }

  /** A loader for one GraphQL request. */
  loader(): DataLoader<string, AmazonListingValue | null> {
    return new DataLoader((skus) => this.#listingsFor(skus), { maxBatchSize: MAX_SKUS_PER_LISTINGS_SEARCH });
  }

  /** Forgets these SKUs' cached listings: Ponte just changed them on Amazon. */
  forget(skus: Iterable<string>): void {
    for (const sku of skus) this.#cache.delete(sku);
  }

  /** Forgets every cached listing (after Ponte pushes a quantity, or in tests). */
  clear(): void {
    this.#cache.clear();
  }

  async #listingsFor(skus: readonly string[]): Promise<Array<AmazonListingValue | null | Error>> {
    const missing = skus.filter((sku) => !this.#cache.has(sku));
    if (missing.length > 0) {
      try {
        const items = await this.#options.client.listingsForSkus(missing);
        const account = { marketplaceId: this.#options.client.marketplaceId, sellerId: this.#options.client.sellerId };
        const bySku = new Map(items.map((item) => [item.sku, listingFromItem(item, account)]));
        for (const sku of missing) this.#cache.set(sku, { listing: bySku.get(sku) ?? null });
      } catch (error) {
        // One warning per batch, not per SKU; the resolver turns this into a null field with a code.
        this.#log.warn({ err: error, skus: missing.length }, 'Amazon listings unavailable; amazonListing resolves to null');
        return skus.map((sku) => {
          const cached = this.#cache.get(sku);
          return cached ? cached.listing : (error as Error);
        });
      }
    }
    return skus.map((sku) => this.#cache.get(sku)?.listing ?? null);
  }
}
