/**
 * The `/_sandbox/` control API, identical on every sandbox: seed the catalog, act as a shopper
 * (place, cancel, fulfil orders) or as the merchant in the platform's admin (edit a quantity),
 * inject faults, read the call log and steer webhook delivery.
 *
 * Each platform provides a `SandboxControlAdapter`; this module owns the paths, the request
 * validation and the response shapes so that tests drive every platform the same way.
 */
import type { CallLog } from './call-log.ts';
import type { FaultInjector, FaultRuleInput } from './faults.ts';
import { json, parseJsonBody, Router, SandboxHttpError } from './http.ts';
import type { SandboxRequest, SandboxResponse } from './http.ts';
import type { WebhookDispatcher } from './webhooks.ts';

export interface ShopperOrderLine {
  sku: string;
  quantity: number;
}

export interface PlaceOrderInput {
  lines: ShopperOrderLine[];
  /** Accept the order even when a line exceeds the listed quantity (as a race between channels would). */
  allowOversell: boolean;
  /** Which of `SANDBOX_SHOPPERS` places it (an index); by default one picked by the order's number. */
  shopper?: number | undefined;
  /**
   * The e-mail as the shopper typed it at this checkout, when not their usual one: the same person
   * spells it differently on another platform (`Ana.Souza@Example.com`, a Gmail `+tag`).
   */
  email?: string | undefined;
  /** The phone given at this checkout, when not their usual one (a work phone). */
  phone?: string | undefined;
}

export interface MerchantStockEdit {
  sku: string;
  quantity: number;
  /** For platforms with locations (Shopify): which location; the first one by default. */
  locationCode?: string;
}

/** What a sandbox reports as listed for one SKU. */
export interface ListedStock {
  sku: string;
  /** Units the platform offers to shoppers for this SKU (summed over locations). */
  quantity: number;
  /** Per-location detail where the platform has locations. */
  byLocation?: Record<string, number>;
}

export interface ControlOrderSummary {
  /** The platform's own order id, as its API and webhooks show it. */
  id: string;
  status: string;
  lines: ShopperOrderLine[];
}

/** What the shopper sees of an order on the platform (its order page, its e-mails): whether it shipped, and how to track it. */
export interface ShopperOrderView {
  id: string;
  /** The platform's own word for where the order stands (Shopify `fulfilled`, WooCommerce `completed`, Amazon `Shipped`, …). */
  status: string;
  shipments: Array<{ carrier: string | null; trackingCode: string | null; trackingUrl: string | null; shippedAt: string | null; lines: ShopperOrderLine[] }>;
  /** Notes the merchant addressed to the shopper (WooCommerce customer notes). */
  customerNotes?: string[];
}

export interface WebhookTarget {
  topic: string;
  url: string;
}

export interface WebhookSubscriptionSummary {
  id: string;
  topic: string;
  url: string;
  /** The signing secret, where the platform has one per webhook (WooCommerce). */
  secret?: string;
}

export interface SandboxControlAdapter {
  /** Replaces the whole catalog and every order. `body` is the raw request body (may be undefined). */
  seed(body: unknown): { products: number; listings: number };
  placeOrder(input: PlaceOrderInput): ControlOrderSummary;
  cancelOrder(orderId: string): ControlOrderSummary;
  fulfilOrder(orderId: string): ControlOrderSummary;
  /** The shopper's view of an order: its status and the tracking the platform shows them. */
  shopperView?(orderId: string): ShopperOrderView;
  setStock(edit: MerchantStockEdit): ListedStock;
  stock(): ListedStock[];
  /** Registers a webhook / notification target as the merchant or app would; absent on platforms without webhooks. */
  subscribe?(target: WebhookTarget): WebhookSubscriptionSummary;
  /** Refills every rate-limit bucket. */
  resetRateLimits(): void;
  /** Control calls only this platform has (listed in sandboxes/README.md), e.g. WooCommerce's host quirks. */
  routes?: Array<{ method: string; path: string; handle(request: SandboxRequest): SandboxResponse | Promise<SandboxResponse> }>;
  /**
   * A platform's privacy (data-subject) webhooks, which an app declares in its configuration
   * rather than subscribes to (Shopify's mandatory compliance webhooks); absent elsewhere.
   */
  complianceWebhooks?: {
    /** Where they are delivered, as the app's configuration says. */
    configure(url: string): { url: string };
    /** Sends one as the platform would, signed. */
    send(request: ComplianceWebhookRequest): { eventId: string; topic: string; url: string };
  };
}

