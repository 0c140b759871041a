import type { PGlite, Transaction } from '@electric-sql/pglite';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { workerData, type MessagePort } from 'node:worker_threads';
import type { Client as PgClient, Pool as PgPool, PoolClient as PgPoolClient } from 'pg';
import { checkDatabaseUrl } from './secrets.ts';
import { traced } from './telemetry.ts';
import { openSharedDatabase } from './shared-database.ts';

/**
 * One SQL dialect (PostgreSQL) behind two drivers: PGlite, embedded and file-backed, which is
 * the default so that `npm start` needs no server; and node-postgres when a `DATABASE_URL` is
 * given. Everything above this file writes plain PostgreSQL and never asks which one it got.
 */

export interface SqlClient {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface Database extends SqlClient {
  readonly driver: 'pglite' | 'postgres';
  /** The PostgreSQL schema that holds this service's tables (one schema per subgraph). */
  readonly schema: string;
  /**
   * Runs `work` in one transaction, committed when it resolves and rolled back when it throws.
   * Serialization failures and deadlocks are retried, so callers only see domain errors.
   */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
  /** Subscribes to NOTIFY on `channel`; resolves to a function that unsubscribes. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL server URL; when absent the embedded PGlite is used. */
  url?: string | undefined;
  /**
   * PGlite data directory; absent means in memory (tests).
   * @default undefined
   */
  dataDir?: string | undefined;
  /**
   * A port on the embedded database `npm start` shares among the services it runs as threads
   * (`kit/shared-database.ts`); takes the place of `dataDir`.
   */
  shared?: MessagePort | undefined;
  /** A PGlite data directory dump to start from instead of running initdb (fast test setup). */
  loadDataDir?: Blob | File | undefined;
  /** Schema that holds this service's tables; created when missing. */
  schema: string;
  /** Called for every statement sent; tests count statements with it. */
  onQuery?: ((sql: string) => void) | undefined;
  /** @default 10 */
  poolSize?: number | undefined;
}

const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);
const MAX_TRANSACTION_ATTEMPTS = 5;
const INT8_OID = 20;
const NUMERIC_OID = 1700;

function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE_SQLSTATES.has(code);
}

