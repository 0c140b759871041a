import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { createLogger } from '../../kit/logger.ts';
import { createCatalogSubgraph, type CatalogSubgraph } from './index.ts';
import { seedDemoCatalog } from './seed.ts';

let testDb: TestDatabase;
let catalog: CatalogSubgraph;
let statements = 0;

beforeAll(async () => {
  testDb = await createTestDatabase('catalog', { onQuery: () => statements++ });
  catalog = await createCatalogSubgraph({ database: testDb.db, log: createLogger('test') });
  await seedDemoCatalog(catalog.db);
});
afterAll(async () => {
  await catalog?.close();
  await testDb?.drop();
});

async function execute(query: string, variables?: Record<string, unknown>) {
  const response = await catalog.server.apollo.executeOperation({ query, variables }, { contextValue: catalog.context() });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as { data?: Record<string, any>; errors?: Array<{ extensions?: Record<string, unknown> }> };
}

describe('catalog subgraph', () => {
  it('resolves Product references in one statement, an undescribed stand-in for SKUs it does not know', async () => {
    statements = 0;
    const result = await execute(
      `query($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on Product { sku described title brand parentSku options { name value } price { amountInCents currency } } } }`,
      { representations: [{ __typename: 'Product', sku: 'TEN-CORRIDA-41' }, { __typename: 'Product', sku: 'CAF-MOIDO-500' }, { __typename: 'Product', sku: 'NOPE' }] },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities).toEqual([
      { sku: 'TEN-CORRIDA-41', described: true, title: 'Tênis de Corrida Leve — 41', brand: 'Passo', parentSku: 'TEN-CORRIDA', options: [{ name: 'size', value: '41' }], price: { amountInCents: 34990, currency: 'BRL' } },
      { sku: 'CAF-MOIDO-500', described: true, title: 'Café Torrado e Moído 500g', brand: 'Serra Alta', parentSku: null, options: [], price: { amountInCents: 3290, currency: 'BRL' } },
      { sku: 'NOPE', described: false, title: null, brand: null, parentSku: null, options: [], price: null },
    ]);
    expect(statements).toBe(1);
  });

  it('keeps a cost price per SKU (the demo\'s is 40–60 % of the price), null where unknown', async () => {
    const result = await execute(
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { sku price { amountInCents } costPrice { amountInCents currency } } } }`,
      { representations: [{ __typename: 'Product', sku: 'CAF-MOIDO-500' }, { __typename: 'Product', sku: 'NOPE' }] },
    );
    expect(result.errors).toBeUndefined();
    const [coffee, unknown] = result.data!._entities;
    expect(coffee.costPrice.currency).toBe('BRL');
    expect(coffee.costPrice.amountInCents).toBeGreaterThanOrEqual(Math.round(coffee.price.amountInCents * 0.4));
    expect(coffee.costPrice.amountInCents).toBeLessThanOrEqual(Math.round(coffee.price.amountInCents * 0.6));
    expect(unknown.costPrice).toBeNull();
  });

  it('lists a category and refuses an oversized page', async () => {
    const result = await execute('{ productsInCategory(category: "Mercearia", first: 3) { sku } }');
    expect(result.data!.productsInCategory).toEqual([{ sku: 'CAF-GRAOS-1KG' }, { sku: 'CAF-MOIDO-500' }, { sku: 'CHA-ERVA-MATE' }]);
    const tooMany = await execute('{ productsInCategory(category: "Mercearia", first: 1000) { sku } }');
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
