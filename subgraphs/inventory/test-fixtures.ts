import type { Database } from '../../kit/database.ts';
import { principalFor } from '../../kit/identity.ts';
import { createLogger } from '../../kit/logger.ts';
import type { Principal } from '../../kit/principal.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { createInventorySubgraph, type InventorySubgraph } from './index.ts';
import type { StockLevelRow } from './models.ts';

/** An inventory subgraph on a fresh database, driven in-process as the gateway would drive it. */
export interface InventoryHarness {
  subgraph: InventorySubgraph;
  testDb: TestDatabase;
  /**
   * Runs an operation through Apollo Server (parsing, validation, resolvers, error formatting),
   * as `principal` (default: a partner named `test-partner`, held to no channel or location).
   */
  execute<Data = Record<string, any>>(query: string, variables?: Record<string, unknown>, principal?: Principal): Promise<{ data?: Data; errors?: Array<{ message: string; extensions?: Record<string, any> }> }>;
  close(): Promise<void>;
}

const TEST_PARTNER = principalFor('partner', { id: 'key:test-partner', name: 'test-partner' });

export async function startInventory(options: { onQuery?: (sql: string) => void; pollIntervalMs?: number } = {}): Promise<InventoryHarness> {
  const testDb = await createTestDatabase('inventory', options);
  const subgraph = await createInventorySubgraph({ database: testDb.db, log: createLogger('test'), relay: { pollIntervalMs: options.pollIntervalMs ?? 100 } });
  return {
    subgraph,
    testDb,
    async execute(query, variables, principal = TEST_PARTNER) {
      const response = await subgraph.server.apollo.executeOperation({ query, variables }, { contextValue: subgraph.context(principal) });
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return response.body.singleResult as never;
    },
    async close() {
      await subgraph.close();
      await testDb.drop();
    },
  };
}

/** Adds a location, a channel fed by the given locations, and SKUs, straight in SQL. */
export async function addFixtures(
  db: Database,
  fixtures: {
    locations?: Array<{ id: string; priority: number }>;
    channel?: { id: string; locations: string[]; backordersAllowed?: boolean; bufferUnits?: number; percentageOfAvailable?: number; maxListedQuantity?: number | null; minListedQuantity?: number };
    skus?: string[];
  },
): Promise<void> {
  for (const location of fixtures.locations ?? []) {
    await db.query(`INSERT INTO locations (id, name, kind, priority) VALUES ($1, $1, 'WAREHOUSE', $2)`, [location.id, location.priority]);
  }
  if (fixtures.channel) {
    const channel = fixtures.channel;
    await db.query(
      `INSERT INTO channels (id, name, kind, backorders_allowed, buffer_units, percentage_of_available, max_listed_quantity, min_listed_quantity)
       VALUES ($1, $1, 'OTHER', $2, $3, $4, $5, $6)`,
      [channel.id, channel.backordersAllowed ?? false, channel.bufferUnits ?? 0, channel.percentageOfAvailable ?? 100, channel.maxListedQuantity ?? null, channel.minListedQuantity ?? 0],
    );
    for (const locationId of channel.locations) {
      await db.query('INSERT INTO channel_locations (channel_id, location_id) VALUES ($1, $2)', [channel.id, locationId]);
    }
  }
  if (fixtures.skus?.length) await db.query('INSERT INTO products (sku) SELECT unnest($1::text[])', [fixtures.skus]);
}

export interface LedgerSnapshot {
  movements: number;
  events: number;
  levels: StockLevelRow[];
}

export async function ledgerSnapshot(db: Database): Promise<LedgerSnapshot> {
  const [counts] = await db.query<{ movements: number; events: number }>(
    'SELECT (SELECT count(*) FROM stock_movements)::int AS movements, (SELECT count(*) FROM stock_events)::int AS events',
  );
  const levels = await db.query<StockLevelRow>(
    `SELECT sku, location_id AS "locationId", on_hand AS "onHand", committed, safety_stock AS "safetyStock", incoming, version
       FROM stock_levels ORDER BY sku, location_id`,
  );
  return { movements: counts!.movements, events: counts!.events, levels };
}

/** Levels that differ from the sum of their ledger rows: must always be empty. */
export async function ledgerImbalances(db: Database): Promise<unknown[]> {
  return db.query(
    `SELECT l.sku, l.location_id, l.on_hand, m.on_hand AS ledger_on_hand, l.committed, m.committed AS ledger_committed
       FROM stock_levels l
       FULL JOIN (SELECT sku, location_id, sum(on_hand_delta)::int AS on_hand, sum(committed_delta)::int AS committed,
                         sum(incoming_delta)::int AS incoming, sum(safety_stock_delta)::int AS safety_stock
                    FROM stock_movements GROUP BY sku, location_id) m USING (sku, location_id)
      WHERE coalesce(l.on_hand, 0) <> coalesce(m.on_hand, 0) OR coalesce(l.committed, 0) <> coalesce(m.committed, 0)
         OR coalesce(l.incoming, 0) <> coalesce(m.incoming, 0) OR coalesce(l.safety_stock, 0) <> coalesce(m.safety_stock, 0)`,
  );
}

/**
 * Puts a level straight in SQL with a matching ledger row, so the ledger still balances: how a
 * test reaches quantities that a million-unit-per-operation API would need a thousand calls for.
 */
export async function seedLevel(
  db: Database,
  sku: string,
  locationId: string,
  level: { onHand?: number; committed?: number; incoming?: number; safetyStock?: number },
): Promise<void> {
  const values = [level.onHand ?? 0, level.committed ?? 0, level.incoming ?? 0, level.safetyStock ?? 0];
  await db.query(
    `INSERT INTO stock_levels (sku, location_id, on_hand, committed, incoming, safety_stock) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (sku, location_id) DO UPDATE SET on_hand = stock_levels.on_hand + $3, committed = stock_levels.committed + $4,
       incoming = stock_levels.incoming + $5, safety_stock = stock_levels.safety_stock + $6`,
    [sku, locationId, ...values],
  );
  await db.query(
    `INSERT INTO stock_movements (kind, sku, location_id, on_hand_delta, committed_delta, incoming_delta, safety_stock_delta, actor, idempotency_key)
     VALUES ('COUNT', $1, $2, $3, $4, $5, $6, 'test-fixture', 'test-fixture')`,
    [sku, locationId, ...values],
  );
}
