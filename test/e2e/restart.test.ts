import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { startCommerce, type RunningCommerce } from '../support/all-platforms.ts';
import { eventuallyDefined } from '../support/eventually.ts';
import { graphql } from '../support/ponte.ts';

/**
 * Restarting `npm start` without deleting ./data: every service stops and starts again on the
 * same databases, and the sandboxes re-seed in memory, forgetting their orders and the quantities
 * Ponte pushed. The demo must stay coherent: new orders reserve, listings converge with Ponte.
 */
const CHANNELS = { shopify: 'shopify-br', woocommerce: 'woocommerce-br', mercadolivre: 'mercado-livre', amazon: 'amazon-br' } as const;
type Platform = keyof typeof CHANNELS;

let commerce: RunningCommerce;
beforeAll(async () => {
  commerce = await startCommerce();
}, 120_000);
afterAll(async () => {
  await commerce?.close();
});

const sandbox = (platform: Platform) => new SandboxControlClient(commerce.sandboxes.urls[platform]);
const query = <Data>(text: string, variables: Record<string, unknown> = {}) => graphql<Data>(commerce.ponte.gatewayUrl, text, variables);

async function reservationsFor(platform: Platform, orderReference: string) {
  const result = await query<{ reservationsForOrder: Array<{ status: string; lines: Array<{ sku: string; quantity: number }> }> }>(
    'query($channel: ID!, $ref: String!) { reservationsForOrder(channel: $channel, orderReference: $ref) { status lines { sku quantity } } }',
    { channel: CHANNELS[platform], ref: orderReference },
  );
  return result.data!.reservationsForOrder;
}

/** Every SKU's availability per platform channel, as Ponte computes it. */
async function canonicalListings(): Promise<Record<Platform, Map<string, number>>> {
  const result = await query<{ products: { nodes: Array<{ sku: string } & Record<Platform, { quantity: number }>> } }>(
    `{ products(first: 60) { nodes { sku ${Object.entries(CHANNELS).map(([platform, channel]) => `${platform}: availability(channel: "${channel}") { quantity }`).join(' ')} } } }`,
  );
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  const byPlatform = {} as Record<Platform, Map<string, number>>;
  for (const platform of Object.keys(CHANNELS) as Platform[]) byPlatform[platform] = new Map(result.data!.products.nodes.map((node) => [node.sku, node[platform].quantity]));
  return byPlatform;
}

/** Listings whose quantity differs from Ponte's, on every platform ("platform SKU: shown ≠ wanted"). */
async function disagreements(): Promise<string[]> {
  const wanted = await canonicalListings();
  const found: string[] = [];
  for (const platform of Object.keys(CHANNELS) as Platform[]) {
    for (const listing of await new SandboxControlClient(commerce.sandboxes.urls[platform]).stock()) {
      const expected = wanted[platform].get(listing.sku);
      if (expected !== undefined && listing.quantity !== expected) found.push(`${platform} ${listing.sku}: ${listing.quantity} ≠ ${expected}`);
    }
  }
  return found;
}

describe('restarting npm start without deleting ./data', () => {
  it('an order id a restarted sandbox hands out again, with other content, becomes an order exception, not silence', async () => {
    // Mercado Livre's order ids have a sequence of their own, so a fixed-id restart repeats them
    // exactly; its line ids are the listing's, so the same SKU makes the same (order, line).
    const first = await sandbox('mercadolivre').placeOrder([{ sku: 'CAM-BASICA-M', quantity: 1 }]);
    await eventuallyDefined(async () => (await reservationsFor('mercadolivre', first.id)).length === 1, 'the first order reserved');

    // Fixed ids, as the sandboxes had before: the restarted sandbox gives its first order the same id.
    commerce = await commerce.restart({ uniqueOrderIds: false });
    const reused = await sandbox('mercadolivre').placeOrder([{ sku: 'CAM-BASICA-M', quantity: 2 }]);
    expect(reused.id).toBe(first.id);

    const exception = await eventuallyDefined(async () => {
      const result = await query<{ mercadoLivreOrderExceptions: Array<{ orderId: string; sku: string; quantity: number; code: string; message: string }> }>(
        '{ mercadoLivreOrderExceptions { orderId sku quantity code message } }',
      );
      return result.data!.mercadoLivreOrderExceptions.find((candidate) => candidate.orderId === first.id) ?? false;
    }, 'an order exception for the reused id');
    expect(exception).toMatchObject({ sku: 'CAM-BASICA-M', quantity: 2, code: 'ORDER_LINE_CONFLICT' });
    expect(exception.message).toContain('already applied it as 1 × CAM-BASICA-M');
    // Nothing was reserved for the new content; the first order's reservation is untouched.
    expect(await reservationsFor('mercadolivre', first.id)).toEqual([{ status: 'OPEN', lines: [{ sku: 'CAM-BASICA-M', quantity: 1 }] }]);
  }, 180_000);

  it('as npm start runs the sandboxes, new orders get new ids and reserve, and every listing converges with Ponte', async () => {
    const before = await sandbox('shopify').placeOrder([{ sku: 'TEN-CORRIDA-42', quantity: 1 }]);
    commerce = await commerce.restart({ uniqueOrderIds: true });

    // The re-seeded sandboxes show their seed quantities; the drift check at start overwrites them.
    const left = await eventuallyDefined(async () => {
      const found = await disagreements();
      return found.length === 0 ? found : false;
    }, 'every listing shows Ponte’s quantity', 90_000, 500);
    expect(left).toEqual([]);

    const order = await sandbox('shopify').placeOrder([{ sku: 'TEN-CORRIDA-42', quantity: 1 }]);
    expect(order.id).not.toBe(before.id);
    expect(await eventuallyDefined(async () => {
      const reservations = await reservationsFor('shopify', order.id);
      return reservations.length > 0 ? reservations : false;
    }, 'the new order reserved')).toEqual([{ status: 'OPEN', lines: [{ sku: 'TEN-CORRIDA-42', quantity: 1 }] }]);

    const sync = await query<{ shopifyListingSync: { pending: number; dead: number } }>('{ shopifyListingSync { pending dead } }');
    expect(sync.data!.shopifyListingSync.dead).toBe(0);
  }, 240_000);
});
