/**
 * Shopify's mandatory compliance webhooks, honoured rather than only acknowledged.
 * Source: https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance
 * (also https://shopify.dev/docs/apps/webhooks/configuration/mandatory-webhooks):
 * - `customers/data_request` { shop_id, shop_domain, orders_requested: [order ids], customer: { id,
 *   email, phone }, data_request: { id } }: the merchant must be given what the app holds about
 *   the customer. Ponte records the request (the contact sealed, kit/sealed.ts) and an operator
 *   reads what it holds through `shopifyCustomerDataRequests`.
 * - `customers/redact` { shop_id, shop_domain, customer: { id, email, phone }, orders_to_redact }:
 *   erase the customer's personal data (Shopify sends it 10 days after the request, unless the
 *   customer ordered in the last 6 months; the app has 30 days).
 * - `shop/redact` { shop_id, shop_domain }: 48 hours after the shop uninstalled the app, erase
 *   the shop's data.
 * They are signed like every webhook (a bad HMAC must get 401) and set up in the app's
 * configuration (`compliance_topics` in shopify.app.toml), not through webhookSubscriptionCreate.
 *
 * They are applied at once (a few UPDATEs) rather than through the inbox, so the customer's
 * e-mail and phone in the body are never stored in clear, even for a moment.
 *
 * What is erased: the inbox payloads of the named orders (processed ones; unprocessed ones hold
 * only the allowlist of `stored-order.ts`), the free-text details of their order exceptions, and
 * the sealed contact of any earlier request by that customer. What stays: each order line's
 * state (ids, SKU, quantity, reservation), which carries nothing about the person and keeps the
 * canonical stock right, and the record of the request itself, without personal data.
 */
import type { Database, SqlClient } from '../../kit/database.ts';
import type { Logger } from '../../kit/logger.ts';
import type { Sealer } from '../../kit/sealed.ts';

export const PRIVACY_TOPICS = ['customers/data_request', 'customers/redact', 'shop/redact'] as const;
export type PrivacyTopic = (typeof PRIVACY_TOPICS)[number];

export function isPrivacyTopic(topic: string): topic is PrivacyTopic {
  return (PRIVACY_TOPICS as readonly string[]).includes(topic);
}

const KIND: Record<PrivacyTopic, 'CUSTOMER_DATA_REQUEST' | 'CUSTOMER_REDACT' | 'SHOP_REDACT'> = {
  'customers/data_request': 'CUSTOMER_DATA_REQUEST',
  'customers/redact': 'CUSTOMER_REDACT',
  'shop/redact': 'SHOP_REDACT',
};
/** Authenticated with every sealed contact, so a value copied to another column does not open. */
const CONTACT_CONTEXT = 'shopify.privacy_requests.customer';
export const REDACTED_EXCEPTION_MESSAGE = 'Details erased on the customer\'s request (customers/redact)';

export interface CustomerContact {
  id: string;
  email: string | null;
  phone: string | null;
}

interface PrivacyBody {
  shopDomain: string;
  customer: CustomerContact | undefined;
  /** Order GIDs, as order sync names orders. */
  orderIds: string[];
  dataRequestId: string | null;
}

/** What the webhook answers: 200 with this, or 400 with `problem`. */
export type PrivacyOutcome =
  | { status: 'applied'; requestId: string; erased?: Record<string, number> }
  | { status: 'duplicate' }
  | { status: 'other-shop' }
  | { status: 'invalid'; problem: string };

export interface CustomerDataRequestView {
  id: string;
  shopifyRequestId: string | null;
  receivedAt: string;
  completedAt: string | null;
  customer: CustomerContact | null;
  orderIds: string[];
}

export interface OrderDataView {
  orderId: string;
  lines: Array<{ lineId: string; sku: string | null; quantity: number; state: string; updatedAt: string }>;
  exceptions: Array<{ id: string; orderId: string; lineId: string; sku: string | null; quantity: number; code: string; message: string; occurredAt: string; resolvedAt: string | null; resolution: string | null; resolvedBy: string | null }>;
  deliveries: Array<{ topic: string; receivedAt: string; processedAt: string | null; payload: string | null }>;
}

