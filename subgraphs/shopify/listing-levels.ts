/**
 * What channel sync reads before each `inventorySetQuantities`: per SKU, the variant's inventory
 * item and the `available` quantity at each location it is stocked at. Nothing a storefront page
 * needs (titles, prices, the product, four quantity names): that is `ListingReader`'s query, and
 * at 37 points a SKU it made every push cost three times what the set needs.
 *
 * Shopify's limit is the *requested* cost, checked before a query runs: "Before execution can
 * begin, the app's bucket must have enough room for the requested cost of the query", and "a single
 * query to the API cannot exceed a cost of 1000", checked on the requested cost too
 * (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits). A field costs by what it
 * returns: a scalar or an enum 0, an object 1, a connection 2 plus the objects its `first` asks for,
 * each costing its own selection ("Connection: sized by first and last arguments"; "Connections:
 * two points plus the number of returned objects",
 * https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits and
 * https://shopify.engineering/rate-limiting-graphql-apis-calculating-query-complexity). So what a
 * read asks for is set by `first` on the levels, which is the number of locations the shop has:
 * counted with `locationsCount` (1 point) and kept, not the storefront's 10.
 *
 * A level beyond `first` would be left as it is, and units there keep selling on top of the
 * channel's quantity. So each SKU also reads how many locations its item is stocked at
 * (`InventoryItem.locationsCount`, 1 point): when that is more than the levels read (a location
 * opened since the count, or one `locationsCount` leaves out), the SKU is read again with `first`
 * as large as needed, and the count kept grows with it. (`Count` is an object, so its point is
 * documented; whether the connection's `pageInfo` costs anything is not, and the batch size must
 * not guess.) Fields the sync does not use (`tracked`, `inventoryPolicy`) are not asked for.
 */
import type { Logger } from '../../kit/logger.ts';
import type { ShopifyClient } from './client.ts';
import { skuSearch } from './listings.ts';

/** Shopify's page size limit: a connection's `first` above it is refused. */
export const MAX_LEVELS_PER_READ = 250;
/** Shopify refuses a single query whose requested cost exceeds this. */
const MAX_QUERY_COST = 1000;
/** @default 600_000: a location opened meanwhile is caught per SKU anyway (`locationsCount`). */
export const DEFAULT_LOCATION_COUNT_TTL_MS = 600_000;

/**
 * The requested cost of one SKU's alias with `levels` levels: the `productVariants(first: 1)`
 * connection (2) of one variant (1) with its inventory item (1), the item's `locationsCount` (1),
 * and its `inventoryLevels(first: levels)` connection (2) of `levels` levels, each an object (1)
 * with its location (1) and its quantities (1): 7 + 3 × levels (13 on a shop with two locations).
 */
export function levelReadCost(levels: number): number {
  return 2 + 1 * (1 + 1 + 1 + 2 + levels * (1 + 1 + 1));
}

/** SKUs per read call with `levels` levels each, so the call stays within Shopify's ceiling. */
export function skusPerLevelRead(levels: number): number {
  return Math.max(1, Math.floor(MAX_QUERY_COST / levelReadCost(levels)));
}

const LEVELS_SELECTION = (levels: number) => `id sku inventoryQuantity
  inventoryItem { id locationsCount { count } inventoryLevels(first: ${levels}) { nodes { location { id } quantities(names: ["available"]) { name quantity } } } }`;

/** One query for a batch of SKUs: `v0: productVariants(first: 1, query: $q0) { … }`, … */
export function listingLevelsQuery(count: number, levels: number): string {
  const variables = Array.from({ length: count }, (_, index) => `$q${index}: String!`).join(', ');
  const fields = Array.from({ length: count }, (_, index) => `  v${index}: productVariants(first: 1, query: $q${index}) { nodes { ...SyncLevels } }`).join('\n');
  return `query ListingLevelsBySku(${variables}) {\n${fields}\n}\nfragment SyncLevels on ProductVariant { ${LEVELS_SELECTION(levels)} }`;
}

const LOCATION_COUNT = 'query ShopLocationCount { locationsCount { count } }';

interface AdminLevelsVariant {
  id: string;
  sku: string | null;
  inventoryQuantity: number | null;
  inventoryItem: {
    id: string;
    locationsCount: { count: number } | null;
    inventoryLevels: { nodes: Array<{ location: { id: string }; quantities: Array<{ name: string; quantity: number }> }> };
  };
}

/** A listing as the sync sees it. */
export interface ListingLevels {
  sku: string;
  variantId: string;
  inventoryItemId: string;
  /** What shoppers can buy: `available` summed over the locations (`ProductVariant.inventoryQuantity`). */
  quantity: number;
  /** `available` at each location the item is stocked at, as far as read. */
  levels: Array<{ locationId: string; available: number }>;
  /** Locations the item is stocked at (`InventoryItem.locationsCount`): more than `levels` holds only past `MAX_LEVELS_PER_READ`. */
  stockedAt: number;
}

