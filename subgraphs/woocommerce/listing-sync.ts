/**
 * Channel sync's WooCommerce half: sets `stock_quantity` on the store's simple products and
 * variations to the quantity the canonical channel availability says, in WooCommerce's batch
 * calls, through the subgraph's client (its concurrency cap, polite rate, timeouts, retries).
 *
 * WooCommerce quirks kept here:
 * - Writes go by WooCommerce id, not SKU: the SKU → id mapping comes from the listing reads
 *   (`GET /products?sku=…` finds products and variations alike) and is cached, since ids of a
 *   listing do not change; an "invalid id" answer drops the mapping so the next attempt reads it again.
 * - Simple products are written with `POST /products/batch`, variations only through their
 *   parent, `POST /products/{parent}/variations/batch`: a batch per parent.
 * - A batch answers 200 even when items fail: each refused item is `{ id, error }` in `update`.
 * - `manage_stock: true` goes with every quantity: WooCommerce ignores `stock_quantity` on a
 *   listing that does not manage stock, and a variation left on `parent` would count the
 *   parent's pool instead of its own SKU's.
 */
import { LRUCache } from 'lru-cache';
import type { ListingQuantity, ListingQuantityPusher, PushResult } from '../platform-common/stock-sync.ts';
import type { Logger } from '../../kit/logger.ts';
import { WC_MAX_BATCH_ITEMS, WooCommerceApiError, type WooBatchItem, type WooCommerceClient } from './client.ts';
import { WOOCOMMERCE_DICTIONARY } from './dictionary.ts';
import type { ListingReader } from './listings.ts';
import type { WooCommerceListingValue } from './models.ts';

/** Where a SKU is written on WooCommerce. */
interface ListingTarget {
  /** The simple product, or the variable parent of a variation. */
  productId: number;
  /** Null for a simple product. */
  variationId: number | null;
}

/** WooCommerce's answers for an id that no longer exists (the product was deleted or re-created). */
const INVALID_ID_CODES = new Set(['woocommerce_rest_product_invalid_id', 'woocommerce_rest_product_variation_invalid_id', 'woocommerce_rest_invalid_id']);

export interface WooCommerceQuantityPusherOptions {
  client: WooCommerceClient;
  listings: ListingReader;
  log: Logger;
  /** How long a SKU's product/variation id is trusted before it is read again. @default 1 hour */
  mappingTtlMs?: number;
}

export class WooCommerceQuantityPusher implements ListingQuantityPusher {
  /** WooCommerce's batch limit; the SKU lookup (`per_page` ≤ 100) fits the same batch. */
  readonly batchSize = WC_MAX_BATCH_ITEMS;
  readonly #client: WooCommerceClient;
  readonly #listings: ListingReader;
  readonly #log: Logger;
  /** SKU → where it is written; null: the store does not list it (cached too, briefly as the rest). */
  readonly #targets: LRUCache<string, { target: ListingTarget | null }>;

  constructor(options: WooCommerceQuantityPusherOptions) {
    this.#client = options.client;
    this.#listings = options.listings;
    this.#log = options.log.child({ component: 'listing-sync' });
    this.#targets = new LRUCache({ max: 100_000, ttl: options.mappingTtlMs ?? 3_600_000 });
  }

