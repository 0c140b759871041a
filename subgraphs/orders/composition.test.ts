import { describe, expect, it } from 'vitest';
import { composeSupergraph, ponteSubgraphs } from '../../gateway/compose.ts';

/** A customers subgraph as the design for issue 10 describes it: it owns Customer, keyed by id. */
const CUSTOMERS_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@requiresScopes"])
type Customer @key(fields: "id") {
  id: ID! @requiresScopes(scopes: [["customers:read"]])
  displayName: String @requiresScopes(scopes: [["customers:read"]])
}
type Query {
  customer(id: ID!): Customer @requiresScopes(scopes: [["customers:read"]])
}`;

describe('the orders subgraph in the supergraph', () => {
  it('composes with Ponte’s subgraphs, with and without a customers subgraph', () => {
    const without = composeSupergraph(ponteSubgraphs({}));
    expect(without).toContain('orderChanged');
    expect(without).toMatch(/type Customer[^{]*@join__type\(graph: ORDERS, key: "id"\)/);
    const withCustomers = composeSupergraph([...ponteSubgraphs({}), { name: 'customers', url: 'http://127.0.0.1:4004/graphql', sdl: CUSTOMERS_SDL }]);
    expect(withCustomers).toMatch(/type Customer[^{]*@join__type\(graph: CUSTOMERS, key: "id"\)[^{]*@join__type\(graph: ORDERS, key: "id"\)/);
    // The inventory's Reservation is an entity the orders subgraph extends with its order.
    expect(withCustomers).toMatch(/type Reservation[^{]*@join__type\(graph: INVENTORY, key: "id"\)[^{]*@join__type\(graph: ORDERS, key: "id"\)/);
  });
});
