/**
 * Reading listings from the store: one `GET /products?sku=…` per batch of SKUs, a short
 * process-level cache in front of it (a storefront page and the next one ask for the same SKUs
 * within seconds; a slow WordPress should not pay for each), and per-request DataLoaders so a
 * query for 50 products is one platform call, never 50.
 */
import DataLoader from 'dataloader';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../kit/logger.ts';
import { WC_MAX_PER_PAGE, type WooCommerceClient } from './client.ts';
import { categoriesOf, listingFromWooProduct } from './dictionary.ts';
import type { WooCommerceListingValue } from './models.ts';

export interface ListingReaderOptions {
  client: WooCommerceClient;
  /** The store's currency (WooCommerce keeps it in a setting, not on products). @default BRL */
  currency?: string;
  log: Logger;
  /** How long a listing read from the store is served from memory. @default 5000 */
  cacheTtlMs?: number;
  /** @default 10000 */
  cacheMaxEntries?: number;
}

const DEFAULT_CACHE_TTL_MS = 5000;

/** Cached entries are wrapped: "not listed on WooCommerce" is an answer worth caching too. */
interface Cached<Value> {
  value: Value;
}

export class ListingReader {
  readonly #client: WooCommerceClient;
  readonly #currency: string;
  readonly #log: Logger;
  readonly #listings: LRUCache<string, Cached<WooCommerceListingValue | null>>;
  readonly #categories: LRUCache<string, Cached<string[]>>;
  /** Reads in flight per SKU, so concurrent requests missing the cache share one platform call. */
  readonly #inFlight = new Map<string, Promise<WooCommerceListingValue | null>>();

  constructor(options: ListingReaderOptions) {
    this.#client = options.client;
    this.#currency = options.currency ?? 'BRL';
    this.#log = options.log.child({ component: 'listings' });
    const ttl = options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
    const max = options.cacheMaxEntries ?? 10_000;
    this.#listings = new LRUCache({ max, ttl });
    this.#categories = new LRUCache({ max, ttl });
  }

  /** Listings for these SKUs (null where the store lists none), in order; at most one platform call per 100 SKUs missing from the cache. */
  async listingsFor(skus: readonly string[]): Promise<Array<WooCommerceListingValue | null>> {
    const answers: Array<WooCommerceListingValue | null | Promise<WooCommerceListingValue | null> | undefined> = skus.map((sku) => {
      const cached = this.#listings.get(sku);
      return cached ? cached.value : this.#inFlight.get(sku);
    });
    const missing = [...new Set(skus.filter((_, index) => answers[index] === undefined))];
    for (let start = 0; start < missing.length; start += WC_MAX_PER_PAGE) this.#fetchListings(missing.slice(start, start + WC_MAX_PER_PAGE));
    return Promise.all(answers.map((answer, index) => (answer === undefined ? (this.#inFlight.get(skus[index]!) ?? null) : answer)));
  }

  /** Category names of products by WooCommerce id (a variation's parent), one call per batch. */
  async categoriesOfProducts(productIds: readonly string[]): Promise<string[][]> {
    const missing = [...new Set(productIds.filter((id) => !this.#categories.has(id)))];
    if (missing.length > 0) {
      const products = await this.#client.productsById(missing.map(Number));
      for (const product of products) this.#categories.set(String(product.id), { value: categoriesOf(product) });
    }
    return productIds.map((id) => this.#categories.get(id)?.value ?? []);
  }

  /**
   * What the store shows now for these SKUs (null: not listed), bypassing the cache — channel
   * sync must not mistake a listing read seconds ago for the current one. One call per 100 SKUs,
   * as background work (longer timeout); the answers refresh the cache for storefront reads.
   */
  async readFromStore(skus: readonly string[]): Promise<Map<string, WooCommerceListingValue | null>> {
    const unique = [...new Set(skus)];
    const found = new Map<string, WooCommerceListingValue | null>();
    for (let start = 0; start < unique.length; start += WC_MAX_PER_PAGE) {
      const batch = unique.slice(start, start + WC_MAX_PER_PAGE);
      const products = await this.#client.productsBySku(batch, 'sync');
      const bySku = new Map(products.map((product) => [product.sku, listingFromWooProduct(product, this.#currency)]));
      for (const sku of batch) {
        const listing = bySku.get(sku) ?? null;
        found.set(sku, listing);
        this.#listings.set(sku, { value: listing });
      }
    }
    return found;
  }

  /** Drops these SKUs from the cache, e.g. after Ponte changed their quantity on the store. */
  forget(skus: readonly string[]): void {
    for (const sku of skus) this.#listings.delete(sku);
  }

  /** Forgets what was read, e.g. after the merchant edited listings. */
  clearCache(): void {
    this.#listings.clear();
    this.#categories.clear();
  }

  #fetchListings(skus: string[]): void {
    const read = this.#client.productsBySku(skus).then(
      (products) => {
        const bySku = new Map(products.map((product) => [product.sku, listingFromWooProduct(product, this.#currency)]));
        for (const sku of skus) this.#listings.set(sku, { value: bySku.get(sku) ?? null });
        this.#log.debug({ skus: skus.length, found: bySku.size }, 'listings read from WooCommerce');
        return bySku;
      },
      (error: unknown) => {
        // One warning per failed batch, not one per product in it.
        this.#log.warn({ err: error, skus: skus.length }, 'WooCommerce listings unavailable');
        throw error;
      },
    );
    for (const sku of skus) {
      const listing = read.then((bySku) => bySku.get(sku) ?? null);
      // Callers await it; this only keeps a failure nobody awaited from being reported as unhandled.
      listing.catch(() => {});
      this.#inFlight.set(sku, listing);
      void listing.finally(() => this.#inFlight.delete(sku)).catch(() => {});
    }
  }
}

export interface WooCommerceLoaders {
  listing: DataLoader<string, WooCommerceListingValue | null>;
  /** Categories by WooCommerce product id. */
  categories: DataLoader<string, string[]>;
}

/** Per request: batches the SKUs one GraphQL operation asks for into the reader's single call. */
export function createWooCommerceLoaders(reader: ListingReader): WooCommerceLoaders {
  return {
    listing: new DataLoader((skus) => settle(skus, () => reader.listingsFor(skus)), { maxBatchSize: WC_MAX_PER_PAGE }),
    categories: new DataLoader((ids) => settle(ids, () => reader.categoriesOfProducts(ids)), { maxBatchSize: WC_MAX_PER_PAGE }),
  };
}

/** A failed batch rejects each of its keys, instead of failing the DataLoader itself. */
async function settle<Key, Value>(keys: readonly Key[], load: () => Promise<Value[]>): Promise<Array<Value | Error>> {
  try {
    return await load();
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    return keys.map(() => failure);
  }
}
