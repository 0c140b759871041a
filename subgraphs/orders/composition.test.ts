import { describe, expect, it } from 'vitest';
import { composeSupergraph, ponteSubgraphs } from '../../gateway/compose.ts';

describe('the orders subgraph in the supergraph', () => {
  it('composes with Ponte’s subgraphs, with and without a customers subgraph', () => {
    // A deployment may run without the customers subgraph: the orders subgraph still resolves Customer ids.
    const without = composeSupergraph(ponteSubgraphs({}).filter((subgraph) => subgraph.name !== 'customers'));
    expect(without).toContain('orderChanged');
    expect(without).toMatch(/type Customer[^{]*@join__type\(graph: ORDERS, key: "id"\)/);
    const withCustomers = composeSupergraph(ponteSubgraphs({}));
    expect(withCustomers).toMatch(/type Customer[^{]*@join__type\(graph: CUSTOMERS, key: "id"\)[^{]*@join__type\(graph: ORDERS, key: "id"\)/);
    // The inventory's Reservation is an entity the orders subgraph extends with its order.
    expect(withCustomers).toMatch(/type Reservation[^{]*@join__type\(graph: INVENTORY, key: "id"\)[^{]*@join__type\(graph: ORDERS, key: "id"\)/);
  });
});
