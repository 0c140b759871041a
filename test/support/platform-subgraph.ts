import type { Database } from '../../kit/database.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import type { ExtraSubgraph } from './ponte.ts';

type PonteWiring = Parameters<ExtraSubgraph['start']>[0];

/** What a platform subgraph needs to run beside a test's Ponte. */
interface PlatformServer {
  server: { listen(port: number, host: string): Promise<string> };
  close(): Promise<void>;
}

/**
 * A platform subgraph started beside the test's Ponte (an `extraSubgraphs` entry): a test database
 * of its own, the subgraph `create` builds from what Ponte hands it, listening on a free port.
 * `started` sees it before the gateway composes (keep a handle, register webhooks at its URL);
 * closing Ponte closes it and drops its database.
 */
export function platformSubgraph<Subgraph extends PlatformServer>(options: {
  name: string;
  sdl: string;
  /** The test database's name (a prefix: each test database is unique). */
  database: string;
  create(wiring: PonteWiring & { database: Database }): Promise<Subgraph>;
  started?(started: { subgraph: Subgraph; database: TestDatabase; url: string }): void | Promise<void>;
}): ExtraSubgraph {
  return {
    name: options.name,
    sdl: options.sdl,
    async start(wiring) {
      const database = await createTestDatabase(options.database);
      const subgraph = await options.create({ ...wiring, database: database.db });
      const url = await subgraph.server.listen(0, '127.0.0.1');
      await options.started?.({ subgraph, database, url });
      return {
        url,
        async close() {
          await subgraph.close();
          await database.drop();
        },
      };
    },
  };
}