/** A data subject's request as the control API takes it; the sandbox fills in the shop. */
export interface ComplianceWebhookRequest {
  topic: string;
  customer?: { id: string | number; email?: string; phone?: string };
  orders?: Array<string | number>;
}

/** Thrown by adapters: the control API answers `{ error: { code, message } }` with this status. */
export class ControlError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ControlError';
    this.status = status;
    this.code = code;
  }
}

export interface ControlApiDependencies {
  platform: string;
  adapter: SandboxControlAdapter;
  faults: FaultInjector;
  callLog: CallLog;
  webhooks: WebhookDispatcher;
}

export const CONTROL_PREFIX = '/_sandbox';

export function createControlApi(dependencies: ControlApiDependencies): (request: SandboxRequest) => Promise<SandboxResponse> {
  const { platform, adapter, faults, callLog, webhooks } = dependencies;
  const router = new Router<undefined>()
    .add('GET', '/_sandbox', () => json(200, { platform, ready: true }))
    .add('POST', '/_sandbox/seed', (request) => json(200, adapter.seed(body(request))))
    .add('GET', '/_sandbox/stock', () => json(200, { stock: adapter.stock() }))
    .add('PUT', '/_sandbox/stock/:sku', (request) => {
      const input = objectBody(request);
      const quantity = input['quantity'];
      if (!Number.isInteger(quantity)) throw badRequest('quantity must be an integer');
      const locationCode = input['locationCode'];
      if (locationCode !== undefined && typeof locationCode !== 'string') throw badRequest('locationCode must be a string');
      const sku = request.params['sku'] as string;
      return json(200, adapter.setStock({ sku, quantity: quantity as number, ...(locationCode ? { locationCode } : {}) }));
    })
    .add('POST', '/_sandbox/orders', (request) => json(201, adapter.placeOrder(placeOrderInput(objectBody(request)))))
    .add('GET', '/_sandbox/orders/:id', (request) => {
      if (!adapter.shopperView) throw new ControlError(404, 'NOT_SUPPORTED', `The ${platform} sandbox has no shopper view of orders`);
      return json(200, adapter.shopperView(request.params['id'] as string));
    })
    .add('POST', '/_sandbox/orders/:id/cancel', (request) => json(200, adapter.cancelOrder(request.params['id'] as string)))
    .add('POST', '/_sandbox/orders/:id/fulfil', (request) => json(200, adapter.fulfilOrder(request.params['id'] as string)))
    .add('GET', '/_sandbox/faults', () => json(200, { faults: faults.list() }))
    .add('POST', '/_sandbox/faults', (request) => {
      try {
        return json(201, faults.add(objectBody(request) as unknown as FaultRuleInput));
      } catch (error) {
        if (error instanceof RangeError) throw badRequest(error.message);
        throw error;
      }
    })
    .add('DELETE', '/_sandbox/faults', () => {
      faults.clear();
      return json(200, { faults: [] });
    })
    .add('GET', '/_sandbox/calls', () => json(200, callLog.summary()))
    .add('DELETE', '/_sandbox/calls', () => {
      callLog.clear();
      return json(200, callLog.summary());
    })
    .add('POST', '/_sandbox/rate-limits/reset', () => {
      adapter.resetRateLimits();
      return json(200, { reset: true });
    })
    .add('POST', '/_sandbox/webhooks', (request) => {
      if (!adapter.subscribe) throw new ControlError(404, 'NO_WEBHOOKS', `${platform} has no webhooks: poll its API instead`);
      const input = objectBody(request);
      if (typeof input['topic'] !== 'string' || typeof input['url'] !== 'string') throw badRequest('topic and url are required strings');
      return json(201, adapter.subscribe({ topic: input['topic'], url: input['url'] }));
    })
    .add('PUT', '/_sandbox/compliance-webhooks', (request) => {
      const input = objectBody(request);
      if (typeof input['url'] !== 'string') throw badRequest('url is required');
      return json(200, compliance().configure(input['url']));
    })
    .add('POST', '/_sandbox/compliance-webhooks', (request) => {
      const input = objectBody(request);
      if (typeof input['topic'] !== 'string') throw badRequest('topic is required');
      const customer = input['customer'] as ComplianceWebhookRequest['customer'] | undefined;
      if (customer !== undefined && (typeof customer !== 'object' || customer === null || (typeof customer.id !== 'string' && typeof customer.id !== 'number'))) throw badRequest('customer must be { id, email?, phone? }');
      const orders = input['orders'];
      if (orders !== undefined && (!Array.isArray(orders) || orders.some((id) => typeof id !== 'string' && typeof id !== 'number'))) throw badRequest('orders must be a list of order ids');
      return json(202, compliance().send({ topic: input['topic'], ...(customer ? { customer } : {}), ...(orders ? { orders: orders as Array<string | number> } : {}) }));
    })
    .add('GET', '/_sandbox/webhooks/deliveries', () => json(200, { held: webhooks.heldCount, mode: webhooks.mode, deliveries: webhooks.attempts }))
    .add('DELETE', '/_sandbox/webhooks/deliveries', () => {
      webhooks.clearLog();
      return json(200, { deliveries: [] });
    })
    .add('PUT', '/_sandbox/webhooks/mode', (request) => {
      const input = objectBody(request);
      for (const key of ['duplicate', 'hold'] as const) {
        const value = input[key];
        if (value === undefined) continue;
        if (typeof value !== 'boolean') throw badRequest(`${key} must be a boolean`);
        webhooks.mode[key] = value;
      }
      return json(200, webhooks.mode);
    })
    .add('POST', '/_sandbox/webhooks/release', (request) => {
      const order = (body(request) as { order?: unknown } | undefined)?.order ?? 'fifo';
      if (order !== 'fifo' && order !== 'reverse') throw badRequest('order must be "fifo" or "reverse"');
      return json(200, { released: webhooks.release(order) });
    });

  for (const route of adapter.routes ?? []) router.add(route.method, route.path, (request) => route.handle(request));
  function compliance(): NonNullable<SandboxControlAdapter['complianceWebhooks']> {
    if (!adapter.complianceWebhooks) throw new ControlError(404, 'NO_COMPLIANCE_WEBHOOKS', `${platform} has no privacy webhooks`);
    return adapter.complianceWebhooks;
  }

  return async (request) => {
    const matched = router.match(request.method, request.path);
    if (matched === undefined) return controlError(404, 'NOT_FOUND', `No control route ${request.method} ${request.path}; see sandboxes/README.md`);
    if (matched === 'method-not-allowed') return controlError(405, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${request.path}`);
    try {
      return await matched.handler({ ...request, params: matched.params }, undefined);
    } catch (error) {
      if (error instanceof ControlError) return controlError(error.status, error.code, error.message);
      if (error instanceof SandboxHttpError) return { status: error.status, body: error.body, headers: error.headers };
      if (error instanceof SyntaxError) return controlError(400, 'BAD_JSON', `The body is not valid JSON: ${error.message}`);
      if (error instanceof TypeError) return controlError(400, 'BAD_REQUEST', error.message);
      throw error;
    }
  };
}

function controlError(status: number, code: string, message: string): SandboxResponse {
  return json(status, { error: { code, message } });
}

function badRequest(message: string): ControlError {
  return new ControlError(400, 'BAD_REQUEST', message);
}

function body(request: SandboxRequest): unknown {
  return parseJsonBody(request);
}

function objectBody(request: SandboxRequest): Record<string, unknown> {
  const parsed = parseJsonBody(request);
  if (parsed === undefined) return {};
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badRequest('The body must be a JSON object');
  return parsed as Record<string, unknown>;
}

function placeOrderInput(input: Record<string, unknown>): PlaceOrderInput {
  const lines = input['lines'];
  if (!Array.isArray(lines) || lines.length === 0) throw badRequest('lines must be a non-empty array of { sku, quantity }');
  const parsed = lines.map((line: unknown, index): ShopperOrderLine => {
    const candidate = line as { sku?: unknown; quantity?: unknown } | null;
    if (!candidate || typeof candidate.sku !== 'string' || !Number.isInteger(candidate.quantity) || (candidate.quantity as number) < 1) {
      throw badRequest(`lines[${index}] must be { sku: string, quantity: positive integer }`);
    }
    return { sku: candidate.sku, quantity: candidate.quantity as number };
  });
  const shopper = input['shopper'];
  if (shopper !== undefined && (!Number.isInteger(shopper) || (shopper as number) < 0)) throw badRequest('shopper must be the index of a sandbox shopper');
  const email = input['email'];
  if (email !== undefined && (typeof email !== 'string' || email.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(email))) throw badRequest('email must be an e-mail address');
  const phone = input['phone'];
  if (phone !== undefined && (typeof phone !== 'string' || !/^\+?[0-9 ()-]{8,20}$/.test(phone))) throw badRequest('phone must be a phone number');
  return {
    lines: parsed,
    allowOversell: input['allowOversell'] === true,
    ...(shopper !== undefined ? { shopper: shopper as number } : {}),
    ...(email !== undefined ? { email: email as string } : {}),
    ...(phone !== undefined ? { phone: phone as string } : {}),
  };
}
