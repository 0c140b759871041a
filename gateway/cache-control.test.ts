import { describe, expect, it } from 'vitest';
import { createLogger } from '../kit/logger.ts';
import { cacheControlTtls, findStockFeed } from './cache-control.ts';
import { composeSupergraph, ponteSubgraphs, type SubgraphDefinition } from './compose.ts';
import { createPonteGateway } from './index.ts';

const federation = (imports: string[]) => `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: [${imports.map((name) => `"${name}"`).join(', ')}])`;

/** A subgraph named like Ponte's inventory that offers no stock feed. */
const inventoryWithoutFeed: SubgraphDefinition = {
  name: 'inventory',
  url: 'http://127.0.0.1:1/graphql',
  sdl: `${federation(['@key'])}
type Product @key(fields: "sku") { sku: ID! totalAvailable: Int! }
type Query { product(sku: ID!): Product }`,
};

/** A new platform subgraph declaring its listing's lifetime next to the field, as ours do. */
const newPlatform: SubgraphDefinition = {
  name: 'magalu',
  url: 'http://127.0.0.1:2/graphql',
  sdl: `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@composeDirective"])
  @link(url: "https://ponte.dev/cache-control/v1.0", import: ["@cacheControl"])
  @composeDirective(name: "@cacheControl")
directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
enum CacheControlScope { PUBLIC PRIVATE }
type Product @key(fields: "sku") { sku: ID! magaluListing: MagaluListing @cacheControl(maxAge: 7) }
type MagaluListing { id: ID! quantity: Int! }
type MagaluSyncStatus @cacheControl(maxAge: 0) { pending: Int! }
type Query { magaluSync: MagaluSyncStatus! }`,
};

/** Every line a logger writes, parsed. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger('test-gateway', 'info', { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { log, lines };
}

describe('the stock feed the caches follow, judged from the supergraph', () => {
  it("is the inventory's Subscription.stockChanged { sku } in Ponte's supergraph", () => {
    const feed = findStockFeed(composeSupergraph(ponteSubgraphs({ INVENTORY_URL: 'http://127.0.0.1:4999/graphql' })));
    expect(feed).toMatchObject({ offered: true, subgraph: 'inventory', url: 'http://127.0.0.1:4999/graphql' });
    expect(findStockFeed(composeSupergraph(ponteSubgraphs({})), 'inventory').offered).toBe(true);
    // Asked for another subgraph's feed, it is not taken from the inventory's.
    expect(findStockFeed(composeSupergraph(ponteSubgraphs({})), 'catalog')).toMatchObject({ offered: false, why: expect.stringContaining('"inventory", not "catalog"') });
  });

  it('is absent from a supergraph whose "inventory" subgraph has no stockChanged subscription', () => {
    expect(findStockFeed(composeSupergraph([inventoryWithoutFeed]), 'inventory')).toEqual({ offered: false, why: 'the supergraph has no Subscription.stockChanged' });
  });

  it('is absent when the event does not carry the SKU the invalidation reads', () => {
    const withoutSku: SubgraphDefinition = {
      ...inventoryWithoutFeed,
      sdl: `${inventoryWithoutFeed.sdl}
type StockEvent { id: ID! onHand: Int! }
type Subscription { stockChanged: StockEvent! }`,
    };
    expect(findStockFeed(composeSupergraph([withoutSku]))).toMatchObject({ offered: false, why: expect.stringContaining('no non-null sku') });
  });

  it('a gateway on a supergraph without the feed runs without a response cache, and logs why', async () => {
    const { log, lines } = capturingLogger();
    const gateway = createPonteGateway({ supergraphSdl: composeSupergraph([inventoryWithoutFeed]), log, identity: false, graphiql: false });
    try {
      expect(gateway.responseCache).toBeUndefined();
      expect(lines.map((line) => line.msg)).toContain('response cache off: the supergraph has no Subscription.stockChanged');
    } finally {
      await gateway.close();
    }
  });
});

describe("cache lifetimes come from the subgraphs' SDL", () => {
  it("reads each platform field's @cacheControl(maxAge:) from Ponte's supergraph, in ms", () => {
    const ttls = cacheControlTtls(composeSupergraph(ponteSubgraphs({})));
    expect(ttls).toMatchObject({
      'Product.shopifyListing': 5000,
      'Product.wooCommerceListing': 5000,
      'Product.mercadoLivreListing': 5000,
      'Product.amazonListing': 5000,
      'Query.shopifyListingSync': 0,
      'Query.shopifyCustomerDataRequests': 0,
      'Query.amazonOrderExceptions': 0,
      // Personal data: never kept by the gateway, whatever field of a customer an answer shows.
      Customer: 0,
      SourcedText: 0,
      'Query.customer': 0,
      'Query.customers': 0,
    });
    // The inventory's and catalog's fields declare none: stock events and the default TTL cover them.
    expect(Object.keys(ttls).filter((coordinate) => /^(Product\.(title|price|stockLevels)|Query\.products?)$/.test(coordinate))).toEqual([]);
  });

  it('a new platform needs no gateway change: its field and type lifetimes are read from its SDL', () => {
    const ttls = cacheControlTtls(composeSupergraph([...ponteSubgraphs({}), newPlatform]));
    expect(ttls['Product.magaluListing']).toBe(7000);
    expect(ttls['MagaluSyncStatus']).toBe(0);
  });
});
