/**
 * Order history for the insights benchmark: a deterministic generator of canonical orders, as the
 * orders subgraph's feed would deliver them, for `npm run bench:insights`'s year of 100,000 orders
 * (same seed, same orders). The demo's figures come from the orders subgraph's own demo history
 * (demo/orders.ts), followed by the insights subgraph like any order: this file feeds no demo.
 *
 * The shape of the demand is what the figures are meant to find: a weekly rhythm (weekends busier
 * online, Saturdays at the store), a gentle growth, customers who mostly stay on the channel that
 * acquired them but sometimes buy elsewhere, a few cancellations and discounts.
 */
import { seededRandom } from '../../demo/random.ts';
import type { OrderFact } from '../../subgraphs/insights/ingest.ts';

export interface OrderHistoryOptions {
  /** PRNG seed. */
  seed: number;
  /** The last day of history (ISO date); orders are placed at local hours of each day (UTC−3). */
  lastDay: string;
  days: number;
  /** Orders on an average day. */
  ordersPerDay: number;
  /** Customer ids, e.g. `demo-customer-001`. */
  customers: string[];
  products: Array<{ sku: string; priceCents: number }>;
  channels: string[];
  /** Share of orders with no known customer (guest checkout before the customers subgraph matched them). @default 0.05 */
  guestShare?: number;
}


/** Orders per weekday relative to the average, Sunday first: weekends busier. */
export const WEEKDAY_WEIGHTS = [1.35, 0.8, 0.85, 0.9, 0.95, 1.1, 1.45];

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Poisson-distributed count (Knuth's method for small means, a normal approximation above). */
function poisson(random: () => number, mean: number): number {
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random())));
  const limit = Math.exp(-mean);
  let count = 0;
  for (let product = random(); product > limit; product *= random()) count++;
  return count;
}

export function* generateOrderHistory(options: OrderHistoryOptions): Generator<OrderFact> {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const guestShare = options.guestShare ?? 0.05;
  // Each customer's home channel (where they were acquired) and how loyal they are to it.
  const home = new Map(options.customers.map((customer) => [customer, pick(options.channels)]));
  const loyalty = new Map(options.customers.map((customer) => [customer, 0.6 + random() * 0.35]));
  // Popularity follows a long tail: a few SKUs sell most.
  const weights = options.products.map((_, index) => 1 / (1 + index * 0.05));
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
  const cumulative: number[] = [];
  weights.reduce((sum, weight) => (cumulative.push((sum + weight) / totalWeight), sum + weight), 0);
  const pickProduct = () => {
    const target = random();
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle]! < target) low = middle + 1;
      else high = middle;
    }
    return options.products[low]!;
  };
  const firstDay = addDays(options.lastDay, -(options.days - 1));
  let sequence = 0;
  for (let offset = 0; offset < options.days; offset++) {
    const day = addDays(firstDay, offset);
    const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
    const growth = 0.85 + 0.3 * (offset / Math.max(1, options.days - 1));
    const count = poisson(random, options.ordersPerDay * WEEKDAY_WEIGHTS[weekday]! * growth);
    for (let n = 0; n < count; n++) {
      sequence++;
      const guest = random() < guestShare;
      const customerId = guest ? null : pick(options.customers);
      const channel = customerId && random() < loyalty.get(customerId)! ? home.get(customerId)! : pick(options.channels);
      const lineCount = 1 + Math.floor(random() * random() * 4);
      const lines = Array.from({ length: lineCount }, () => {
        const product = pickProduct();
        const quantity = 1 + Math.floor(random() * random() * 3);
        const discountCents = random() < 0.15 ? Math.round(product.priceCents * quantity * 0.1) : 0;
        return { sku: product.sku, quantity, unitPriceCents: product.priceCents, discountCents };
      });
      const subtotalCents = lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
      const discountCents = lines.reduce((sum, line) => sum + line.discountCents, 0);
      const shippingCents = channel.startsWith('pos-') ? 0 : 1990;
      // Local time (UTC−3, Brazil has no daylight saving since 2019) between 08:00 and 22:59.
      const hour = 8 + Math.floor(random() * 15);
      const minute = Math.floor(random() * 60);
      const placedAt = new Date(Date.parse(`${day}T00:00:00-03:00`) + (hour * 60 + minute) * 60_000).toISOString();
      const status: OrderFact['status'] = random() < 0.03 ? 'CANCELLED' : offset < options.days - 3 ? 'FULFILLED' : 'OPEN';
      yield {
        id: `demo-order-${String(sequence).padStart(7, '0')}`,
        channel,
        placedAt,
        updatedAt: placedAt,
        status,
        currency: 'BRL',
        customerId,
        lines,
        totals: { subtotalCents, discountCents, shippingCents, taxCents: 0, totalCents: subtotalCents - discountCents + shippingCents },
      };
    }
  }
}