export interface ListingLevelReaderOptions {
  client: ShopifyClient;
  log: Logger;
  /** How long the shop's location count is kept. @default DEFAULT_LOCATION_COUNT_TTL_MS */
  locationCountTtlMs?: number;
}

/** Fresh reads every time (a set compares against them); only the shop's location count is kept. */
export class ListingLevelReader {
  readonly #client: ShopifyClient;
  readonly #log: Logger;
  readonly #ttlMs: number;
  /** Levels read per SKU: the shop's locations, or more where an item was found stocked at more. */
  #levels: number | undefined;
  #countedAt = Number.NEGATIVE_INFINITY;
  #counting: Promise<number> | undefined;

  constructor(options: ListingLevelReaderOptions) {
    this.#client = options.client;
    this.#log = options.log.child({ component: 'shopify-listing-levels' });
    this.#ttlMs = options.locationCountTtlMs ?? DEFAULT_LOCATION_COUNT_TTL_MS;
  }

  /** Levels asked per SKU now, if counted yet. */
  get levelsPerSku(): number | undefined {
    return this.#levels;
  }

  /** The shop's location count, from Shopify when not counted yet or counted too long ago. */
  async countLocations(): Promise<number> {
    if (this.#levels !== undefined && performance.now() - this.#countedAt < this.#ttlMs) return this.#levels;
    this.#counting ??= this.#count().finally(() => {
      this.#counting = undefined;
    });
    return this.#counting;
  }

  /** A set found a level missing or a location unknown: count the locations again before the next read. */
  forgetLocationCount(): void {
    this.#countedAt = Number.NEGATIVE_INFINITY;
  }

  /** Each SKU's levels (null: not listed); one call per `skusPerLevelRead` SKUs, more only for SKUs stocked past the count. */
  async read(skus: readonly string[]): Promise<Map<string, ListingLevels | null>> {
    const listings = new Map<string, ListingLevels | null>();
    let levels = await this.countLocations();
    let wanted = [...new Set(skus)];
    for (;;) {
      const cut: string[] = [];
      let widest = levels;
      for (let start = 0, size = skusPerLevelRead(levels); start < wanted.length; start += size) {
        const chunk = wanted.slice(start, start + size);
        const fetched = await this.#fetch(chunk, levels);
        for (const sku of chunk) {
          const listing = fetched.get(sku) ?? null;
          listings.set(sku, listing);
          if (listing && listing.levels.length < listing.stockedAt) {
            cut.push(sku);
            widest = Math.max(widest, listing.stockedAt);
          }
        }
      }
      const wider = Math.min(MAX_LEVELS_PER_READ, widest);
      // Past Shopify's page size nothing more can be read in one page: the caller sees `stockedAt`.
      if (cut.length === 0 || wider <= levels) return listings;
      this.#log.info({ skus: cut.length, counted: levels, stockedAt: widest }, 'Shopify items stocked at more locations than counted; reading their levels again');
      this.#levels = Math.max(this.#levels ?? 0, wider);
      levels = wider;
      wanted = cut;
    }
  }

  async #count(): Promise<number> {
    const data = await this.#client.request<{ locationsCount: { count: number } | null }>(LOCATION_COUNT, { expectedCost: 1 });
    const count = Math.max(1, Math.min(MAX_LEVELS_PER_READ, data.locationsCount?.count ?? 1));
    if (count !== this.#levels) this.#log.info({ locations: count, pointsPerSku: levelReadCost(count) }, 'Shopify locations counted: the sync reads that many levels a SKU');
    this.#levels = count;
    this.#countedAt = performance.now();
    return count;
  }

  async #fetch(skus: string[], levels: number): Promise<Map<string, ListingLevels>> {
    const variables = Object.fromEntries(skus.map((sku, index) => [`q${index}`, skuSearch(sku)]));
    const data = await this.#client.request<Record<string, { nodes: AdminLevelsVariant[] }>>(listingLevelsQuery(skus.length, levels), {
      variables,
      expectedCost: skus.length * levelReadCost(levels),
    });
    const listings = new Map<string, ListingLevels>();
    skus.forEach((sku, index) => {
      // Shopify's search is looser than equality (tokens, prefixes): keep only the exact SKU.
      const variant = data[`v${index}`]?.nodes.find((candidate) => candidate.sku === sku);
      if (!variant) return;
      const read = variant.inventoryItem.inventoryLevels.nodes.map((level) => ({
        locationId: level.location.id,
        available: level.quantities.find((entry) => entry.name === 'available')?.quantity ?? 0,
      }));
      listings.set(sku, {
        sku,
        variantId: variant.id,
        inventoryItemId: variant.inventoryItem.id,
        quantity: variant.inventoryQuantity ?? 0,
        levels: read,
        stockedAt: variant.inventoryItem.locationsCount?.count ?? read.length,
      });
    });
    return listings;
  }
}
