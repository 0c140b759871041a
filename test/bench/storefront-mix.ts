import { randomUUID } from 'node:crypto';
import { demoLocations } from '../../demo/catalog.ts';
import { seededRandom } from '../../demo/random.ts';

/**
 * The realistic storefront mix: a catalogue of thousands of SKUs, product pages and listing
 * pages asked for with Zipf popularity (s ≈ 1: the most popular SKU is asked twice as often as
 * the second, three times as often as the third…), and a steady 1 % of stock writes through the
 * same target, each followed by a read of the SKU it changed that must show the new quantity.
 */

/** @default 5_000 SKUs (BENCH_CATALOG_SKUS) */
export const DEFAULT_CATALOG_SKUS = 5_000;
/** Sorted after every demo SKU, so the single-page bench still lists the demo products first. */
const SKU_PREFIX = 'ZZ-BENCH-';
/** Share of reads that are product pages; the rest are listing pages. */
export const PRODUCT_PAGE_SHARE = 0.7;
/** One write per this many reads: 1 % of all requests. */
export const READS_PER_WRITE = 99;
const LISTING_PAGE_SIZES = [12, 24, 48] as const;
const ZIPF_EXPONENT = 1;
/** Requests prepared ahead, cycled through by the load generator (drawing them live would load it). */
const PREPARED_REQUESTS = 40_000;

export const catalogSkus = (count: number): string[] => Array.from({ length: count }, (_, index) => `${SKU_PREFIX}${String(index + 1).padStart(5, '0')}`);
export const BENCH_LOCATIONS = demoLocations.map((location) => location.code);

/** Opening stock of one bench SKU at one location (deterministic, 0 at some). */
export const openingStock = (index: number, location: number): number => ((index * 7 + location * 13) % 40) + (location === 2 && index % 5 === 0 ? -40 : 5);


/** Draws ranks 0..n-1 with probability ∝ 1/(rank+1)^s. */
export function zipf(n: number, next: () => number, s = ZIPF_EXPONENT): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let rank = 0; rank < n; rank++) cdf[rank] = sum += 1 / (rank + 1) ** s;
  return () => {
    const target = next() * sum;
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (cdf[middle]! < target) low = middle + 1;
      else high = middle;
    }
    return low;
  };
}

const STOCK_FIELDS = 'totalAvailable stockLevels { location { id } onHand available } channelAvailability { channel { id } quantity }';
export const productPageQuery = (withCatalog: boolean) =>
  `query ProductPage($sku: ID!) { product(sku: $sku) { sku ${withCatalog ? 'title price { amountInCents currency } ' : ''}${STOCK_FIELDS} } }`;
export const listingPageQuery = (withCatalog: boolean) =>
  `query ListingPage($first: Int!, $after: String) { products(first: $first, after: $after) { nodes { sku ${withCatalog ? 'title price { amountInCents currency } ' : ''}totalAvailable } pageInfo { endCursor hasNextPage } } }`;

export interface Mix {
  skus: string[];
  /** Request bodies, in the order the load generator sends them. */
  bodies: string[];
  /** The SKU the next write changes (popular SKUs sell more). */
  nextWriteSku: () => string;
  nextLocation: () => string;
}

/**
 * The same sequence of pages for every target: `withCatalog` false is the inventory subgraph's
 * own query (no title or price), for the direct target.
 */
export function storefrontMix(skuCount: number, withCatalog: boolean): Mix {
  const skus = catalogSkus(skuCount);
  const next = seededRandom(20261201);
  // Popularity rank → SKU, shuffled so the popular SKUs are spread over the listing pages.
  const byRank = [...skus];
  for (let index = byRank.length - 1; index > 0; index--) {
    const other = Math.floor(next() * (index + 1));
    [byRank[index], byRank[other]] = [byRank[other]!, byRank[index]!];
  }
  const popularSku = zipf(skus.length, next);
  const pagesOf = (size: number) => Math.ceil(skus.length / size);
  const popularPage = new Map(LISTING_PAGE_SIZES.map((size) => [size, zipf(pagesOf(size), next)]));
  const productQuery = productPageQuery(withCatalog);
  const listingQuery = listingPageQuery(withCatalog);
  const bodies: string[] = [];
  for (let index = 0; index < PREPARED_REQUESTS; index++) {
    if (next() < PRODUCT_PAGE_SHARE) {
      bodies.push(JSON.stringify({ query: productQuery, variables: { sku: byRank[popularSku()] } }));
    } else {
      const first = LISTING_PAGE_SIZES[Math.floor(next() * LISTING_PAGE_SIZES.length)]!;
      const page = popularPage.get(first)!();
      // The cursor is the last SKU of the page before (the inventory pages in SKU order); the
      // demo merchant's SKUs sort before the bench's, so page 0 starts with them.
      bodies.push(JSON.stringify({ query: listingQuery, variables: { first, after: page === 0 ? null : skus[page * first - 1] } }));
    }
  }
  const writes = seededRandom(7);
  const writeRank = zipf(skus.length, writes);
  return { skus, bodies, nextWriteSku: () => byRank[writeRank()]!, nextLocation: () => BENCH_LOCATIONS[Math.floor(writes() * BENCH_LOCATIONS.length)]! };
}

const RECEIVE = 'mutation BenchReceive($input: ReceiveStockInput!) { receiveStock(input: $input) { levels { sku onHand location { id } } } }';
const ADJUST = 'mutation BenchAdjust($input: AdjustStockInput!) { adjustStock(input: $input) { levels { sku onHand location { id } } } }';

export interface WriteOutcome {
  /** The write was refused or failed: nothing to check. */
  failed: boolean;
  /** The read right after the acknowledged write showed another quantity. */
  stale: boolean;
  detail?: string;
}

type Post = (body: string) => Promise<{ status: number; json: { data?: Record<string, unknown> | null; errors?: unknown[] } }>;

/**
 * One stock write through the target (a receipt, or a sale-like adjustment of −1 when there is
 * stock), then at once the SKU's product page through the same target, which must show the
 * quantity the write acknowledged.
 */
export async function writeThenRead(post: Post, sku: string, location: string, withCatalog: boolean, sequence: number): Promise<WriteOutcome> {
  const receive = sequence % 2 === 0;
  const input = receive
    ? { idempotencyKey: `bench-mix-${randomUUID()}`, sku, location, quantity: 3, reason: 'bench receipt' }
    : { idempotencyKey: `bench-mix-${randomUUID()}`, sku, location, delta: -1, reason: 'bench sale' };
  const write = await post(JSON.stringify({ query: receive ? RECEIVE : ADJUST, variables: { input } }));
  const payload = (write.json.data?.[receive ? 'receiveStock' : 'adjustStock'] ?? null) as { levels: Array<{ sku: string; onHand: number; location: { id: string } }> } | null;
  // An adjustment below zero is refused (INSUFFICIENT_STOCK): the next write is a receipt.
  if (write.status !== 200 || write.json.errors || !payload) return { failed: true, stale: false, detail: JSON.stringify(write.json).slice(0, 200) };
  const acknowledged = payload.levels.find((level) => level.sku === sku && level.location.id === location)?.onHand;
  const read = await post(JSON.stringify({ query: productPageQuery(withCatalog), variables: { sku } }));
  const product = read.json.data?.product as { stockLevels?: Array<{ location: { id: string }; onHand: number }> } | null | undefined;
  const served = product?.stockLevels?.find((level) => level.location.id === location)?.onHand;
  if (served === acknowledged) return { failed: false, stale: false };
  return { failed: false, stale: true, detail: `${sku} @ ${location}: write acknowledged onHand ${acknowledged}, next read served ${served}` };
}
