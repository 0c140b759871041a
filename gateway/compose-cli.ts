import { writeFileSync } from 'node:fs';
import { CompositionError, composeSupergraph, ponteSubgraphs } from './compose.ts';

/**
 * `npm run compose -- [output]`: writes Ponte's supergraph (default `supergraph.graphql`), with
 * subgraph URLs from INVENTORY_URL and CATALOG_URL. Exits 1 with every composition error listed.
 */
const output = process.argv[2] ?? 'supergraph.graphql';
try {
  writeFileSync(output, composeSupergraph(ponteSubgraphs()));
  console.log(`Supergraph written to ${output}`);
} catch (error) {
  console.error(error instanceof CompositionError ? error.message : error);
  process.exit(1);
}