  async push(batch: readonly ListingQuantity[]): Promise<PushResult[]> {
    const results = new Map<string, PushResult>();
    let targets: Map<string, ListingTarget | null>;
    try {
      targets = await this.#targetsOf(batch.map((item) => item.sku));
    } catch (error) {
      return batch.map((item) => failureFor(item.sku, error));
    }

    // One call for the simple products, one per variable parent for its variations.
    const groups = new Map<string, { parentId: number | null; items: Array<{ item: ListingQuantity; id: number }> }>();
    for (const item of batch) {
      const target = targets.get(item.sku) ?? null;
      if (!target) {
        results.set(item.sku, { sku: item.sku, outcome: 'FAILED', error: `SKU ${item.sku} is not listed on the WooCommerce store (no product or variation has it)` });
        continue;
      }
      const key = target.variationId === null ? 'products' : `variations:${target.productId}`;
      const group = groups.get(key) ?? { parentId: target.variationId === null ? null : target.productId, items: [] };
      group.items.push({ item, id: target.variationId ?? target.productId });
      groups.set(key, group);
    }

    for (const { parentId, items } of groups.values()) {
      const updates = items.map(({ item, id }) => ({ id, stockQuantity: item.quantity }));
      let answers: WooBatchItem[];
      try {
        answers = parentId === null ? await this.#client.updateProductStock(updates) : await this.#client.updateVariationStock(parentId, updates);
      } catch (error) {
        // A parent that vanished refuses the whole variations call; its variations are read again next time.
        if (error instanceof WooCommerceApiError && INVALID_ID_CODES.has(error.code)) for (const { item } of items) this.#targets.delete(item.sku);
        for (const { item } of items) results.set(item.sku, failureFor(item.sku, error));
        continue;
      }
      const byId = new Map(answers.map((answer) => [answer.id, answer]));
      items.forEach(({ item, id }, index) => {
        // WooCommerce answers in request order; an errored item may carry id 0, so fall back to the position.
        const answer = byId.get(id) ?? answers[index];
        results.set(item.sku, this.#resultOf(item, answer));
      });
    }
    // The storefront's short cache would show the old quantity for a few seconds more.
    this.#listings.forget(batch.map((item) => item.sku));
    return batch.map((item) => results.get(item.sku) ?? { sku: item.sku, outcome: 'RETRY', error: 'no answer from WooCommerce for this SKU' });
  }

  /** What the listings show now (null: not listed, or WooCommerce does not count its stock), read past the cache. */
  async read(skus: readonly string[]): Promise<Map<string, number | null>> {
    const listings = await this.#listings.readFromStore(skus);
    const shown = new Map<string, number | null>();
    for (const sku of skus) {
      const listing = listings.get(sku) ?? null;
      this.#remember(sku, listing);
      shown.set(sku, listing?.quantity ?? null);
    }
    return shown;
  }

  #resultOf(item: ListingQuantity, answer: WooBatchItem | undefined): PushResult {
    if (!answer) return { sku: item.sku, outcome: 'RETRY', error: 'WooCommerce left this item out of the batch answer' };
    if ('error' in answer) {
      const status = answer.error.data?.status;
      const error = `WooCommerce refused ${item.sku}: ${answer.error.code}: ${answer.error.message}`;
      if (INVALID_ID_CODES.has(answer.error.code)) {
        // Deleted or re-created since we mapped it: read the SKU again on the next attempt.
        this.#targets.delete(item.sku);
        return { sku: item.sku, outcome: 'RETRY', error };
      }
      if (status !== undefined && (status === 429 || status >= 500)) return { sku: item.sku, outcome: 'RETRY', error };
      return { sku: item.sku, outcome: 'FAILED', error };
    }
    const quantityField = WOOCOMMERCE_DICTIONARY.listing.quantity.field;
    const shown = answer[quantityField];
    // A plugin (or a store that ignores manage_stock) can accept the call and keep another quantity.
    if (shown !== item.quantity) return { sku: item.sku, outcome: 'FAILED', error: `WooCommerce accepted ${item.sku} but shows ${quantityField} ${String(shown)} instead of ${item.quantity}` };
    return { sku: item.sku, outcome: 'PUSHED' };
  }

  async #targetsOf(skus: readonly string[]): Promise<Map<string, ListingTarget | null>> {
    const targets = new Map<string, ListingTarget | null>();
    const missing: string[] = [];
    for (const sku of skus) {
      const cached = this.#targets.get(sku);
      if (cached) targets.set(sku, cached.target);
      else missing.push(sku);
    }
    if (missing.length > 0) {
      const listings = await this.#listings.readFromStore(missing);
      for (const sku of missing) targets.set(sku, this.#remember(sku, listings.get(sku) ?? null));
      this.#log.debug({ read: missing.length }, 'WooCommerce ids of SKUs read');
    }
    return targets;
  }

  #remember(sku: string, listing: WooCommerceListingValue | null): ListingTarget | null {
    const target = listing ? { productId: Number(listing.productId), variationId: listing.variationId === null ? null : Number(listing.variationId) } : null;
    // "Not listed" is remembered only briefly: the merchant may be adding the product right now.
    this.#targets.set(sku, { target }, target ? {} : { ttl: 60_000 });
    return target;
  }
}

/** A failed call, per SKU: the store being down or slow is retried; a refusal is final. */
function failureFor(sku: string, error: unknown): PushResult {
  const message = (error as Error)?.message ?? String(error);
  if (error instanceof WooCommerceApiError && !error.unavailable && !INVALID_ID_CODES.has(error.code)) return { sku, outcome: 'FAILED', error: message };
  const retryAfterMs = error instanceof WooCommerceApiError ? error.retryAfterMs : undefined;
  return { sku, outcome: 'RETRY', error: message, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
}
