import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createLogger } from '../kit/logger.ts';
import { runService } from '../kit/run-service.ts';
import { composeSupergraph, ponteSubgraphs } from './compose.ts';
import { createPonteGateway } from './index.ts';
import { gatewaySecretFromEnv } from '../kit/secrets.ts';
import { boundAddress } from '../kit/graceful-close.ts';

/**
 * `npm run gateway -- --supergraph <file> --port <n>` serves any composed Federation 2
 * supergraph. Without --supergraph it composes Ponte's own six subgraphs (INVENTORY_URL,
 * CATALOG_URL, SHOPIFY_URL, WOOCOMMERCE_URL, MERCADOLIVRE_URL, AMAZON_URL). Environment: PORT (default 4000), PONTE_GATEWAY_SECRET (sent to subgraphs),
 * PONTE_RESPONSE_CACHE=off, PONTE_QUERY_PLANNER=javascript.
 */
const { values } = parseArgs({
  options: {
    supergraph: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string', default: '0.0.0.0' },
  },
});

const log = createLogger('gateway');
await runService(log, async () => {
  const composed = values.supergraph ? undefined : ponteSubgraphs();
  const supergraphSdl = values.supergraph ? readFileSync(values.supergraph, 'utf8') : composeSupergraph(composed!);
  const port = Number(values.port ?? process.env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid port: ${values.port ?? process.env.PORT}`);
  const gateway = createPonteGateway({
    supergraphSdl,
    log,
    subgraphSecret: gatewaySecretFromEnv(),
    planner: process.env.PONTE_QUERY_PLANNER === 'javascript' ? 'javascript' : 'rust',
    responseCache: process.env.PONTE_RESPONSE_CACHE === 'off' ? false : {},
  });
  const url = await gateway.listen(port, values.host);
  // Name what is served: the supergraph file, or every subgraph composed and the URL it is called at.
  const supergraph = composed ? { subgraphs: Object.fromEntries(composed.map(({ name, url }) => [name, url])) } : { supergraph: values.supergraph };
  log.info({ url, boundTo: boundAddress(gateway.httpServer), ...supergraph }, 'gateway listening');
  return gateway.close;
});
