/**
 * Amazon's side of channel sync: sets the merchant-fulfilled (DEFAULT) quantity of one listing per
 * patchListingsItem call, through the subgraph's SP-API client (its token buckets, timeouts and
 * retries), and reads what listings show now for drift reports.
 */
import type { Item, ListingsItemPatchRequest } from '@sp-api-sdk/listings-items-api-2021-08-01';
import type { ListingQuantity, ListingQuantityPusher, PushResult } from '../platform-common/stock-sync.ts';
import type { Logger } from '../../kit/logger.ts';
import { AmazonApiError, MAX_SKUS_PER_LISTINGS_SEARCH, type AmazonClient } from './client.ts';
import { AMAZON_LISTING_FIELDS, mapPlatformField } from './dictionary.ts';

/** The fulfilment channel code of merchant-fulfilled units: the only quantity Ponte manages on Amazon. */
export const MERCHANT_FULFILLMENT_CHANNEL = 'DEFAULT';
const FULFILLMENT_AVAILABILITY_ATTRIBUTE = '/attributes/fulfillment_availability';

/** What a patch needs to know about a listing, learned once per SKU (it rarely changes). */
interface ListingShape {
  productType: string;
}

export interface AmazonListingQuantityPusherOptions {
  client: AmazonClient;
  log: Logger;
  /** Called with the SKUs whose listing Ponte just changed, so cached reads are dropped. */
  onPushed?: (skus: readonly string[]) => void;
}

export class AmazonListingQuantityPusher implements ListingQuantityPusher {
  /** patchListingsItem changes one SKU per call; Amazon has no batch write besides feeds. */
  readonly batchSize = 1;
  /** searchListingsItems reads up to 20 SKUs at once, so drift checks need not go one by one. */
  readonly readBatchSize = MAX_SKUS_PER_LISTINGS_SEARCH;
  readonly #client: AmazonClient;
  readonly #log: Logger;
  readonly #onPushed: ((skus: readonly string[]) => void) | undefined;
  readonly #shapes = new Map<string, ListingShape>();

  /**
   * Amazon takes what it sells off the seller's quantity when the order is placed ("Amazon systems
   * automatically decreases inventory counts when an order is placed":
   * http://www.amazonsellersupportblog.com/2010/06/-preventing-stockouts.html), so the patch after
   * an Amazon order often finds the quantity there already. searchListingsItems (20 SKUs a call)
   * has a usage plan of its own, apart from patchListingsItem's 5 a second, so reading first costs
   * the writes nothing.
   */
  readonly ownSales = { minListings: 1 };

  constructor(options: AmazonListingQuantityPusherOptions) {
    this.#client = options.client;
    this.#log = options.log.child({ component: 'listing-sync' });
    this.#onPushed = options.onPushed;
  }

  async push(batch: readonly ListingQuantity[]): Promise<PushResult[]> {
    const results: PushResult[] = [];
    for (const wanted of batch) results.push(await this.#pushOne(wanted));
    const pushed = results.filter((result) => result.outcome === 'PUSHED').map((result) => result.sku);
    if (pushed.length > 0) this.#onPushed?.(pushed);
    return results;
  }

  /** The merchant-fulfilled quantity each listing shows now (null: not listed, or no merchant quantity), read past every cache. */
  async read(skus: readonly string[]): Promise<Map<string, number | null>> {
    const shown = new Map<string, number | null>(skus.map((sku) => [sku, null]));
    const variables = { marketplaceId: this.#client.marketplaceId };
    for (let start = 0; start < skus.length; start += MAX_SKUS_PER_LISTINGS_SEARCH) {
      const items = await this.#client.listingsForSkus(skus.slice(start, start + MAX_SKUS_PER_LISTINGS_SEARCH));
      for (const item of items) {
        shown.set(item.sku, mapPlatformField(item, AMAZON_LISTING_FIELDS.quantity, variables) as number | null);
        this.#remember(item);
      }
    }
    return shown;
  }

  async #pushOne({ sku, quantity }: ListingQuantity): Promise<PushResult> {
    try {
      const shape = this.#shapes.get(sku) ?? this.#remember(await this.#client.listingItem(sku));
      if (!shape) return { sku, outcome: 'FAILED', error: `the Amazon listing of SKU ${sku} has no product type for marketplace ${this.#client.marketplaceId}` };
      const entry = { fulfillment_channel_code: MERCHANT_FULFILLMENT_CHANNEL, quantity };
      // `merge` matched on fulfillment_channel_code changes this entry's quantity alone: the
      // merchant's lead_time_to_ship_max_days and restock_date, and any FBA (AMAZON_*) entry,
      // stay as they are. `replace` would overwrite the attribute with just { code, quantity }.
      // https://developer-docs.amazon.com/sp-api/docs/merge-a-listing
      const request: ListingsItemPatchRequest = {
        productType: shape.productType,
        patches: [{ op: 'merge', path: FULFILLMENT_AVAILABILITY_ATTRIBUTE, value: [entry] }],
      };
      const submission = await this.#client.patchListing(sku, request);
      if (submission.status === 'ACCEPTED') return { sku, outcome: 'PUSHED' };
      const issues = (submission.issues ?? []).map((issue) => `${issue.code}: ${issue.message}`).join('; ');
      // A product type that changed on Amazon makes the patch invalid: look it up again next time.
      this.#shapes.delete(sku);
      return { sku, outcome: 'FAILED', error: `Amazon rejected the quantity of SKU ${sku} as ${submission.status}${issues ? `: ${issues}` : ''}` };
    } catch (error) {
      return outcomeOfFailure(sku, error, this.#log);
    }
  }

  /** Learns a listing's product type from any read of it. */
  #remember(item: Item): ListingShape | undefined {
    const variables = { marketplaceId: this.#client.marketplaceId };
    // Ponte's `category` is Amazon's product type, the one a patch must name.
    const productType = mapPlatformField(item, AMAZON_LISTING_FIELDS.category, variables);
    if (typeof productType !== 'string' || productType === '') return undefined;
    const shape = { productType };
    this.#shapes.set(item.sku, shape);
    return shape;
  }
}

/** Whether retrying can help: not listed or refused as invalid input is final; throttling, outages and timeouts are not. */
function outcomeOfFailure(sku: string, error: unknown, log: Logger): PushResult {
  const message = (error as Error)?.message ?? String(error);
  if (!(error instanceof AmazonApiError)) {
    log.error({ err: error, sku }, 'unexpected failure pushing a listing quantity');
    return { sku, outcome: 'RETRY', error: message };
  }
  if (error.status === 404) return { sku, outcome: 'FAILED', error: `SKU ${sku} is not listed on Amazon: ${message}` };
  if (error.status === 400) return { sku, outcome: 'FAILED', error: message };
  if (error.status === 429) return { sku, outcome: 'RETRY', error: message, ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}) };
  return { sku, outcome: 'RETRY', error: message };
}
