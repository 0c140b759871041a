import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoInventory } from './seed.ts';
import { addFixtures, startInventory, type InventoryHarness } from './test-fixtures.ts';

/** Statements sent while `work` runs: the measure of N+1. */
let statements = 0;
let inventory: InventoryHarness;

beforeAll(async () => {
  // The outbox relay polls in the background; its reads are not the query's.
  inventory = await startInventory({ onQuery: (sql) => void (sql.includes('stock_events') || statements++) });
  await seedDemoInventory(inventory.subgraph.db, inventory.subgraph.service);
  // 120 SKUs in all, so a page of 100 is really 100.
  await addFixtures(inventory.subgraph.db, { skus: Array.from({ length: 70 }, (_, index) => `BULK-${String(index).padStart(3, '0')}`) });
});
afterAll(async () => {
  await inventory?.close();
});

async function countStatements(work: () => Promise<unknown>): Promise<number> {
  statements = 0;
  await work();
  return statements;
}

const STOREFRONT_PAGE = `query($first: Int!) { products(first: $first) { nodes {
  sku totalAvailable
  stockLevels { onHand available location { id name priority } }
  channelAvailability { quantity channel { id name allocationPolicy { bufferUnits locations { id } } } }
} } }`;

describe('batching', () => {
  it('reads a page of 100 products with levels and availability in a bounded number of statements', async () => {
    let page: Record<string, any> | undefined;
    const forTen = await countStatements(async () => {
      expect((await inventory.execute(STOREFRONT_PAGE, { first: 10 })).errors).toBeUndefined();
    });
    const forHundred = await countStatements(async () => {
      page = await inventory.execute(STOREFRONT_PAGE, { first: 100 });
    });
    expect(page!.errors).toBeUndefined();
    expect(page!.data.products.nodes).toHaveLength(100);
    expect(forHundred).toBe(forTen);
    expect(forHundred).toBeLessThanOrEqual(4);
  });

  it('resolves 100 Product references for the gateway in a bounded number of statements', async () => {
    const skus = (await inventory.subgraph.db.query<{ sku: string }>('SELECT sku FROM products ORDER BY sku LIMIT 100')).map((row) => row.sku);
    const query = `query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Product { sku totalAvailable stockLevels { onHand location { id } } channelAvailability { quantity } } } }`;
    let result: Record<string, any> | undefined;
    const count = await countStatements(async () => {
      result = await inventory.execute(query, { representations: [...skus, 'NOT-A-SKU'].map((sku) => ({ __typename: 'Product', sku })) });
    });
    expect(result!.errors).toBeUndefined();
    expect(result!.data._entities).toHaveLength(101);
    expect(result!.data._entities[0].sku).toBe(skus[0]);
    expect(result!.data._entities[100]).toBeNull();
    expect(count).toBeLessThanOrEqual(5);
  });

  it('resolves Location and Channel references by id', async () => {
    const result = await inventory.execute(
      `query($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on Location { id name locationKind: kind } ... on Channel { id channelKind: kind allocationPolicy { percentageOfAvailable maxListedQuantity } } } }`,
      { representations: [{ __typename: 'Location', id: 'loja-rio' }, { __typename: 'Channel', id: 'mercado-livre' }, { __typename: 'Channel', id: 'nope' }] },
    );
    expect(result.data!._entities).toEqual([
      { id: 'loja-rio', name: 'Loja Rio de Janeiro — Ipanema', locationKind: 'STORE' },
      { id: 'mercado-livre', channelKind: 'MERCADO_LIVRE', allocationPolicy: { percentageOfAvailable: 100, maxListedQuantity: 50 } },
      null,
    ]);
  });

  it('resolves Reservation references by id, several in one statement (the orders subgraph links order lines to them)', async () => {
    const reserve = (key: string) => inventory.subgraph.service.reserveStock({ idempotencyKey: key, channel: 'mercado-livre', orderReference: key, lines: [{ sku: 'CAB-USBC', quantity: 1, lineReference: '1' }] }, { name: 'batching-test' });
    const ids = [(await reserve('ref-1')).reservation.id, (await reserve('ref-2')).reservation.id];
    let result: Record<string, any> | undefined;
    const count = await countStatements(async () => {
      result = await inventory.execute(
        `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Reservation { id orderReference status lines { sku quantity } } } }`,
        { representations: [...ids.map((id) => ({ __typename: 'Reservation', id })), { __typename: 'Reservation', id: '999999999' }] },
      );
    });
    expect(result!.data._entities).toEqual([
      { id: ids[0], orderReference: 'ref-1', status: 'OPEN', lines: [{ sku: 'CAB-USBC', quantity: 1 }] },
      { id: ids[1], orderReference: 'ref-2', status: 'OPEN', lines: [{ sku: 'CAB-USBC', quantity: 1 }] },
      null,
    ]);
    expect(count).toBeLessThanOrEqual(2);
  });

  it('pages through products with a cursor', async () => {
    const first = await inventory.execute('{ products(first: 2) { nodes { sku } pageInfo { endCursor hasNextPage } } }');
    const next = await inventory.execute(`{ products(first: 2, after: "${first.data!.products.pageInfo.endCursor}") { nodes { sku } } }`);
    expect(first.data!.products.pageInfo.hasNextPage).toBe(true);
    expect(next.data!.products.nodes[0].sku > first.data!.products.nodes[1].sku).toBe(true);
    const tooMany = await inventory.execute('{ products(first: 5000) { nodes { sku } } }');
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
