/**
 * What the storm reads and writes from outside: the storm's SKUs (listed by every sandbox, stocked
 * in Ponte through the gateway), the sandboxes' listings against Ponte's channel quantities, and
 * the platforms' call logs.
 */
import { demoProducts } from '../../../demo/catalog.ts';
import type { StormSystem } from './system.ts';

export const PLATFORMS = ['shopify', 'woocommerce', 'mercadolivre', 'amazon'] as const;
export type Platform = (typeof PLATFORMS)[number];
export const CHANNELS: Record<Platform, string> = { shopify: 'shopify-br', woocommerce: 'woocommerce-br', mercadolivre: 'mercado-livre', amazon: 'amazon-br' };
/** Each sandbox's default port in `scripts/services.ts` (the run maps them to free ports). */
export const SANDBOX_PORTS: Record<Platform, number> = { shopify: 4101, woocommerce: 4102, mercadolivre: 4103, amazon: 4104 };
/** The one location every platform channel of the demo merchant draws from. */
export const STORM_LOCATION = 'cd-sao-paulo';

export function stormSkus(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `STORM-${String(index + 1).padStart(3, '0')}`);
}

async function call<T>(url: string, init: RequestInit = {}, timeoutMs = 15_000): Promise<{ status: number; body: T }> {
  const response = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers }, signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

export class World {
  readonly system: StormSystem;
  readonly skus: string[];

  constructor(system: StormSystem, skus: string[]) {
    this.system = system;
    this.skus = skus;
  }

  sandbox(platform: Platform): string {
    return this.system.sandboxUrl(SANDBOX_PORTS[platform]);
  }

