import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createLogger } from '../kit/logger.ts';
import { runService } from '../kit/run-service.ts';
import { composeSupergraph, ponteSubgraphs } from './compose.ts';
import { createPonteGateway } from './index.ts';
import { apiKeyResolverFromEnv } from '../kit/api-keys-from-env.ts';
import { jwtOptionsFromEnv, useIdentity } from './plugins/use-identity.ts';

/**
 * `npm run gateway -- --supergraph <file> --port <n>` serves any composed Federation 2
 * supergraph. Without --supergraph it composes Ponte's own subgraphs (INVENTORY_URL,
 * CATALOG_URL). Environment: PORT (default 4000), PONTE_GATEWAY_SECRET (sent to subgraphs),
 * PONTE_RESPONSE_CACHE=off, PONTE_QUERY_PLANNER=javascript; credentials: see `apiKeyResolverFromEnv`
 * (API keys) and `jwtOptionsFromEnv` (PONTE_JWT_HS256_SECRET, PONTE_JWT_JWKS_URL, PONTE_JWT_ISSUER,
 * PONTE_JWT_AUDIENCE).
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
  const supergraphSdl = values.supergraph ? readFileSync(values.supergraph, 'utf8') : composeSupergraph(ponteSubgraphs());
  const port = Number(values.port ?? process.env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid port: ${values.port ?? process.env.PORT}`);
  const gateway = createPonteGateway({
    supergraphSdl,
    log,
    identity: useIdentity({ apiKeys: apiKeyResolverFromEnv(log), jwt: jwtOptionsFromEnv(), log }),
    subgraphSecret: process.env.PONTE_GATEWAY_SECRET || undefined,
    planner: process.env.PONTE_QUERY_PLANNER === 'javascript' ? 'javascript' : 'rust',
    responseCache: process.env.PONTE_RESPONSE_CACHE === 'off' ? false : {},
  });
  const url = await gateway.listen(port, values.host);
  log.info({ url, supergraph: values.supergraph ?? 'composed from INVENTORY_URL and CATALOG_URL' }, 'gateway listening');
  return gateway.close;
});