function assertSchemaName(schema: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Invalid schema name "${schema}"`);
}

/**
 * Where a service keeps its data, from the environment every service shares: the server at
 * `DATABASE_URL`, with at most `DATABASE_POOL_SIZE` connections (default 10: size it so that every
 * replica of every service fits in the server's `max_connections`); else, in a thread `npm start`
 * gave a port on its shared PGlite, that one; else PGlite under `PONTE_DATA_DIR/<service>`
 * (default `data/<service>`).
 */
export function databaseFromEnv(service: string, env: NodeJS.ProcessEnv = process.env): { url: string | undefined; dataDir: string | undefined; shared?: MessagePort; poolSize?: number } {
  const url = env['DATABASE_URL'] || undefined;
  checkDatabaseUrl(env);
  if (url) {
    const poolSize = env['DATABASE_POOL_SIZE'] ? Number(env['DATABASE_POOL_SIZE']) : undefined;
    if (poolSize !== undefined && (!Number.isInteger(poolSize) || poolSize < 1)) throw new Error(`DATABASE_POOL_SIZE must be a whole number of connections, at least 1; got ${env['DATABASE_POOL_SIZE']}`);
    return poolSize === undefined ? { url, dataDir: undefined } : { url, dataDir: undefined, poolSize };
  }
  const shared = (workerData as { ponteDatabase?: MessagePort } | null)?.ponteDatabase;
  if (shared) return { url, dataDir: undefined, shared };
  return { url, dataDir: join(env['PONTE_DATA_DIR'] ?? 'data', service) };
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  assertSchemaName(options.schema);
  if (options.url) return openPostgres(options as DatabaseOptions & { url: string });
  return options.shared ? openSharedDatabase(options.shared, options) : openPglite(options);
}

async function openPglite(options: DatabaseOptions): Promise<Database> {
  const onQuery = options.onQuery;
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  // Imported when used, as is `pg`: a service on `npm start`'s shared PGlite (or on a server) never loads the other driver.
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    // Counts and ids are far below 2^53: plain numbers are what every caller wants.
    parsers: { [INT8_OID]: Number, [NUMERIC_OID]: Number },
    serializers: { [INT8_OID]: (value: unknown) => String(value) },
  });
  // PGlite is a single connection, so a session-level search_path holds for every statement.
  await db.exec(`CREATE SCHEMA IF NOT EXISTS ${options.schema}; SET search_path TO ${options.schema}, public;`);

  const client = (target: PGlite | Transaction): SqlClient => ({
    query<Row>(sql: string, params: readonly unknown[] = []) {
      onQuery?.(sql);
      return traced(options.schema, sql, async () => (await target.query<Row>(sql, params as unknown[])).rows);
    },
    async exec(script) {
      onQuery?.(script);
      await traced(options.schema, script, () => target.exec(script));
    },
  });

  return {
    driver: 'pglite',
    schema: options.schema,
    ...client(db),
    // PGlite runs one transaction at a time (it queues the others), so there is no
    // concurrent writer to conflict with; conditional updates stay correct all the same.
    transaction: (work) => traced(options.schema, undefined, () => db.transaction((tx) => work(client(tx)))),
    async listen(channel, onNotify) {
      const unsubscribe = await db.listen(channel, onNotify);
      return async () => unsubscribe();
    },
    close: () => db.close(),
  };
}

async function openPostgres(options: DatabaseOptions & { url: string }): Promise<Database> {
  const { default: pg } = await import('pg');
  const onQuery = options.onQuery;
  const typeParsers = {
    getTypeParser: ((oid: number, format?: string) =>
      oid === INT8_OID || oid === NUMERIC_OID ? Number : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
  };
  const connectionOptions = {
    connectionString: options.url,
    options: `-c search_path=${options.schema},public`,
    types: typeParsers,
  };
  // Creating the schema first: search_path silently ignores a schema that does not exist.
  const bootstrap = new pg.Client({ connectionString: options.url });
  await bootstrap.connect();
  try {
    await bootstrap.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
  } catch (error) {
    // Two replicas creating the schema at once: the loser sees a unique violation, which is fine.
    if ((error as { code?: string }).code !== '23505') throw error;
  } finally {
    await bootstrap.end();
  }

  const pool = new pg.Pool({ ...connectionOptions, max: options.poolSize ?? 10 });
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => {});

  const run = async <Row>(target: PgPool | PgPoolClient, sql: string, params: readonly unknown[] = []) => {
    onQuery?.(sql);
    return traced(options.schema, sql, async () => (await target.query(sql, params as unknown[])).rows as Row[]);
  };
  const runScript = async (target: PgPool | PgPoolClient, script: string) => {
    onQuery?.(script);
    // Without parameters node-postgres uses the simple protocol, which accepts several statements.
    await traced(options.schema, script, () => target.query(script));
  };

  const listeners = new Set<PgClient>();

  return {
    driver: 'postgres',
    schema: options.schema,
    query: (sql, params) => run(pool, sql, params),
    transaction: (work) => traced(options.schema, undefined, async () => {
      for (let attempt = 1; ; attempt++) {
        const connection = await pool.connect();
        try {
          await connection.query('BEGIN');
          const result = await work({
            query: (sql, params) => run(connection, sql, params),
            exec: (script) => runScript(connection, script),
          });
          await connection.query('COMMIT');
          return result;
        } catch (error) {
          await connection.query('ROLLBACK').catch(() => {});
          if (attempt < MAX_TRANSACTION_ATTEMPTS && isRetryable(error)) continue;
          throw error;
        } finally {
          connection.release();
        }
      }
    }),
    exec: (script) => runScript(pool, script),
    async listen(channel, onNotify) {
      // LISTEN needs a connection of its own for as long as it listens. When that connection
      // drops it is opened again, and the listener is nudged once, since notifications sent
      // meanwhile are lost (the outbox itself is not: the reader catches up from its last id).
      let stopped = false;
      let current: PgClient | undefined;
      let retryDelayMs = 100;
      const connect = async (isRetry = false): Promise<void> => {
        const listener = new pg.Client(connectionOptions);
        listener.on('notification', (message) => {
          if (message.channel === channel) onNotify(message.payload ?? '');
        });
        const reconnect = () => {
          if (stopped || current !== listener) return;
          listeners.delete(listener);
          current = undefined;
          setTimeout(() => void connect(true).then(() => onNotify(''), () => {}), retryDelayMs).unref();
          retryDelayMs = Math.min(retryDelayMs * 2, 5000);
        };
        listener.on('error', reconnect);
        listener.on('end', reconnect);
        current = listener;
        try {
          await listener.connect();
          await listener.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
        } catch (error) {
          // The first connection's failure is the caller's to handle; a retry's, ours.
          if (isRetry) reconnect();
          else current = undefined;
          await listener.end().catch(() => {});
          throw error;
        }
        retryDelayMs = 100;
        listeners.add(listener);
      };
      await connect();
      return async () => {
        stopped = true;
        const listener = current;
        current = undefined;
        if (listener) {
          listeners.delete(listener);
          await listener.end().catch(() => {});
        }
      };
    },
    async close() {
      await Promise.all([...listeners].map((listener) => listener.end().catch(() => {})));
      await pool.end();
    },
  };
}