  async graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const { status, body } = await call<{ data?: T; errors?: { message: string; extensions?: { code?: string } }[] }>(this.system.url('gateway'), {
      method: 'POST',
      headers: { authorization: `Bearer ${this.system.key('operator')}` },
      body: JSON.stringify({ query, variables }),
    });
    if (status !== 200 || body.errors?.length || !body.data) throw new Error(`gateway ${status}: ${JSON.stringify(body.errors ?? body).slice(0, 400)}`);
    return body.data;
  }

  /** Every sandbox lists the demo catalog and the storm's SKUs, `stock` units each at the storm location. */
  async seedSandboxes(stock: number): Promise<void> {
    const products = [...demoProducts, ...this.skus.map((sku, index) => ({ sku, parentSku: null, title: `Storm item ${index + 1}`, brand: 'Ponte', category: 'Bench', options: {}, priceCents: 1990, onHand: { [STORM_LOCATION]: stock } }))];
    for (const platform of PLATFORMS) {
      const { status, body } = await call(`${this.sandbox(platform)}/_sandbox/seed`, { method: 'POST', body: JSON.stringify({ products }) });
      if (status !== 200 && status !== 201) throw new Error(`${platform} seed: ${status} ${JSON.stringify(body)}`);
    }
  }

  /** Ponte tracks the storm's SKUs and receives `stock` units of each (through the gateway, so the ledger has them). */
  async seedPonte(stock: number): Promise<void> {
    await this.#retrying(() => this.graphql(`mutation($skus: [ID!]!) { registerProducts(input: { idempotencyKey: "storm-register", skus: $skus }) { replayed } }`, { skus: this.skus }));
    // The gateway allows 10 mutation fields a request.
    for (let start = 0; start < this.skus.length; start += 10) {
      const batch = this.skus.slice(start, start + 10);
      const fields = batch.map((sku, index) => `r${index}: receiveStock(input: { idempotencyKey: "storm-receive-${sku}", sku: "${sku}", location: "${STORM_LOCATION}", quantity: ${stock}, reason: "storm bench" }) { replayed }`);
      await this.#retrying(() => this.graphql(`mutation { ${fields.join(' ')} }`));
    }
  }

  /** Repeats an idempotent call while the system is slow to answer (its idempotency keys make a repeat harmless). */
  async #retrying<T>(attempt: () => Promise<T>, attempts = 6): Promise<T> {
    for (let remaining = attempts; ; remaining--) {
      try {
        return await attempt();
      } catch (error) {
        if (remaining <= 1) throw error;
        await new Promise((done) => setTimeout(done, 2_000));
      }
    }
  }

  /** What Ponte says each platform's listing should show, per SKU, through the gateway. */
  async ponteQuantities(): Promise<Record<Platform, Map<string, number>>> {
    const fields = PLATFORMS.map((platform) => `${platform}: channel(id: "${CHANNELS[platform]}") { availability(skus: $skus) { sku quantity } }`).join(' ');
    const data = await this.graphql<Record<Platform, { availability: ({ sku: string; quantity: number } | null)[] }>>(`query($skus: [ID!]!) { ${fields} }`, { skus: this.skus });
    return Object.fromEntries(PLATFORMS.map((platform) => [platform, new Map(data[platform].availability.filter((entry) => entry !== null).map((entry) => [entry.sku, entry.quantity]))])) as Record<Platform, Map<string, number>>;
  }

  async listedQuantities(platform: Platform): Promise<Map<string, number>> {
    const { body } = await call<{ stock: { sku: string; quantity: number }[] }>(`${this.sandbox(platform)}/_sandbox/stock`);
    return new Map(body.stock.map((entry) => [entry.sku, entry.quantity]));
  }

  /** SKUs whose listing differs from Ponte's quantity, per platform (empty everywhere: converged). */
  async differences(): Promise<Record<Platform, string[]>> {
    const [ponte, ...listed] = await Promise.all([this.ponteQuantities(), ...PLATFORMS.map((platform) => this.listedQuantities(platform))]);
    return Object.fromEntries(
      PLATFORMS.map((platform, index) => [platform, this.skus.filter((sku) => ponte[platform].get(sku) === undefined || ponte[platform].get(sku) !== listed[index]!.get(sku))]),
    ) as Record<Platform, string[]>;
  }

  async placeOrder(platform: Platform, sku: string, quantity: number): Promise<{ status: number; id?: string }> {
    const { status, body } = await call<{ id?: string }>(`${this.sandbox(platform)}/_sandbox/orders`, { method: 'POST', body: JSON.stringify({ lines: [{ sku, quantity }] }) }, 120_000);
    return { status, id: body?.id };
  }

  /**
   * Points Shopify's cost bucket holds now, read off the sandbox (`GET /_sandbox/throttle`): a
   * query's own `throttleStatus` would spend a point the subgraph's limiter does not know of, and
   * one storm's Shopify push was throttled for that point. null when the sandbox did not answer.
   */
  async shopifyBucket(): Promise<number | null> {
    const { status, body } = await call<{ currentlyAvailable?: number }>(`${this.sandbox('shopify')}/_sandbox/throttle`, { method: 'GET' }).catch(() => ({ status: 0, body: null }));
    return status === 200 && typeof body?.currentlyAvailable === 'number' ? body.currentlyAvailable : null;
  }

  async injectFault(platform: Platform, durationMs: number): Promise<void> {
    // The sandboxes answer slowly mid-storm; the fault's clock starts when it is set.
    const { status, body } = await call(`${this.sandbox(platform)}/_sandbox/faults`, { method: 'POST', body: JSON.stringify({ mode: 'error', durationMs }) }, 120_000);
    if (status >= 300) throw new Error(`${platform} fault: ${status} ${JSON.stringify(body)}`);
  }

  async clearCalls(): Promise<void> {
    for (const platform of PLATFORMS) await call(`${this.sandbox(platform)}/_sandbox/calls`, { method: 'DELETE' });
  }

  async callLog(platform: Platform): Promise<CallLog> {
    return (await call<CallLog>(`${this.sandbox(platform)}/_sandbox/calls`)).body;
  }
}

export interface LoggedCall {
  receivedAt: string;
  method: string;
  path: string;
  status: number | null;
  rateLimited: boolean;
  fault: string | null;
  operation: string | null;
}

export interface CallLog {
  total: number;
  rateLimited: number;
  failed: number;
  calls: LoggedCall[];
}

/** Whether a platform call writes a listing's quantity (what channel sync sends). */
export function isListingUpdate(platform: Platform, logged: LoggedCall): boolean {
  switch (platform) {
    case 'shopify':
      return logged.operation === 'SetListingQuantities' || logged.operation === 'inventorySetQuantities';
    case 'woocommerce':
      return (logged.method === 'POST' && /\/batch$/.test(logged.path)) || ((logged.method === 'PUT' || logged.method === 'PATCH') && /\/products\//.test(logged.path));
    case 'mercadolivre':
      return logged.method === 'PUT' && /^\/items\//.test(logged.path);
    case 'amazon':
      return logged.operation === 'patchListingsItem';
  }
}
