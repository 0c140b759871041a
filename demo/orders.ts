/**
 * The demo merchant's order history: `days` of orders on every channel, made up deterministically
 * (a seeded PRNG) so every `npm start` shows the same shape. It has what a forecast and the
 * figures need to find something: weekly seasonality (weekends sell more online, Saturdays at the
 * store), a steady upward trend, SKUs that sell more than others, some cancellations, most orders
 * shipped with tracking, prices from the catalog, ship-to CEPs across Brazil, and the demo
 * customers (demo/customers.ts) buying on their channels.
 */
import { demoChannels, demoProducts, type DemoProduct } from './catalog.ts';
import { demoCustomers } from './customers.ts';
import { seededRandom } from './random.ts';

export interface DemoOrder {
  channel: string;
  platform: string;
  platformOrderId: string;
  status: 'OPEN' | 'FULFILLED' | 'CANCELLED';
  placedAt: string;
  updatedAt: string;
  currency: 'BRL';
  lines: Array<{ lineId: string; sku: string; quantity: number; unitPriceCents: number; discountCents: number }>;
  totals: { subtotalCents: number; discountCents: number; shippingCents: number; taxCents: number; totalCents: number };
  shipTo: { postalCode: string } | null;
  customerId: string | null;
  fulfilment: { carrier: string; trackingCode: string; trackingUrl: string; at: string } | null;
}

/** Platform of each demo channel, as its platform subgraph names itself. */
const PLATFORM: Record<string, string> = { SHOPIFY: 'shopify', WOOCOMMERCE: 'woocommerce', MERCADO_LIVRE: 'mercadolivre', AMAZON: 'amazon', POINT_OF_SALE: 'pos' };
/** Each channel's share of a day's orders. */
const CHANNEL_SHARE: Record<string, number> = { 'shopify-br': 0.28, 'woocommerce-br': 0.14, 'mercado-livre': 0.3, 'amazon-br': 0.16, 'pos-ipanema': 0.12 };
/** Sunday … Saturday. Online sells most on Sunday evenings and Mondays; the store on Saturdays. */
const ONLINE_WEEK = [1.25, 1.15, 1.0, 0.95, 0.95, 0.9, 1.05];
const STORE_WEEK = [0.5, 0.8, 0.9, 0.9, 1.0, 1.3, 1.9];
/** CEPs of the busiest delivery areas, weighted towards the South-East as Brazilian e-commerce is. */
const CEPS: Array<[string, number]> = [
  ['01310-100', 9], ['04538-132', 6], ['05422-030', 5], ['13010-111', 3], ['09010-100', 2], // São Paulo, Campinas, Santo André
  ['20040-002', 5], ['22410-003', 4], ['24020-005', 2], // Rio, Niterói
  ['30130-010', 4], ['29010-120', 2], // Belo Horizonte, Vitória
  ['80010-000', 3], ['90010-150', 3], ['88010-400', 2], // Curitiba, Porto Alegre, Florianópolis
  ['40020-000', 3], ['50010-000', 2], ['60060-440', 2], ['59012-300', 1], // Salvador, Recife, Fortaleza, Natal
  ['70040-010', 3], ['74003-010', 2], ['78005-000', 1], // Brasília, Goiânia, Cuiabá
  ['66010-000', 1], ['69005-070', 1], // Belém, Manaus
];
const CARRIERS: Record<string, Array<{ carrier: string; url: (code: string) => string }>> = {
  default: [
    { carrier: 'Correios', url: (code) => `https://rastreamento.correios.com.br/app/index.php?objeto=${code}` },
    { carrier: 'Jadlog', url: (code) => `https://www.jadlog.com.br/tracking?cte=${code}` },
    { carrier: 'Loggi', url: (code) => `https://www.loggi.com/rastreador/${code}` },
  ],
  'mercado-livre': [{ carrier: 'Mercado Envios', url: (code) => `https://www.mercadolivre.com.br/envios/${code}` }],
};

function pickWeighted<T>(random: () => number, entries: ReadonlyArray<readonly [T, number]>): T {
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let pick = random() * total;
  for (const [value, weight] of entries) {
    pick -= weight;
    if (pick < 0) return value;
  }
  return entries[entries.length - 1]![0];
}

/** Poisson-distributed count (Knuth), for a day's orders. */
function poisson(random: () => number, mean: number): number {
  const limit = Math.exp(-mean);
  let count = 0;
  for (let product = random(); product > limit; product *= random()) count++;
  return count;
}

function platformOrderId(channel: string, sequence: number, random: () => number): string {
  switch (channel) {
    case 'shopify-br': return `gid://shopify/Order/${5_100_000_000 + sequence}`;
    case 'woocommerce-br': return String(41_000 + sequence);
    case 'mercado-livre': return String(2_000_010_000_000 + sequence * 7);
    case 'amazon-br': return `701-${String(Math.floor(random() * 1e7)).padStart(7, '0')}-${String(sequence).padStart(7, '0')}`;
    default: return `PDV-IPA-${String(sequence).padStart(6, '0')}`;
  }
}

export interface DemoOrderOptions {
  /** The last day of the history (its orders are still open). @default today (UTC) */
  until?: Date;
  /** @default 120 */
  days?: number;
  /** @default 20260301 */
  seed?: number;
  /** Orders on an average first day, across channels. @default 12 */
  baseDailyOrders?: number;
}

