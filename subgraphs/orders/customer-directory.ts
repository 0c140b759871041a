import type { Logger } from '../../kit/logger.ts';
import { CustomersClient, CustomersRejection, type ShopperObservation } from '../platform-common/customers-client.ts';
import type { ServiceClientOptions } from '../platform-common/service-client.ts';
import type { ShopperContact } from '../platform-common/order-sync.ts';

export type { ShopperObservation } from '../platform-common/customers-client.ts';

/** A change to the profiles the orders link to (the customers subgraph's `customerChanges`). */
export interface CustomerChange {
  /** Increasing: the follower asks for changes after the last one applied. */
  id: string;
  kind: 'CUSTOMER_ERASED' | 'CUSTOMERS_MERGED' | 'CUSTOMERS_UNMERGED';
  /** The erased profile; for merges and unmerges, the surviving one. */
  customerId: string;
  /** For merges and unmerges: the profile merged into `customerId` (or split off it again). */
  otherCustomerId: string | null;
}

/**
 * Who a shopper is, across channels: the customers subgraph matches a channel's contact (e-mail,
 * CPF, phone) to one profile and keeps the contact sealed. The orders subgraph hands it the
 * contact that came with an order and keeps only the id it answers, never the contact itself.
 */
export interface CustomerDirectory {
  /**
   * The customer id of the shopper, or null when no profile can be named (no directory, nothing to
   * match on, a contact the directory refuses). Throws when the directory cannot answer now: the
   * order is then recorded again on the inbox's retry, so a match is not lost to an outage.
   */
  identify(contact: ShopperContact, observation: ShopperObservation): Promise<string | null>;
  /** Erasures and merges after `after`, oldest first; absent when there is no directory to follow. */
  changes?(after: string | null, first: number): Promise<CustomerChange[]>;
}

/**
 * The directory when no customers subgraph is deployed (`CUSTOMERS_URL` unset): no order is
 * matched to a profile, and the contact is dropped on the spot.
 */
export const NO_CUSTOMER_DIRECTORY: CustomerDirectory = {
  identify: async () => null,
};

const CHANGES = 'query CustomerChanges($after: ID, $first: Int) { customerChanges(after: $after, first: $first) { id kind customerId otherCustomerId } }';

/**
 * The customers subgraph as the orders subgraph's directory, called with the orders service's own
 * key (customers:write: it learns ids and follows changes, it never reads a profile).
 * A contact the customers subgraph refuses (bad input) cannot be fixed by retrying: the order is
 * recorded without a customer and the refusal's code is logged (never the contact). An outage
 * (CustomersUnavailable) is thrown on, so the platform's inbox records the order again later.
 */
export function customersDirectory(options: ServiceClientOptions, log: Logger): CustomerDirectory {
  const client = new CustomersClient(options);
  return withRefusalsAsNoCustomer({
    identify: (contact, observation) => client.identify(contact, observation),
    async changes(after, first) {
      const data = await client.request<{ customerChanges: CustomerChange[] }>(CHANGES, { after, first });
      return data.customerChanges;
    },
  }, log);
}

/** A refused contact (CustomersRejection) names no one: null, with the refusal's code logged, never the contact. */
export function withRefusalsAsNoCustomer(directory: CustomerDirectory, log: Logger): CustomerDirectory {
  const directoryLog = log.child({ component: 'customer-directory' });
  return {
    ...directory,
    async identify(contact, observation) {
      try {
        return await directory.identify(contact, observation);
      } catch (error) {
        if (!(error instanceof CustomersRejection)) throw error;
        directoryLog.warn({ code: error.code, channel: observation.channel, orderReference: observation.orderReference }, 'customers refused the shopper contact: order recorded without a customer');
        return null;
      }
    },
  };
}

/**
 * A directory whose target is known only later (tests start the orders subgraph before the
 * customers subgraph has a port): until `use` is called it matches no one and has no changes.
 */
export function deferredCustomerDirectory(): CustomerDirectory & { use(directory: CustomerDirectory): void } {
  let target: CustomerDirectory = NO_CUSTOMER_DIRECTORY;
  return {
    use(directory) {
      target = directory;
    },
    identify: (contact, observation) => target.identify(contact, observation),
    changes: async (after, first) => (target.changes ? target.changes(after, first) : []),
  };
}
