import { demoCustomers } from '../../demo/customers.ts';
import type { CustomerProfiles } from './profiles.ts';

/**
 * Loads the demo shoppers through identification, as their orders would: each person's first
 * channel makes the profile (named with the demo id the demo orders use), the others match it.
 * Idempotent: each identity is a demo order reference, replayed on a later start; a start that
 * finds every demo profile there already skips the replay (`replay` forces it).
 */
const SEED_BATCH = 25;

export async function seedDemoCustomers(profiles: CustomerProfiles, options: { replay?: boolean } = {}): Promise<void> {
  if (!options.replay && (await profiles.load(demoCustomers.map((customer) => customer.id))).every((row) => row !== null)) return;
  // A transaction per batch of shoppers: a commit per identification took a minute on a loaded
  // PGlite, and one transaction for all would hold the PGlite `npm start` shares for as long.
  for (let first = 0; first < demoCustomers.length; first += SEED_BATCH) {
    await profiles.identifyAll(
      demoCustomers.slice(first, first + SEED_BATCH).flatMap((customer) =>
        customer.identities.map((identity) => ({
          input: {
            channel: identity.channel,
            platformCustomerId: identity.platformCustomerId,
            contact: identity.contact,
            observedAt: identity.observedAt,
            orderReference: `demo-seed:${customer.id}:${identity.channel}`,
          },
          newCustomerId: customer.id,
        })),
      ),
    );
  }
}
