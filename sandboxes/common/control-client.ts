/**
 * A typed client for the `/_sandbox/` control API, for end-to-end tests and `npm start`.
 * It speaks to any sandbox the same way, since the control API is the same everywhere.
 */
import type { CallLogSummary } from './call-log.ts';
import type { ComplianceWebhookRequest, ControlOrderSummary, ListedStock, ShopperOrderLine, ShopperOrderView, WebhookSubscriptionSummary } from './control-api.ts';
import type { FaultRule, FaultRuleInput } from './faults.ts';
import type { DeliveryAttempt, DeliveryMode } from './webhooks.ts';

export class SandboxControlClient {
  readonly #baseUrl: string;

  /** @param baseUrl the sandbox's base URL, as `listen()` resolved it */
  constructor(baseUrl: string) {
    this.#baseUrl = baseUrl.replace(/\/+$/, '');
  }

  seed(body?: unknown): Promise<{ products: number; listings: number }> {
    return this.#call('POST', '/_sandbox/seed', body);
  }

  async stock(): Promise<ListedStock[]> {
    return (await this.#call<{ stock: ListedStock[] }>('GET', '/_sandbox/stock')).stock;
  }

  async quantityOf(sku: string): Promise<number | undefined> {
    return (await this.stock()).find((entry) => entry.sku === sku)?.quantity;
  }

  setStock(sku: string, quantity: number, locationCode?: string): Promise<ListedStock> {
    return this.#call('PUT', `/_sandbox/stock/${encodeURIComponent(sku)}`, { quantity, ...(locationCode ? { locationCode } : {}) });
  }

  placeOrder(lines: ShopperOrderLine[], options: { allowOversell?: boolean; shopper?: number; email?: string; phone?: string } = {}): Promise<ControlOrderSummary> {
    return this.#call('POST', '/_sandbox/orders', { lines, ...options });
  }

  cancelOrder(orderId: string): Promise<ControlOrderSummary> {
    return this.#call('POST', `/_sandbox/orders/${encodeURIComponent(orderId)}/cancel`);
  }

  fulfilOrder(orderId: string): Promise<ControlOrderSummary> {
    return this.#call('POST', `/_sandbox/orders/${encodeURIComponent(orderId)}/fulfil`);
  }

  /** The order as the shopper sees it on the platform: its status and each shipment's tracking. */
  shopperView(orderId: string): Promise<ShopperOrderView> {
    return this.#call('GET', `/_sandbox/orders/${encodeURIComponent(orderId)}`);
  }

  injectFault(fault: FaultRuleInput): Promise<FaultRule> {
    return this.#call('POST', '/_sandbox/faults', fault);
  }

  clearFaults(): Promise<unknown> {
    return this.#call('DELETE', '/_sandbox/faults');
  }

  calls(): Promise<CallLogSummary> {
    return this.#call('GET', '/_sandbox/calls');
  }

  clearCalls(): Promise<CallLogSummary> {
    return this.#call('DELETE', '/_sandbox/calls');
  }

  resetRateLimits(): Promise<unknown> {
    return this.#call('POST', '/_sandbox/rate-limits/reset');
  }

  subscribe(topic: string, url: string): Promise<WebhookSubscriptionSummary> {
    return this.#call('POST', '/_sandbox/webhooks', { topic, url });
  }

  deliveries(): Promise<{ held: number; mode: DeliveryMode; deliveries: DeliveryAttempt[] }> {
    return this.#call('GET', '/_sandbox/webhooks/deliveries');
  }

  setDeliveryMode(mode: Partial<DeliveryMode>): Promise<DeliveryMode> {
    return this.#call('PUT', '/_sandbox/webhooks/mode', mode);
  }

  releaseHeld(order: 'fifo' | 'reverse' = 'fifo'): Promise<{ released: number }> {
    return this.#call('POST', '/_sandbox/webhooks/release', { order });
  }

  /** Where the platform's privacy (compliance) webhooks go, as the app's configuration would say. */
  configureComplianceWebhooks(url: string): Promise<{ url: string }> {
    return this.#call('PUT', '/_sandbox/compliance-webhooks', { url });
  }

  /** Sends a privacy webhook as the platform would on a data subject's request. */
  sendComplianceWebhook(request: ComplianceWebhookRequest): Promise<{ eventId: string; topic: string; url: string }> {
    return this.#call('POST', '/_sandbox/compliance-webhooks', request);
  }

  async #call<Result>(method: string, path: string, body?: unknown): Promise<Result> {
    const response = await fetch(`${this.#baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const payload: unknown = await response.json();
    if (!response.ok) {
      const message = (payload as { error?: { message?: string } }).error?.message ?? JSON.stringify(payload);
      throw new Error(`Sandbox control ${method} ${path} failed with HTTP ${response.status}: ${message}`);
    }
    return payload as Result;
  }
}
