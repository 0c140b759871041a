import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Kind, parse, type ObjectTypeDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { principalFor, staticApiKeyResolver } from '../kit/identity.ts';
import { createLogger } from '../kit/logger.ts';
import { composeSupergraph, ponteSubgraphs } from './compose.ts';
import { createPonteGateway, type PonteGateway } from './index.ts';
import { useIdentity } from './plugins/use-identity.ts';

/**
 * Authorization is declared in the SDL with the federation directives and enforced by the gateway
 * runtime's `genericAuth`: these prove that the directives survive The Guild's composition and
 * are honoured with Hive Router's planner (and the JavaScript one) before any subgraph is called.
 */
describe('authorization declared in the SDL', () => {
  it('covers every field of the composed supergraph with @requiresScopes', () => {
    const supergraph = parse(composeSupergraph(ponteSubgraphs()));
    const uncovered: string[] = [];
    for (const definition of supergraph.definitions) {
      if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION || /^(join|link)__/.test(definition.name.value)) continue;
      const type = definition as ObjectTypeDefinitionNode;
      const typeScoped = type.directives?.some((directive) => directive.name.value === 'requiresScopes');
      for (const field of type.fields ?? []) {
        if (!typeScoped && !field.directives?.some((directive) => directive.name.value === 'requiresScopes')) uncovered.push(`${type.name.value}.${field.name.value}`);
      }
    }
    expect(uncovered).toEqual([]);
  });

  describe.each(['rust', 'javascript'] as const)('enforced by the gateway (%s planner)', (planner) => {
    const SDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@requiresScopes", "@authenticated"])
      type Query { shelf: String @requiresScopes(scopes: [["stock:read"]]) me: String @authenticated }
      type Mutation { restock: String @requiresScopes(scopes: [["stock:write"]]) }`;
    const keys = {
      storefront: principalFor('storefront', { id: 'key:storefront', name: 'storefront' }),
      partner: principalFor('partner', { id: 'key:partner', name: 'partner' }),
    };
    let subgraphCalls = 0;
    let subgraph: Server;
    let gateway: PonteGateway;
    let url: string;

    beforeAll(async () => {
      subgraph = createServer((req, res) => {
        subgraphCalls += 1;
        req.resume().on('end', () => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ data: { shelf: 'full', me: 'you', restock: 'done' } }));
        });
      });
      await new Promise<void>((resolve) => subgraph.listen(0, '127.0.0.1', resolve));
      const log = createLogger('test');
      const supergraphSdl = composeSupergraph([{ name: 'shop', url: `http://127.0.0.1:${(subgraph.address() as AddressInfo).port}/graphql`, sdl: SDL }]);
      gateway = createPonteGateway({ supergraphSdl, log, planner, responseCache: false, identity: useIdentity({ apiKeys: staticApiKeyResolver(keys), log }) });
      url = await gateway.listen(0, '127.0.0.1');
    });
    afterAll(async () => {
      await gateway?.close();
      await new Promise((resolve) => subgraph?.close(resolve));
    });

    const post = async (query: string, key?: string) => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) }, body: JSON.stringify({ query }) });
      return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> } };
    };

    it('refuses anonymous callers with 401 UNAUTHENTICATED before calling the subgraph', async () => {
      const before = subgraphCalls;
      for (const query of ['{ shelf }', '{ me }', 'mutation { restock }']) {
        const { status, body } = await post(query);
        expect(status).toBe(401);
        expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      }
      expect(subgraphCalls).toBe(before);
    });

    it('refuses a principal without the scope with 403 FORBIDDEN and runs nothing of the operation', async () => {
      const before = subgraphCalls;
      const { status, body } = await post('mutation { restock }', 'storefront');
      expect(status).toBe(403);
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const allowed = await post('{ shelf me }', 'storefront');
      expect(allowed.status).toBe(200);
      expect(subgraphCalls).toBeGreaterThan(before);
    });

    it('lets a principal with the scope through, and refuses an unknown key with 401', async () => {
      const before = subgraphCalls;
      expect((await post('mutation { restock }', 'partner')).status).toBe(200);
      expect(subgraphCalls).toBe(before + 1);
      const unknown = await post('{ shelf }', 'no-such-key');
      expect(unknown.status).toBe(401);
      expect(unknown.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });
  });
});
