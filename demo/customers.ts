/**
 * The demo merchant's shoppers, shared by the demo data of the orders subgraph (which links demo
 * orders to these ids) and of the customers subgraph (which seeds the matching profiles). Ids and
 * channels only: each subgraph makes up what else it shows, never from real people.
 *
 * About a third buy on more than one channel, so cross-channel figures have something to find.
 */
import { demoChannels } from './catalog.ts';

export interface DemoCustomer {
  /** `demo-customer-001` … `demo-customer-200`. */
  id: string;
  /** Channels (demo channel codes) the customer buys on, the first being where they started. */
  channels: string[];
}

export const DEMO_CUSTOMER_COUNT = 200;

/** A small deterministic hash (FNV-1a), so the list never changes between runs. */
function hash(key: string): number {
  let value = 2166136261;
  for (const char of key) value = Math.imul(value ^ char.charCodeAt(0), 16777619) >>> 0;
  return value;
}

const CHANNELS = demoChannels.map((channel) => channel.code);
/** Where shoppers first buy, weighted as the demo's channel mix: marketplaces bring most new shoppers. */
const FIRST_CHANNEL_WEIGHTS: Record<string, number> = { 'shopify-br': 3, 'woocommerce-br': 2, 'mercado-livre': 3, 'amazon-br': 2, 'pos-ipanema': 1 };

function firstChannel(id: string): string {
  const total = CHANNELS.reduce((sum, code) => sum + (FIRST_CHANNEL_WEIGHTS[code] ?? 1), 0);
  let pick = hash(`${id}:first`) % total;
  for (const code of CHANNELS) {
    pick -= FIRST_CHANNEL_WEIGHTS[code] ?? 1;
    if (pick < 0) return code;
  }
  return CHANNELS[0]!;
}

export const demoCustomers: DemoCustomer[] = Array.from({ length: DEMO_CUSTOMER_COUNT }, (_, index) => {
  const id = `demo-customer-${String(index + 1).padStart(3, '0')}`;
  const first = firstChannel(id);
  const channels = [first];
  const roll = hash(`${id}:more`) % 100;
  // 35% buy on a second channel, 10% of all on a third.
  const extra = roll < 10 ? 2 : roll < 35 ? 1 : 0;
  for (let step = 1; channels.length < 1 + extra; step++) {
    const next = CHANNELS[hash(`${id}:channel:${step}`) % CHANNELS.length]!;
    if (!channels.includes(next)) channels.push(next);
  }
  return { id, channels };
});