/** The demo history, oldest first. */
export function demoOrders(options: DemoOrderOptions = {}): DemoOrder[] {
  const days = options.days ?? 120;
  const random = seededRandom(options.seed ?? 20260301);
  const until = options.until ?? new Date();
  const lastDay = Date.UTC(until.getUTCFullYear(), until.getUTCMonth(), until.getUTCDate());
  // A few best sellers, a long tail: each SKU's weight fixed by the PRNG.
  const skuWeights = demoProducts.map((product) => [product, 0.2 + random() ** 3 * 5] as const);
  const orders: DemoOrder[] = [];
  let sequence = 0;
  for (let day = days - 1; day >= 0; day--) {
    const dayStart = lastDay - day * 86_400_000;
    const weekday = new Date(dayStart).getUTCDay();
    // About 0.6% growth a day: roughly doubles over 120 days.
    const trend = 1 + 0.006 * (days - 1 - day);
    for (const channel of demoChannels) {
      const store = channel.kind === 'POINT_OF_SALE';
      const mean = (options.baseDailyOrders ?? 12) * (CHANNEL_SHARE[channel.code] ?? 0.1) * trend * (store ? STORE_WEEK : ONLINE_WEEK)[weekday]!;
      const count = poisson(random, mean);
      const customers = demoCustomers.filter((customer) => customer.channels.includes(channel.code));
      for (let n = 0; n < count; n++) {
        sequence++;
        // Online orders through the day and evening (BRT = UTC−3); the store from 10:00 to 20:00.
        const hour = store ? 13 + Math.floor(random() * 10) : 11 + Math.floor(random() * 16);
        const placed = dayStart + hour * 3_600_000 + Math.floor(random() * 3_600_000);
        // Today's orders end now: none is placed in the future.
        if (placed > until.getTime()) continue;
        const lineCount = pickWeighted(random, [[1, 6], [2, 3], [3, 1]] as const);
        const chosen = new Set<DemoProduct>();
        while (chosen.size < lineCount) chosen.add(pickWeighted(random, skuWeights));
        const lines = [...chosen].map((product, index) => {
          const quantity = pickWeighted(random, [[1, 8], [2, 2], [3, 1]] as const);
          // One line in eight has a promotion of 10% or 15%.
          const discountCents = random() < 0.125 ? Math.round(product.priceCents * quantity * (random() < 0.5 ? 0.1 : 0.15)) : 0;
          return { lineId: String(index + 1), sku: product.sku, quantity, unitPriceCents: product.priceCents, discountCents };
        });
        const subtotalCents = lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
        const discountCents = lines.reduce((sum, line) => sum + line.discountCents, 0);
        // Free shipping from R$ 199; otherwise a flat rate. Prices include taxes (as Brazilian shelf prices do).
        const shippingCents = store || subtotalCents - discountCents >= 19_900 ? 0 : pickWeighted(random, [[1990, 3], [2490, 2], [3290, 1]] as const);
        const ageDays = (lastDay - dayStart) / 86_400_000;
        const cancelled = random() < (store ? 0.01 : 0.07);
        const shippedAt = store ? placed : placed + (1 + Math.floor(random() * 2)) * 86_400_000 + Math.floor(random() * 28_800_000);
        // Nothing ships in the future: a recent order whose dispatch day has not come is still open.
        const shipped = !cancelled && shippedAt <= until.getTime() && (store || ageDays >= 3 || random() < 0.5);
        const status = cancelled ? 'CANCELLED' : shipped ? 'FULFILLED' : 'OPEN';
        const updated = Math.min(until.getTime(), status === 'OPEN' ? placed : status === 'CANCELLED' ? placed + Math.floor(random() * 86_400_000) : shippedAt);
        const customerId = customers.length > 0 && random() < (store ? 0.3 : 0.7) ? customers[Math.floor(random() * customers.length)]!.id : null;
        const carriers = CARRIERS[channel.code] ?? CARRIERS['default']!;
        const carrier = carriers[Math.floor(random() * carriers.length)]!;
        const trackingCode = carrier.carrier === 'Correios' ? `QB${String(100_000_000 + sequence * 13).slice(0, 9)}BR` : `${carrier.carrier.slice(0, 2).toUpperCase()}${String(70_000_000 + sequence * 31)}`;
        orders.push({
          channel: channel.code,
          platform: PLATFORM[channel.kind] ?? 'other',
          platformOrderId: platformOrderId(channel.code, sequence, random),
          status,
          placedAt: new Date(placed).toISOString(),
          updatedAt: new Date(updated).toISOString(),
          currency: 'BRL',
          lines,
          totals: { subtotalCents, discountCents, shippingCents, taxCents: 0, totalCents: subtotalCents - discountCents + shippingCents },
          shipTo: store ? null : { postalCode: pickWeighted(random, CEPS) },
          customerId,
          fulfilment: status === 'FULFILLED' && !store ? { carrier: carrier.carrier, trackingCode, trackingUrl: carrier.url(trackingCode), at: new Date(updated).toISOString() } : null,
        });
      }
    }
  }
  return orders;
}
