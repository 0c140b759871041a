import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createLogger } from '../kit/logger.ts';
import { listenHost } from '../kit/mode.ts';
import { runService } from '../kit/run-service.ts';
import { composeSupergraph, ponteSubgraphs } from './compose.ts';
import { createPonteGateway } from './index.ts';
import { gatewaySecretFromEnv } from '../kit/secrets.ts';

/**
 * `npm run gateway -- --supergraph <file> --port <n>` serves any composed Federation 2
 * supergraph. Without --supergraph it composes Ponte's own subgraphs (INVENTORY_URL,
 * CATALOG_URL). Environment: PORT (default 4000), HOST or --host (default 127.0.0.1), PONTE_GATEWAY_SECRET (sent to subgraphs),
 * PONTE_RESPONSE_CACHE=off, PONTE_QUERY_PLANNER=javascript.
 */
const { values } = parseArgs({
  options: {
    supergraph: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
  },
});

const log = createLogger('gateway');
await runService(log, async () => {
  const supergraphSdl = values.supergraph ? readFileSync(values.supergraph, 'utf8') : composeSupergraph(ponteSubgraphs());
  const port = Number(values.port ?? process.env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid port: ${values.port ?? process.env.PORT}`);
  const gateway = createPonteGateway({
    supergraphSdl,
    log,
    subgraphSecret: gatewaySecretFromEnv(),
    planner: process.env.PONTE_QUERY_PLANNER === 'javascript' ? 'javascript' : 'rust',
    responseCache: process.env.PONTE_RESPONSE_CACHE === 'off' ? false : {},
  });
  const url = await gateway.listen(port, values.host ?? listenHost());
  log.info({ url, supergraph: values.supergraph ?? 'composed from INVENTORY_URL and CATALOG_URL' }, 'gateway listening');
  return gateway.close;
});
