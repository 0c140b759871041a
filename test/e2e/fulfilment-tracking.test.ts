import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommerce, type RunningCommerce } from '../support/all-platforms.ts';
import { eventually, eventuallyDefined } from '../support/eventually.ts';
import { as, graphql, type TestCaller } from '../support/ponte.ts';

/**
 * Tracking back to the channel, end to end on every platform: a shopper's order in the sandbox
 * comes in through the platform subgraph's intake, an operator (or the 3PL partner for Amazon)
 * fulfils it through the gateway with `fulfilOrder`, the platform subgraph reads the parcel from
 * the orders subgraph's feed and tells its platform, and the sandbox shows the tracking to the
 * shopper; the units leave on hand once, though the platform then says the order shipped.
 * One system start for all four platforms (CI time).
 */
let commerce: RunningCommerce;

beforeAll(async () => {
  commerce = await startCommerce();
}, 120_000);
afterAll(async () => {
  await commerce?.close();
});

type Platform = 'shopify' | 'woocommerce' | 'mercadolivre' | 'amazon';
const CHANNEL: Record<Platform, string> = { shopify: 'shopify-br', woocommerce: 'woocommerce-br', mercadolivre: 'mercado-livre', amazon: 'amazon-br' };
/** Who ships it: the Extrema 3PL's partner key holds amazon-br; an operator ships the others. */
const SHIPPER: Record<Platform, TestCaller> = { shopify: 'operator', woocommerce: 'operator', mercadolivre: 'operator', amazon: 'partnerB' };

const sandboxUrl = (platform: Platform) => commerce.sandboxes.urls[platform];
async function control<T>(platform: Platform, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${sandboxUrl(platform)}/_sandbox${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  if (!response.ok) throw new Error(`${platform} ${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function onHand(sku: string): Promise<number> {
  const [row] = await commerce.ponte.inventory.db.query<{ onHand: number }>('SELECT coalesce(sum(on_hand), 0)::int AS "onHand" FROM stock_levels WHERE sku = $1', [sku]);
  return row!.onHand;
}

interface CanonicalOrder { id: string; status: string; lines: Array<{ lineId: string; sku: string; quantity: number; reservation: { id: string } | null }> }
const ORDER = `query ($channel: ID!, $id: String!) { orderOnChannel(channel: $channel, platformOrderId: $id) { id status lines { lineId sku quantity reservation { id } } } }`;
const readOrder = async (platform: Platform, platformOrderId: string) =>
  (await graphql<{ orderOnChannel: CanonicalOrder | null }>(commerce.ponte.gatewayUrl, ORDER, { channel: CHANNEL[platform], id: platformOrderId }, as('operator'))).data?.orderOnChannel ?? undefined;

/** A shopper's paid order of one unit, as the platform's intake records it. */
async function placeAndRecord(platform: Platform): Promise<{ platformOrderId: string; order: CanonicalOrder; sku: string }> {
  if (platform === 'mercadolivre') await control(platform, 'PUT', '/shipping-mode', { mode: 'me1' });
  if (platform === 'amazon') await control(platform, 'PUT', '/fulfilled-by', { fulfilledBy: 'MERCHANT' });
  const { stock } = await control<{ stock: Array<{ sku: string; quantity: number }> }>(platform, 'GET', '/stock');
  const sku = stock.filter((listed) => listed.quantity >= 5).map((listed) => listed.sku).sort()[0]!;
  const placed = await control<{ id: string }>(platform, 'POST', '/orders', { lines: [{ sku, quantity: 1 }] });
  if (platform === 'amazon') await commerce.pollAmazonOrders();
  const order = await eventuallyDefined(async () => {
    const found = await readOrder(platform, placed.id);
    return found && found.lines[0]?.reservation ? found : undefined;
  }, `${platform} order ${placed.id} to be recorded with its reservation`);
  return { platformOrderId: placed.id, order, sku };
}

const FULFIL = `mutation ($input: FulfilOrderInput!) { fulfilOrder(input: $input) { replayed } }`;

describe.each(['shopify', 'woocommerce', 'mercadolivre', 'amazon'] as const)('fulfilOrder on %s', (platform) => {
  it('tells the platform the tracking, which the shopper sees; the stock leaves once; refusals change nothing', async () => {
    const { platformOrderId, order, sku } = await placeAndRecord(platform);
    const line = order.lines[0]!;
    const before = await onHand(sku);
    const parcel = { orderId: order.id, idempotencyKey: `ship-${platform}`, carrier: 'Correios', trackingCode: `BR${platform.length}0000${platformOrderId.replace(/\D/g, '').slice(-4)}BR`, trackingUrl: 'https://rastreamento.correios.com.br/app/index.php' };

    // Refused with nothing changed: a key without orders:write, and more units than the line has.
    for (const [input, who, code] of [
      [{ ...parcel, lines: [{ lineId: line.lineId, quantity: 1 }] }, 'internal', 'FORBIDDEN'],
      [{ ...parcel, lines: [{ lineId: line.lineId, quantity: 1 }] }, 'storefront', 'FORBIDDEN'],
      [{ ...parcel, lines: [{ lineId: line.lineId, quantity: 2 }] }, SHIPPER[platform], 'FULFILMENT_EXCEEDS_ORDER'],
    ] as const) {
      const refused = await graphql<{ fulfilOrder: unknown }>(commerce.ponte.gatewayUrl, FULFIL, { input }, as(who));
      expect(refused.errors?.[0]?.extensions?.code, `${who}`).toBe(code);
    }
    expect((await readOrder(platform, platformOrderId))!.status).toBe('OPEN');
    expect(await onHand(sku)).toBe(before);

    const shipped = await graphql<{ fulfilOrder: { replayed: boolean } }>(commerce.ponte.gatewayUrl, FULFIL, { input: { ...parcel, lines: [{ lineId: line.lineId, quantity: 1 }] } }, as(SHIPPER[platform]));
    expect(shipped.errors).toBeUndefined();
    expect(shipped.data!.fulfilOrder.replayed).toBe(false);
    expect(await onHand(sku)).toBe(before - 1);

    // The platform subgraph reads the parcel from the orders feed and tells its platform.
    const seen = await eventually(
      () => control<{ status: string; shipments: Array<{ carrier: string; trackingCode: string; trackingUrl?: string | null }> }>(platform, 'GET', `/orders/${encodeURIComponent(platformOrderId)}`),
      (shopperView) => shopperView.shipments.some((shipment) => shipment.trackingCode === parcel.trackingCode),
      `${platform} to show the tracking to the shopper`,
    );
    expect(seen.shipments.find((shipment) => shipment.trackingCode === parcel.trackingCode)).toMatchObject({ trackingCode: parcel.trackingCode });

    // Whatever the platform says next (its FULFILLED webhook, a later poll), the order stays
    // fulfilled and the units do not leave a second time.
    if (platform === 'amazon') await commerce.pollAmazonOrders();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await readOrder(platform, platformOrderId))!.status).toBe('FULFILLED');
    expect(await onHand(sku)).toBe(before - 1);
    const confirmations = await commerce.databases.platforms[platform].db.query<{ n: number }>("SELECT count(*)::int AS n FROM shipment_confirmations WHERE order_id = $1 AND status = 'CONFIRMED'", [platformOrderId]);
    expect(confirmations[0]!.n).toBe(1);
  }, 60_000);
});