const orderGid = (id: unknown) => (typeof id === 'string' && id.startsWith('gid://') ? id : `gid://shopify/Order/${String(id)}`);
const numericOrderId = (gid: string) => /\/(\d+)$/.exec(gid)?.[1] ?? gid;
const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

function parseBody(topic: PrivacyTopic, body: unknown): PrivacyBody | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body must be a JSON object';
  const value = body as Record<string, unknown>;
  if (typeof value['shop_domain'] !== 'string') return 'shop_domain is missing';
  if (topic === 'shop/redact') return { shopDomain: value['shop_domain'], customer: undefined, orderIds: [], dataRequestId: null };
  const customer = value['customer'] as Record<string, unknown> | null | undefined;
  if (typeof customer !== 'object' || customer === null || (typeof customer['id'] !== 'number' && typeof customer['id'] !== 'string')) return 'customer.id is missing';
  const ordersField = topic === 'customers/redact' ? 'orders_to_redact' : 'orders_requested';
  const orders = value[ordersField] ?? [];
  if (!Array.isArray(orders) || orders.some((id) => typeof id !== 'number' && typeof id !== 'string')) return `${ordersField} must be a list of order ids`;
  const text = (field: unknown) => (typeof field === 'string' && field !== '' ? field : null);
  const dataRequest = value['data_request'] as { id?: unknown } | undefined;
  return {
    shopDomain: value['shop_domain'],
    customer: { id: String(customer['id']), email: text(customer['email']), phone: text(customer['phone']) },
    orderIds: orders.map(orderGid),
    dataRequestId: dataRequest && dataRequest.id !== undefined ? String(dataRequest.id) : null,
  };
}

export class ShopifyPrivacy {
  readonly #db: Database;
  readonly #sealer: Sealer;
  readonly #log: Logger;
  readonly #shopDomain: string;

  constructor(options: { db: Database; sealer: Sealer; log: Logger; shopDomain: string }) {
    this.#db = options.db;
    this.#sealer = options.sealer;
    this.#shopDomain = options.shopDomain;
    this.#log = options.log.child({ component: 'privacy' });
  }

