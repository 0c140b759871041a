import { describe, expect, it } from 'vitest';
import { CompositionError, composeSupergraph, ponteSubgraphs } from './compose.ts';

describe('supergraph composition', () => {
  it("composes Ponte's subgraphs with Federation 2", () => {
    const supergraph = composeSupergraph(ponteSubgraphs({ INVENTORY_URL: 'http://inventory/graphql', CATALOG_URL: 'http://catalog/graphql' }));
    expect(supergraph).toContain('@join__graph(name: "inventory", url: "http://inventory/graphql")');
    expect(supergraph).toContain('@join__type(graph: CATALOG, key: "sku")');
    // The access subgraph's admin-only fields keep their authorization directives for the gateway.
    expect(supergraph).toMatch(/apiKeys\(includeRevoked: Boolean = false\): \[ApiKey!\]! @cacheControl\(maxAge: 0\) @join__field\(graph: ACCESS\) @authenticated @requiresScopes\(scopes: \[\["admin"\]\]\)/);
    expect(supergraph).toMatch(/type Subscription[^{]*\{\s*"""[^"]*"""\s*stockChanged/);
  });

  it('fails with every error listed when subgraphs disagree', () => {
    const broken = ponteSubgraphs().map((subgraph) =>
      subgraph.name === 'catalog' ? { ...subgraph, sdl: subgraph.sdl.replace('sku: ID!', 'sku: Int!') } : subgraph,
    );
    expect(() => composeSupergraph(broken)).toThrow(CompositionError);
    try {
      composeSupergraph(broken);
    } catch (error) {
      expect((error as CompositionError).errors.join('\n')).toMatch(/Product\.sku/);
    }
  });
});
