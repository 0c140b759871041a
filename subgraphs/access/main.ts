import { databaseFromEnv } from '../../kit/database.ts';
import { createLogger } from '../../kit/logger.ts';
import { runService } from '../../kit/run-service.ts';
import { gatewaySecretFromEnv } from '../../kit/secrets.ts';
import { createAccessSubgraph } from './index.ts';
import type { BootstrapKey } from './keys.ts';
import { ACCESS_PORT } from './service.ts';

/**
 * Listens for the access subgraph. Environment: PORT (default 4003), DATABASE_URL or
 * PONTE_DATA_DIR (data in `access`), PONTE_GATEWAY_SECRET (required in production mode: the
 * internal routes hand out principals), PONTE_BOOTSTRAP_KEYS (development only, JSON list of
 * {name, role, channels, locations, keyHash, displayPrefix}; ignored in production mode).
 */
const log = createLogger('access');
await runService(log, async () => {
  // Required in production mode (kit/secrets.ts): the internal routes hand out principals.
  const gatewaySecret = gatewaySecretFromEnv();
  const bootstrapKeys = process.env.PONTE_BOOTSTRAP_KEYS ? (JSON.parse(process.env.PONTE_BOOTSTRAP_KEYS) as BootstrapKey[]) : undefined;
  const subgraph = await createAccessSubgraph({ database: databaseFromEnv('access'), log, gatewaySecret, bootstrapKeys });
  const url = await subgraph.server.listen(Number(process.env.PORT ?? ACCESS_PORT));
  log.info({ url, driver: subgraph.db.driver }, 'access subgraph listening');
  return subgraph.close;
});