  /** Applies one verified compliance webhook, once per delivery id. */
  async apply(deliveryId: string, topic: PrivacyTopic, body: unknown): Promise<PrivacyOutcome> {
    const parsed = parseBody(topic, body);
    if (typeof parsed === 'string') return { status: 'invalid', problem: parsed };
    // A request about another shop (the app installed elsewhere) must not touch this shop's data.
    if (parsed.shopDomain !== this.#shopDomain) return { status: 'other-shop' };
    const outcome = await this.#db.transaction(async (tx) => {
      const [recorded] = await tx.query<{ id: string }>(
        `INSERT INTO privacy_requests (delivery_id, kind, shop, customer_sealed, order_ids, outcome)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb) ON CONFLICT (delivery_id) DO NOTHING RETURNING id::text AS id`,
        [
          deliveryId,
          KIND[topic],
          parsed.shopDomain,
          // Only a data request keeps the contact (sealed): the merchant must be able to answer that person.
          topic === 'customers/data_request' && parsed.customer ? this.#sealer.seal(JSON.stringify(parsed.customer), CONTACT_CONTEXT) : null,
          parsed.orderIds,
          JSON.stringify(parsed.dataRequestId ? { dataRequestId: parsed.dataRequestId } : {}),
        ],
      );
      if (!recorded) return { status: 'duplicate' } as const;
      if (topic === 'customers/data_request') return { status: 'applied', requestId: recorded.id } as const;
      const erased = topic === 'customers/redact' ? await this.#redactCustomer(tx, parsed) : await this.#redactShop(tx);
      await tx.query(`UPDATE privacy_requests SET outcome = outcome || $2::jsonb, completed_at = now() WHERE id = $1`, [recorded.id, JSON.stringify({ erased })]);
      return { status: 'applied', requestId: recorded.id, erased } as const;
    });
    if (outcome.status === 'applied') this.#log.info({ topic, requestId: outcome.requestId, orders: parsed.orderIds.length, erased: outcome.erased }, 'Shopify privacy request honoured');
    return outcome;
  }

  async #redactCustomer(tx: SqlClient, request: PrivacyBody): Promise<Record<string, number>> {
    const numericIds = request.orderIds.map(numericOrderId);
    // The shopper's sealed contact on a named order's message, applied or not (one still waiting is
    // applied without it: its stock counts, its customer is no one).
    const inboxContacts = await tx.query(
      `UPDATE inbox_messages SET contact_sealed = NULL
        WHERE contact_sealed IS NOT NULL AND (payload->>'admin_graphql_api_id' = ANY($1::text[]) OR payload->>'id' = ANY($2::text[])) RETURNING id`,
      [request.orderIds, numericIds],
    );
    const payloads = await tx.query(
      `UPDATE inbox_messages SET payload = NULL, purged_at = now()
        WHERE payload IS NOT NULL AND processed_at IS NOT NULL
          AND (payload->>'admin_graphql_api_id' = ANY($1::text[]) OR payload->>'id' = ANY($2::text[])) RETURNING id`,
      [request.orderIds, numericIds],
    );
    const exceptions = await tx.query(
      `UPDATE order_exceptions SET message = $2, resolution = CASE WHEN resolution IS NULL THEN NULL ELSE $2 END
        WHERE order_id = ANY($1::text[]) AND message <> $2 RETURNING id`,
      [request.orderIds, REDACTED_EXCEPTION_MESSAGE],
    );
    let contacts = 0;
    const held = await tx.query<{ id: string; sealed: string }>(
      `SELECT id::text AS id, customer_sealed AS sealed FROM privacy_requests WHERE customer_sealed IS NOT NULL AND shop = $1`,
      [request.shopDomain],
    );
    for (const row of held) {
      if ((JSON.parse(this.#sealer.open(row.sealed, CONTACT_CONTEXT)) as CustomerContact).id !== request.customer?.id) continue;
      await tx.query('UPDATE privacy_requests SET customer_sealed = NULL WHERE id = $1', [row.id]);
      contacts++;
    }
    return { inboxPayloads: payloads.length, ...(inboxContacts.length > 0 ? { inboxContacts: inboxContacts.length } : {}), exceptionDetails: exceptions.length, contacts };
  }

  async #redactShop(tx: SqlClient): Promise<Record<string, number>> {
    const payloads = await tx.query(
      // Unapplied messages of an uninstalled shop will not be applied: set aside with the rest.
      `UPDATE inbox_messages SET payload = NULL, contact_sealed = NULL, purged_at = now(), processed_at = coalesce(processed_at, now()),
              rejected_at = CASE WHEN processed_at IS NULL THEN now() ELSE rejected_at END,
              last_error = CASE WHEN processed_at IS NULL THEN 'shop/redact: erased before it was applied' ELSE last_error END
        WHERE payload IS NOT NULL OR contact_sealed IS NOT NULL RETURNING id`,
    );
    const exceptions = await tx.query('DELETE FROM order_exceptions RETURNING id');
    const contacts = await tx.query('UPDATE privacy_requests SET customer_sealed = NULL WHERE customer_sealed IS NOT NULL RETURNING id');
    return { inboxPayloads: payloads.length, exceptions: exceptions.length, contacts: contacts.length };
  }

  /** Data requests, newest first, with the contact opened for the operator who answers them. */
  async customerDataRequests(limit: number, onlyId?: string): Promise<CustomerDataRequestView[]> {
    const rows = await this.#db.query<{ id: string; sealed: string | null; orderIds: string[]; outcome: { dataRequestId?: string } | null; receivedAt: string; completedAt: string | null }>(
      `SELECT id::text AS id, customer_sealed AS sealed, order_ids AS "orderIds", outcome, ${ISO('received_at')} AS "receivedAt", ${ISO('completed_at')} AS "completedAt"
         FROM privacy_requests WHERE kind = 'CUSTOMER_DATA_REQUEST' AND ($2::bigint IS NULL OR id = $2::bigint) ORDER BY privacy_requests.id DESC LIMIT $1`,
      [limit, onlyId ?? null],
    );
    return rows.map((row) => ({
      id: row.id,
      shopifyRequestId: row.outcome?.dataRequestId ?? null,
      receivedAt: row.receivedAt,
      completedAt: row.completedAt,
      customer: row.sealed ? (JSON.parse(this.#sealer.open(row.sealed, CONTACT_CONTEXT)) as CustomerContact) : null,
      orderIds: row.orderIds,
    }));
  }

  /** Everything Ponte holds about some orders: line states, exceptions, and the deliveries kept. */
  async orderData(orderIds: readonly string[]): Promise<OrderDataView[]> {
    if (orderIds.length === 0) return [];
    const [lines, exceptions, deliveries] = await Promise.all([
      this.#db.query<OrderDataView['lines'][number] & { orderId: string }>(
        `SELECT order_id AS "orderId", line_id AS "lineId", sku, quantity, state, ${ISO('updated_at')} AS "updatedAt"
           FROM channel_order_lines WHERE order_id = ANY($1::text[]) ORDER BY order_id, line_id`,
        [orderIds],
      ),
      this.#db.query<OrderDataView['exceptions'][number]>(
        `SELECT id::text AS id, order_id AS "orderId", line_id AS "lineId", sku, quantity, code, message,
                ${ISO('occurred_at')} AS "occurredAt", ${ISO('resolved_at')} AS "resolvedAt", resolution, resolved_by AS "resolvedBy"
           FROM order_exceptions WHERE order_id = ANY($1::text[]) ORDER BY order_exceptions.id`,
        [orderIds],
      ),
      this.#db.query<OrderDataView['deliveries'][number] & { orderId: string }>(
        `SELECT coalesce(payload->>'admin_graphql_api_id', 'gid://shopify/Order/' || (payload->>'id')) AS "orderId", topic,
                ${ISO('received_at')} AS "receivedAt", ${ISO('processed_at')} AS "processedAt", payload::text AS payload
           FROM inbox_messages
          WHERE payload->>'admin_graphql_api_id' = ANY($1::text[]) OR payload->>'id' = ANY($2::text[]) ORDER BY id`,
        [orderIds, orderIds.map(numericOrderId)],
      ),
    ]);
    return orderIds.map((orderId) => ({
      orderId,
      lines: lines.filter((line) => line.orderId === orderId).map(({ orderId: _, ...line }) => line),
      exceptions: exceptions.filter((exception) => exception.orderId === orderId),
      deliveries: deliveries.filter((delivery) => delivery.orderId === orderId).map(({ orderId: _, ...delivery }) => delivery),
    }));
  }

  /**
   * The operator answered a data request: it is marked completed and the customer's contact,
   * no longer needed, is erased. Undefined when there is no such request.
   */
  async closeDataRequest(id: string): Promise<CustomerDataRequestView | undefined> {
    if (!/^\d{1,18}$/.test(id)) return undefined;
    const rows = await this.#db.query(
      `UPDATE privacy_requests SET completed_at = coalesce(completed_at, now()), customer_sealed = NULL
        WHERE id = $1 AND kind = 'CUSTOMER_DATA_REQUEST' RETURNING id`,
      [id],
    );
    if (rows.length === 0) return undefined;
    this.#log.info({ requestId: id }, 'Shopify data request answered; contact erased');
    return (await this.customerDataRequests(1, id))[0];
  }

  /**
   * Key rotation: re-seals every stored contact under the current key (the first of
   * PONTE_DATA_KEYS), after which the older keys can be retired. Returns how many moved.
   */
  async resealContacts(): Promise<number> {
    const rows = await this.#db.query<{ id: string; sealed: string }>('SELECT id::text AS id, customer_sealed AS sealed FROM privacy_requests WHERE customer_sealed IS NOT NULL');
    let moved = 0;
    for (const row of rows) {
      const resealed = this.#sealer.reseal(row.sealed, CONTACT_CONTEXT);
      if (!resealed) continue;
      // Compare-and-set: a concurrent erasure wins over the re-seal.
      await this.#db.query('UPDATE privacy_requests SET customer_sealed = $2 WHERE id = $1 AND customer_sealed = $3', [row.id, resealed, row.sealed]);
      moved++;
    }
    if (moved > 0) this.#log.info({ moved, key: this.#sealer.currentKeyId }, 'sealed contacts moved to the current data key');
    return moved;
  }
}
