import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';

/**
 * Federation 2 composition of Ponte's subgraphs into one supergraph SDL. We use The Guild's
 * MIT-licensed composition (the one Hive Gateway itself uses) rather than @apollo/composition,
 * whose licence (ELv2) restricts offering it as a service; both implement the same spec.
 */

export interface SubgraphDefinition {
  name: string;
  url: string;
  sdl: string;
}

export class CompositionError extends Error {
  readonly errors: readonly string[];

  constructor(errors: readonly string[]) {
    super(`Supergraph composition failed:\n${errors.map((error) => `  - ${error}`).join('\n')}`);
    this.name = 'CompositionError';
    this.errors = errors;
  }
}

export function composeSupergraph(subgraphs: readonly SubgraphDefinition[]): string {
  const result = composeServices(subgraphs.map((subgraph) => ({ name: subgraph.name, url: subgraph.url, typeDefs: parse(subgraph.sdl) })));
  if (result.errors) throw new CompositionError(result.errors.map((error) => error.message));
  return result.supergraphSdl;
}

const schemaFile = (name: string) => fileURLToPath(new URL(`../schema/${name}.graphql`, import.meta.url));

/**
 * Ponte's own subgraphs, with the variable that overrides each one's URL and its default. A
 * platform subgraph's SDL is its own file followed by the platforms' shared types
 * (`schema/platform-common.graphql`), as it serves it (subgraphs/platform-common/schema.ts).
 */
export const PONTE_SUBGRAPHS = [
  { name: 'inventory', urlVariable: 'INVENTORY_URL', defaultPort: 4001 },
  { name: 'catalog', urlVariable: 'CATALOG_URL', defaultPort: 4002 },
  { name: 'access', urlVariable: 'ACCESS_URL', defaultPort: 4003 },
  { name: 'customers', urlVariable: 'CUSTOMERS_URL', defaultPort: 4004 },
  { name: 'orders', urlVariable: 'ORDERS_URL', defaultPort: 4006 },
  { name: 'shopify', urlVariable: 'SHOPIFY_URL', defaultPort: 4011, shared: 'platform-common' },
  { name: 'woocommerce', urlVariable: 'WOOCOMMERCE_URL', defaultPort: 4012, shared: 'platform-common' },
  { name: 'mercadolivre', urlVariable: 'MERCADOLIVRE_URL', defaultPort: 4013, shared: 'platform-common' },
  { name: 'amazon', urlVariable: 'AMAZON_URL', defaultPort: 4014, shared: 'platform-common' },
  { name: 'insights', urlVariable: 'INSIGHTS_URL', defaultPort: 4005 },
] as const;

export function ponteSubgraphs(env: NodeJS.ProcessEnv = process.env): SubgraphDefinition[] {
  return PONTE_SUBGRAPHS.map((subgraph) => ({
    name: subgraph.name,
    url: env[subgraph.urlVariable] || `http://127.0.0.1:${subgraph.defaultPort}/graphql`,
    sdl: [subgraph.name, ...('shared' in subgraph ? [subgraph.shared] : [])].map((file) => readFileSync(schemaFile(file), 'utf8')).join('\n'),
  }));
}
