import type { ShopperContact } from './order-sync.ts';
import { ServiceClient, type ServiceClientOptions } from './service-client.ts';

/** The customers subgraph refused the contact (bad input, or a channel this service may not act for): retrying cannot help. */
export class CustomersRejection extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'CustomersRejection';
    this.code = code;
  }
}

/** The customers subgraph could not be reached or failed unexpectedly: try again later (the inbox retries). */
export class CustomersUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CustomersUnavailable';
  }
}

/** Where and when the contact was seen: the order it came on. */
export interface ShopperObservation {
  /** The channel code (shopify-br, mercado-livre, …). */
  channel: string;
  /** The platform's order id: a redelivery answers the same customer and changes nothing. */
  orderReference: string;
  /** The order's update time (ISO 8601): an older observation never overwrites a newer one. */
  observedAt: string;
}

const REJECTIONS = new Set(['BAD_USER_INPUT', 'FORBIDDEN', 'UNAUTHENTICATED']);

const IDENTIFY = `mutation IdentifyShopper($input: IdentifyShopperInput!) { identifyShopper(input: $input) { customerId outcome } }`;

/**
 * How the orders subgraph turns the shopper's contact on a channel's order into a customer id:
 * the customers subgraph's `identifyShopper`, called directly with this service's key (a service
 * principal has customers:write, never customers:read: it learns the id, not the profile).
 * Resolves to null when the contact names no one (no valid e-mail, CPF, phone or platform
 * customer id) or belongs to an order whose customer was erased since.
 */
export class CustomersClient extends ServiceClient {
  constructor(options: ServiceClientOptions) {
    if (!options.url) throw new Error('CustomersClient needs the customers subgraph URL (CUSTOMERS_URL)');
    super('customers', options, {
      expected: REJECTIONS,
      // The message names fields, never values (the customers subgraph's errors carry no personal data).
      rejection: (code, message) => new CustomersRejection(code, message),
      unavailable: (message, cause) => new CustomersUnavailable(message, cause === undefined ? undefined : { cause }),
    });
  }

  async identify(contact: ShopperContact | null | undefined, order: ShopperObservation): Promise<string | null> {
    if (!contact) return null;
    const { platformCustomerId, address, ...details } = contact;
    const input = {
      channel: order.channel,
      orderReference: order.orderReference,
      observedAt: order.observedAt,
      ...(platformCustomerId ? { platformCustomerId } : {}),
      contact: { ...details, ...(address ? { address } : {}) },
    };
    const data = await this.request<{ identifyShopper: { customerId: string | null } | null }>(IDENTIFY, { input });
    return data?.identifyShopper?.customerId ?? null;
  }
}
