import { readFileSync } from 'node:fs';
import { createLogger } from '../../kit/logger.ts';
import { parseDataKeys, Sealer } from '../../kit/sealed.ts';
import { BlindIndex } from '../../subgraphs/customers/blind-index.ts';
import { createCustomersSubgraph, CUSTOMERS_SDL_PATH, type CustomersSubgraph } from '../../subgraphs/customers/index.ts';
import { createTestDatabase } from './database.ts';
import type { ExtraSubgraph } from './ponte.ts';

/** The keys the customers subgraph seals and indexes with in tests (not the published development ones). */
export const TEST_CUSTOMER_DATA_KEYS = 'test:' + Buffer.alloc(32, 7).toString('base64');
export const TEST_BLIND_INDEX_KEY = 'a-test-blind-index-key-of-at-least-32-characters';

/**
 * The customers subgraph as an extra subgraph of `startPonte` (`extraSubgraphs: [customers.extra]`),
 * on a database of its own (dropped on close); `customers.subgraph` once started.
 */
export function customersExtraSubgraph(): { extra: ExtraSubgraph; readonly subgraph: CustomersSubgraph } {
  let started: CustomersSubgraph | undefined;
  return {
    extra: {
      name: 'customers',
      sdl: readFileSync(CUSTOMERS_SDL_PATH, 'utf8'),
      async start({ gatewaySecret, apiKeys }) {
        const database = await createTestDatabase('customers');
        started = await createCustomersSubgraph({
          database: database.db,
          log: createLogger('test'),
          sealer: new Sealer(parseDataKeys(TEST_CUSTOMER_DATA_KEYS)),
          blindIndex: new BlindIndex(TEST_BLIND_INDEX_KEY),
          gatewaySecret,
          apiKeys,
        });
        const subgraph = started;
        return {
          url: await subgraph.server.listen(0, '127.0.0.1'),
          async close() {
            await subgraph.close();
            await database.drop();
          },
        };
      },
    },
    get subgraph() {
      if (!started) throw new Error('the customers subgraph is not started yet');
      return started;
    },
  };
}
