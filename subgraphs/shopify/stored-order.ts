/**
 * What the Shopify subgraph keeps of an order webhook (LGPD: data minimisation). An `orders/*`
 * body carries the buyer's name, e-mail, phone, addresses, note (where Brazilian shops ask for the
 * CPF), browser IP and more; order sync reads only the ids, status fields and lines that
 * `dictionary.ts` maps. This allowlist is what reaches the inbox, so nothing else is ever stored.
 * A field the dictionary starts to read must be added here (a test maps both and compares).
 */
import type { WebhookOrder } from './dictionary.ts';

/** An order webhook body reduced to the allowlist; every field is an id, a status, a count or a time. */
export interface StoredOrder extends WebhookOrder {
  updated_at?: string | null;
  financial_status?: string | null;
  fulfillment_status?: string | null;
}

// Amounts, currency and times (the canonical order's, not the person's) are kept too; so is the
// ship-to CEP, which routing and the canonical order use. The buyer's contact is not: it is another matter (docs/privacy.md).
const ORDER_FIELDS = ['id', 'admin_graphql_api_id', 'cancelled_at', 'closed_at', 'created_at', 'updated_at', 'financial_status', 'fulfillment_status', 'test',
  'currency', 'total_line_items_price', 'total_discounts', 'total_tax', 'total_price'] as const;
const LINE_FIELDS = ['id', 'admin_graphql_api_id', 'variant_id', 'product_id', 'sku', 'quantity', 'current_quantity', 'fulfillable_quantity', 'fulfillment_status', 'price', 'total_discount'] as const;

function pick(source: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const field of fields) if (source[field] !== undefined) kept[field] = source[field];
  return kept;
}

/**
 * Whether a signed body is an order at all: an object with an order id and a list of lines, each
 * with an id and a whole quantity. Anything else (null, an array, a number) is refused at the door.
 */
export function orderShapeProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body must be an order object';
  const order = body as Record<string, unknown>;
  if (typeof order['admin_graphql_api_id'] !== 'string' && typeof order['id'] !== 'number' && typeof order['id'] !== 'string') return 'the order has no id (id or admin_graphql_api_id)';
  const lines = order['line_items'];
  if (!Array.isArray(lines)) return 'the order has no line_items list';
  for (const [index, line] of lines.entries()) {
    const value = line as Record<string, unknown> | null;
    if (typeof value !== 'object' || value === null || (typeof value['id'] !== 'number' && typeof value['id'] !== 'string') || !Number.isInteger(value['quantity'])) {
      return `line_items[${index}] needs an id and a whole quantity`;
    }
  }
  return undefined;
}

/** The allowlist projection stored in the inbox. Throws on a body that is not an order. */
export function toStoredOrder(body: unknown): StoredOrder {
  const problem = orderShapeProblem(body);
  if (problem) throw new TypeError(`Not a Shopify order: ${problem}`);
  const order = body as Record<string, unknown>;
  const shipping = order['total_shipping_price_set'] as { shop_money?: { amount?: unknown } } | null | undefined;
  const shipTo = order['shipping_address'] as { zip?: unknown } | null | undefined;
  return {
    ...pick(order, ORDER_FIELDS),
    ...(typeof shipping?.shop_money?.amount === 'string' ? { total_shipping_price_set: { shop_money: { amount: shipping.shop_money.amount } } } : {}),
    ...(typeof shipTo?.zip === 'string' ? { shipping_address: { zip: shipTo.zip } } : {}),
    line_items: (order['line_items'] as Array<Record<string, unknown>>).map((line) => ({
      ...pick(line, LINE_FIELDS),
      ...(Array.isArray(line['discount_allocations']) ? { discount_allocations: (line['discount_allocations'] as Array<Record<string, unknown>>).map((allocation) => ({ amount: allocation?.['amount'] })) } : {}),
    })),
  } as StoredOrder;
}
