import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { parse } from 'graphql';
import { API_KEY_PATTERN, AUDIT_PATH, RESOLVE_PRINCIPAL_PATH } from '../../kit/api-key-resolver.ts';
import { openDatabase, type Database, type DatabaseOptions } from '../../kit/database.ts';
import { ErrorCode, isPonteError } from '../../kit/errors.ts';
import type { Logger } from '../../kit/logger.ts';
import { migrate } from '../../kit/migrate.ts';
import { isProduction } from '../../kit/mode.ts';
import { createSubgraphServer, type HttpRoute, type SubgraphServer } from '../../kit/subgraph-server.ts';
import { parseAuditBatch } from './audit.ts';
import { createAccessContext, principalFromHeaders, type AccessContext } from './context.ts';
import type { Resolvers } from './generated/resolvers-types.ts';
import type { BootstrapKey } from './keys.ts';
import { ApiKey } from './resolvers/api-key.ts';
import { Mutation } from './resolvers/mutation.ts';
import { Query } from './resolvers/query.ts';

import { Counter, type Registry } from 'prom-client';
import { apiKeyHash } from '../../kit/identity.ts';
import { createMetricsRegistry } from '../../kit/metrics.ts';
export const ACCESS_SDL_PATH = fileURLToPath(new URL('../../schema/access.graphql', import.meta.url));
export const ACCESS_MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));
const resolvers: Resolvers = { Query, Mutation, ApiKey };

export function accessSchema() {
  return buildSubgraphSchema([{ typeDefs: parse(readFileSync(ACCESS_SDL_PATH, 'utf8')), resolvers: resolvers as GraphQLResolverMap<AccessContext> }]);
}

export interface AccessSubgraph {
  db: Database;
  server: SubgraphServer;
  metrics: Registry;
  /** A context as a request with this principal header would get (tests, `executeOperation`). */
  context(headers?: Record<string, string>): AccessContext;
  close(): Promise<void>;
}

export interface AccessSubgraphOptions {
  database: Database | (Omit<DatabaseOptions, 'schema'> & { schema?: string });
  log: Logger;
  gatewaySecret?: string | undefined;
  /**
   * Development keys to register by hash on start (scripts/start.ts, `PONTE_BOOTSTRAP_KEYS`).
   * Ignored in production mode (kit/mode.ts): there, keys are made by an admin only.
   */
  bootstrapKeys?: BootstrapKey[] | undefined;
  /** This instance's metrics; scrapers' keys are checked against this subgraph's own store. @default a new registry (kit/metrics.ts) */
  metrics?: Registry;
}

function bodyOf(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    return undefined;
  }
}

function badRequest(error: unknown): { status: number; body: unknown } {
  if (isPonteError(error)) return { status: 400, body: { error: { code: error.code, message: error.message } } };
  throw error;
}

/**
 * The access subgraph: API keys (stored as hashes) and the audit log, in the `access` schema.
 * Besides /graphql (admin only), two internal routes for Ponte's own services, both behind the
 * gateway secret: resolving a key's hash to a principal, and appending audit entries.
 */
export async function createAccessSubgraph(options: AccessSubgraphOptions): Promise<AccessSubgraph> {
  const log = options.log.child({ subgraph: 'access' });
  const ownsDatabase = !('query' in options.database);
  const db = 'query' in options.database ? options.database : await openDatabase({ schema: 'access', ...options.database });
  await migrate(db, ACCESS_MIGRATIONS);
  const base = createAccessContext({ db, log }, undefined);
  const registry = options.metrics ?? createMetricsRegistry('access');
  const lookups = new Counter({ name: 'ponte_access_key_lookups_total', help: 'Key lookups by the other services (by hash), by outcome: found, or unknown (unknown, revoked or expired).', labelNames: ['outcome'], registers: [registry] });
  const audited = new Counter({ name: 'ponte_access_audit_entries_written_total', help: 'Audit entries appended to the audit log.', registers: [registry] });
  for (const outcome of ['found', 'unknown']) lookups.labels(outcome).inc(0);

  if (options.bootstrapKeys?.length) {
    if (isProduction()) log.warn({ keys: options.bootstrapKeys.length }, 'production mode: bootstrap keys ignored');
    else log.info({ keys: await base.keys.upsertBootstrapKeys(options.bootstrapKeys) }, 'development keys registered');
  }

  const routes: HttpRoute[] = [
    {
      method: 'POST',
      path: RESOLVE_PRINCIPAL_PATH,
      requiresGatewaySecret: true,
      async handle({ rawBody }) {
        const keyHash = (bodyOf(rawBody) as { keyHash?: unknown } | undefined)?.keyHash;
        if (typeof keyHash !== 'string' || !/^[0-9a-f]{64}$/.test(keyHash)) {
          return { status: 400, body: { error: { code: ErrorCode.BAD_USER_INPUT, message: 'body must be {"keyHash": "<SHA-256 hex of the key>"}' } } };
        }
        const found = await base.keys.resolve(keyHash);
        lookups.labels(found ? 'found' : 'unknown').inc();
        if (!found) return { status: 404, body: { error: { code: ErrorCode.UNAUTHENTICATED } } };
        return { status: 200, body: found };
      },
    },
    {
      method: 'POST',
      path: AUDIT_PATH,
      requiresGatewaySecret: true,
      async handle({ rawBody }) {
        let entries;
        try {
          entries = parseAuditBatch(bodyOf(rawBody));
        } catch (error) {
          return badRequest(error);
        }
        const written = await base.audit.append(entries);
        audited.inc(written);
        return { status: 202, body: { written } };
      },
    },
  ];

  const server = await createSubgraphServer({
    name: 'access',
    schema: accessSchema(),
    log,
    gatewaySecret: options.gatewaySecret,
    routes,
    // The key store is here: a scraper's key is looked up in it directly.
    metrics: { registry, authenticate: async (credential) => (API_KEY_PATTERN.test(credential) ? (await base.keys.resolve(apiKeyHash(credential)))?.principal : undefined) },
    context: (headers) => createAccessContext({ db, log }, principalFromHeaders(headers)),
    readiness: async () => {
      await db.query('SELECT 1');
    },
    onClose: async () => {
      if (ownsDatabase) await db.close();
    },
  });
  return {
    db,
    server,
    metrics: registry,
    context: (headers = {}) => createAccessContext({ db, log }, principalFromHeaders({ get: (name) => headers[name.toLowerCase()] })),
    close: () => server.close(),
  };
}
