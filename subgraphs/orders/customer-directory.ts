import type { ShopperContact } from '../platform-common/order-sync.ts';

/** Which order a shopper's contact came with (never personal: ids only). */
export interface ContactOrigin {
  channel: string;
  platform: string;
  platformOrderId: string;
}

/**
 * Who a shopper is, across channels: the customers subgraph matches a channel's contact (e-mail,
 * CPF, phone) to one profile and keeps the contact sealed. The orders subgraph hands it the
 * contact that came with an order and keeps only the id it answers, never the contact itself.
 */
export interface CustomerDirectory {
  /**
   * The customer id of the shopper, or null when no profile can be named (no directory, nothing to
   * match on). Throws when the directory cannot answer now: the order is then recorded again on the
   * inbox's retry, so a match is not lost to an outage.
   */
  identify(contact: ShopperContact, origin: ContactOrigin): Promise<string | null>;
}

/**
 * The directory when no customers subgraph is deployed (`CUSTOMERS_URL` unset): no order is
 * matched to a profile, and the contact is dropped on the spot.
 */
export const NO_CUSTOMER_DIRECTORY: CustomerDirectory = {
  identify: async () => null,
};
