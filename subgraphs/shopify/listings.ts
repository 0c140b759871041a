/**
 * Reads listings for many SKUs in one Admin API call, and keeps them a few seconds.
 *
 * Shopify's search finds variants by `sku:`; one aliased `productVariants` field per SKU puts a
 * whole batch in one request, and each alias costs the same points the equivalent single query
 * would, so the batch is sized to stay under Shopify's per-query cost ceiling.
 */
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../kit/logger.ts';
import { ShopifyApiError, ShopifyUnavailable, type ShopifyClient } from './client.ts';
import { listingFromVariant, type AdminVariant } from './dictionary.ts';
import type { ShopifyListingValue } from './models.ts';

/** Locations read per variant; a shop with more shows the first ones. */
const LEVELS_PER_VARIANT = 10;
/**
 * Shopify's cost of one alias: a connection (2) of one variant (1) with its product (1) and
 * inventory item (1), whose levels are a connection (2) of `LEVELS_PER_VARIANT` levels, each
 * with a location (1) and quantities (1): 2 + 1 × (1 + 1 + 1 + 2 + 10 × 3) = 37.
 */
const COST_PER_SKU = 2 + (1 + 1 + 1 + 2 + LEVELS_PER_VARIANT * 3);
/** Shopify refuses a single query above 1000 points. */
const MAX_QUERY_COST = 1000;
/** SKUs per call, so a call stays under the ceiling (26 with the selection above). */
export const MAX_SKUS_PER_CALL = Math.floor((MAX_QUERY_COST - 1) / COST_PER_SKU);
/** @default 5000: long enough to absorb a page of storefront queries, short enough that nobody acts on old stock. */
export const DEFAULT_LISTING_CACHE_TTL_MS = 5000;
/** Copies older than the TTL are kept this long, to show while Shopify is down. @default 300_000 */
export const DEFAULT_STALE_IF_ERROR_MS = 300_000;

const VARIANT_SELECTION = `id sku title price compareAtPrice inventoryQuantity availableForSale inventoryPolicy updatedAt
  product { id title handle status vendor productType }
  inventoryItem { id tracked inventoryLevels(first: ${LEVELS_PER_VARIANT}) { nodes { location { id name } quantities(names: ["available", "committed", "on_hand", "incoming"]) { name quantity } } } }`;

/** One query for a batch of SKUs: `v0: productVariants(first: 1, query: $q0) { … }`, … */
export function listingsQuery(count: number): string {
  const variables = Array.from({ length: count }, (_, index) => `$q${index}: String!`).join(', ');
  const fields = Array.from({ length: count }, (_, index) => `  v${index}: productVariants(first: 1, query: $q${index}) { nodes { ...ListingVariant } }`).join('\n');
  return `query ListingsBySku(${variables}) {\n  shop { currencyCode }\n${fields}\n}\nfragment ListingVariant on ProductVariant { ${VARIANT_SELECTION} }`;
}

/** Shopify search syntax: quoted, so SKUs with spaces or colons match as one value. */
export function skuSearch(sku: string): string {
  return `sku:"${sku.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export class PlatformUnavailableError extends GraphQLError {
  constructor(sku: string, cause: string) {
    super(`Shopify is unavailable; the listing of ${sku} cannot be read now (${cause})`, { extensions: { code: 'PLATFORM_UNAVAILABLE', platform: 'shopify', sku } });
    this.name = 'PlatformUnavailableError';
  }
}

export interface ListingReaderOptions {
  client: ShopifyClient;
  log: Logger;
  /** @default DEFAULT_LISTING_CACHE_TTL_MS; 0 disables the cache */
  cacheTtlMs?: number;
  /** @default DEFAULT_STALE_IF_ERROR_MS */
  staleIfErrorMs?: number;
  /** @default 10_000 SKUs */
  cacheSize?: number;
}

interface CachedListing {
  listing: ShopifyListingValue | null;
  fetchedAt: number;
}

/** Process-wide: the cache outlives requests; each request gets its own DataLoader over it. */
export class ListingReader {
  readonly #client: ShopifyClient;
  readonly #log: Logger;
  readonly #ttlMs: number;
  readonly #staleIfErrorMs: number;
  readonly #cache: LRUCache<string, CachedListing>;

  constructor(options: ListingReaderOptions) {
    this.#client = options.client;
    this.#log = options.log.child({ component: 'listings' });
    this.#ttlMs = options.cacheTtlMs ?? DEFAULT_LISTING_CACHE_TTL_MS;
    this.#staleIfErrorMs = options.staleIfErrorMs ?? DEFAULT_STALE_IF_ERROR_MS;
    this.#cache = new LRUCache<string, CachedListing>({ max: options.cacheSize ?? 10_000 });
  }

  /** A per-request loader: every SKU asked for in one tick becomes one batch. */
  loader(): DataLoader<string, ShopifyListingValue | null> {
    return new DataLoader((skus) => this.listingsFor(skus), { maxBatchSize: MAX_SKUS_PER_CALL });
  }

  clearCache(): void {
    this.#cache.clear();
  }

  /** Listings by SKU (null: not listed on Shopify); one platform call for the ones not cached. */
  async listingsFor(skus: readonly string[]): Promise<Array<ShopifyListingValue | null | Error>> {
    const now = Date.now();
    const fresh = (entry: CachedListing | undefined) => entry !== undefined && now - entry.fetchedAt < this.#ttlMs;
    const missing = [...new Set(skus.filter((sku) => !fresh(this.#cache.get(sku))))];
    let failure: Error | undefined;
    if (missing.length > 0) {
      try {
        const fetched = await this.#fetch(missing);
        for (const sku of missing) this.#cache.set(sku, { listing: fetched.get(sku) ?? null, fetchedAt: Date.now() });
      } catch (error) {
        if (!(error instanceof ShopifyUnavailable || error instanceof ShopifyApiError)) throw error;
        failure = error;
        this.#log.warn({ err: error, skus: missing.length }, 'Shopify listings unavailable; serving recent copies where there are any');
      }
    }
    return skus.map((sku) => {
      const entry = this.#cache.get(sku);
      if (fresh(entry) || (failure && entry && now - entry.fetchedAt < this.#staleIfErrorMs)) return entry!.listing;
      return new PlatformUnavailableError(sku, failure?.message ?? 'no answer');
    });
  }

  async #fetch(skus: string[]): Promise<Map<string, ShopifyListingValue>> {
    const variables = Object.fromEntries(skus.map((sku, index) => [`q${index}`, skuSearch(sku)]));
    const data = await this.#client.request<{ shop: { currencyCode: string } } & Record<string, { nodes: AdminVariant[] }>>(listingsQuery(skus.length), {
      variables,
      expectedCost: 1 + skus.length * COST_PER_SKU,
    });
    const fetchedAt = new Date().toISOString();
    const listings = new Map<string, ShopifyListingValue>();
    skus.forEach((sku, index) => {
      // Shopify's search is looser than equality (tokens, prefixes): keep only the exact SKU.
      const variant = data[`v${index}`]?.nodes.find((candidate) => candidate.sku === sku);
      if (variant) listings.set(sku, listingFromVariant(variant, { currencyCode: data.shop.currencyCode, domain: this.#client.shopDomain }, fetchedAt));
    });
    return listings;
  }
}
