import type { PGlite } from '@electric-sql/pglite';
import { mkdir } from 'node:fs/promises';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { Database, SqlClient } from './database.ts';
import { traced } from './telemetry.ts';

/**
 * One embedded PostgreSQL (PGlite) shared by every service `npm start` runs as a thread of its
 * process, instead of one PGlite per service: each instance costs some 250 MB resident, the
 * thread that opens it and its share of the process far less.
 *
 * The thread that owns the PGlite serves it over message ports (`serveSharedPglite`); a service's
 * thread opens its `Database` on one (`openSharedDatabase`, chosen by `openDatabase` when
 * `databaseFromEnv` finds the port its thread was given). Each connection is a session of its
 * own in the way a service can tell: its own schema on the search path, and a transaction that
 * holds the database until it ends, so no other session's statement runs inside it. That is
 * what a PostgreSQL server gives every connection, and what a shared PGlite session does not
 * (`@electric-sql/pglite-socket` multiplexes clients onto one session: one client's
 * `search_path` and LISTEN become every client's, and a NOTIFY reaches whichever client happens
 * to run the next statement).
 *
 * Durability: PGlite runs PostgreSQL with fsync off, on files it writes itself. A COMMIT is
 * answered only after PostgreSQL has written its WAL to those files, so a crash of the process
 * (or of any thread in it) loses no committed transaction; a crash of the machine may lose the
 * last ones. A session whose thread ends mid-transaction is rolled back.
 */

/** PGlite's settings for Ponte: plain numbers for int8 and numeric, and a smaller buffer pool. */
export const PGLITE_TYPE_OPTIONS = {
  // Counts and ids are far below 2^53: plain numbers are what every caller wants.
  parsers: { 20: Number, 1700: Number },
  serializers: { 20: (value: unknown) => String(value) },
} as const;

/**
 * PostgreSQL's default 128 MB of shared buffers is touched page by page and stays resident; a
 * development database of a few MB runs as fast on 16 MB and keeps some 110 MB off every PGlite.
 * @default 16MB
 */
export const PGLITE_SHARED_BUFFERS = '16MB';

export function pgliteStartParams(pglite: typeof PGlite, sharedBuffers = PGLITE_SHARED_BUFFERS): string[] {
  return [...(pglite as unknown as { defaultStartParams: string[] }).defaultStartParams, '-c', `shared_buffers=${sharedBuffers}`];
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

type Request =
  | { id: number; kind: 'open'; schema: string }
  | { id: number; kind: 'query'; sql: string; params: unknown[]; tx?: number }
  | { id: number; kind: 'exec'; script: string; tx?: number }
  | { id: number; kind: 'begin' }
  | { id: number; kind: 'commit' | 'rollback'; tx: number }
  | { id: number; kind: 'listen' | 'unlisten'; channel: string };

type Reply = { id: number; ok: true; value?: unknown } | { id: number; ok: false; error: SerializedError } | { notify: string; payload: string };

interface SerializedError {
  name: string;
  message: string;
  fields: Record<string, string | number>;
}

/** What a PostgreSQL error carries besides its message (code, constraint, detail, …), for callers that branch on it. */
function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(error)) if (typeof value === 'string' || typeof value === 'number') fields[key] = value;
  return { name: error.name, message: error.message, fields };
}

function deserializeError(serialized: SerializedError): Error {
  const error = new Error(serialized.message);
  error.name = serialized.name;
  Object.assign(error, serialized.fields);
  return error;
}

export interface SharedPgliteOptions {
  /** PGlite data directory; absent means in memory (tests). */
  dataDir?: string | undefined;
  /** A PGlite data directory dump to start from instead of running initdb (fast test setup). */
  loadDataDir?: Blob | undefined;
  /** @default PGLITE_SHARED_BUFFERS */
  sharedBuffers?: string | undefined;
}

export interface SharedPglite {
  /** A new port for one thread; pass it to the thread (`workerData`, transferred) for `openDatabase` to find. */
  connect(): MessagePort;
  /** Runs one statement as the host (tests and tools: which schemas exist, what a table holds). */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Rolls back open transactions, closes every port and the database. */
  close(): Promise<void>;
}

/** A FIFO lock: the session that holds it is the only one running statements. */
class Turn {
  #tail: Promise<void> = Promise.resolve();

  take(): Promise<() => void> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const granted = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => released);
    return granted;
  }
}

interface Session {
  schema: string | undefined;
  /** The open transaction's id and the release of the turn it holds. */
  transaction: { id: number; release: () => void } | undefined;
  /** Turns asked for and not yet granted, so a session that goes away does not leave them to block others. */
  closed: boolean;
  listeners: Map<string, () => Promise<void>>;
}

export async function serveSharedPglite(options: SharedPgliteOptions = {}): Promise<SharedPglite> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  // Imported here, not with this module: the service threads that open sessions on it never load PGlite.
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    ...PGLITE_TYPE_OPTIONS,
    startParams: pgliteStartParams(PGlite, options.sharedBuffers),
  });
  const turn = new Turn();
  const sessions = new Map<MessagePort, Session>();
  let searchPath: string | undefined;
  let nextTransaction = 1;

  /** Sets the session's schema on the (single) PGlite session when another one's is there. */
  const enter = async (session: Session) => {
    const wanted = session.schema ? `${session.schema}, public` : 'public';
    if (searchPath !== wanted) {
      await db.exec(`SET search_path TO ${wanted}`);
      searchPath = wanted;
    }
  };

  /** Runs `work` in the session's open transaction, or alone between other sessions' statements. */
  const inTurn = async <T>(session: Session, tx: number | undefined, work: () => Promise<T>): Promise<T> => {
    if (tx !== undefined) {
      if (session.transaction?.id !== tx) throw new Error('transaction is not open');
      return work();
    }
    const release = await turn.take();
    try {
      if (session.closed) throw new Error('session closed');
      await enter(session);
      return await work();
    } finally {
      release();
    }
  };

  const endTransaction = async (session: Session, command: 'COMMIT' | 'ROLLBACK') => {
    const open = session.transaction;
    if (!open) return;
    try {
      await db.exec(command);
    } finally {
      session.transaction = undefined;
      open.release();
    }
  };

  const handle = async (session: Session, port: MessagePort, request: Request): Promise<unknown> => {
    switch (request.kind) {
      case 'open': {
        if (!/^[a-z_][a-z0-9_]{0,62}$/.test(request.schema)) throw new Error(`Invalid schema name "${request.schema}"`);
        session.schema = request.schema;
        await inTurn(session, undefined, () => db.exec(`CREATE SCHEMA IF NOT EXISTS ${request.schema}`));
        return undefined;
      }
      case 'query':
        return inTurn(session, request.tx, async () => (await db.query(request.sql, request.params)).rows);
      case 'exec':
        return inTurn(session, request.tx, async () => void (await db.exec(request.script)));
      case 'begin': {
        const release = await turn.take();
        try {
          if (session.closed) throw new Error('session closed');
          await enter(session);
          await db.exec('BEGIN');
        } catch (error) {
          release();
          throw error;
        }
        const id = nextTransaction++;
        session.transaction = { id, release };
        return id;
      }
      case 'commit':
      case 'rollback':
        if (session.transaction?.id !== request.tx) throw new Error('transaction is not open');
        await endTransaction(session, request.kind === 'commit' ? 'COMMIT' : 'ROLLBACK');
        return undefined;
      case 'listen': {
        if (session.listeners.has(request.channel)) return undefined;
        const unlisten = await inTurn(session, undefined, () => db.listen(request.channel, (payload) => port.postMessage({ notify: request.channel, payload } satisfies Reply)));
        session.listeners.set(request.channel, unlisten);
        return undefined;
      }
      case 'unlisten': {
        const unlisten = session.listeners.get(request.channel);
        session.listeners.delete(request.channel);
        if (unlisten) await inTurn(session, undefined, unlisten);
        return undefined;
      }
    }
  };

  const closeSession = async (session: Session) => {
    if (session.closed) return;
    session.closed = true;
    // A thread that ended mid-transaction: what it did is undone and the others may go on.
    if (session.transaction) await endTransaction(session, 'ROLLBACK').catch(() => {});
    for (const unlisten of session.listeners.values()) await inTurn({ ...session, closed: false }, undefined, unlisten).catch(() => {});
    session.listeners.clear();
  };

  const serve = (port: MessagePort) => {
    const session: Session = { schema: undefined, transaction: undefined, closed: false, listeners: new Map() };
    sessions.set(port, session);
    port.on('message', (message: Request | { kind: 'session'; port: MessagePort }) => {
      // A thread opens one session per database it opens, each on a port of its own.
      if (message.kind === 'session') return serve(message.port);
      handle(session, port, message).then(
        (value) => port.postMessage({ id: message.id, ok: true, value } satisfies Reply),
        (error: unknown) => port.postMessage({ id: message.id, ok: false, error: serializeError(error) } satisfies Reply),
      );
    });
    port.once('close', () => {
      sessions.delete(port);
      void closeSession(session);
    });
  };

  return {
    connect() {
      const { port1, port2 } = new MessageChannel();
      serve(port1);
      return port2;
    },
    async query<Row>(sql: string, params: unknown[] = []) {
      const release = await turn.take();
      try {
        return (await db.query<Row>(sql, params)).rows;
      } finally {
        release();
      }
    },
    async close() {
      const open = [...sessions];
      sessions.clear();
      await Promise.all(open.map(([port, session]) => (port.close(), closeSession(session))));
      const release = await turn.take();
      try {
        if (db.isInTransaction()) await db.exec('ROLLBACK');
        await db.close();
      } finally {
        release();
      }
    },
  };
}

/**
 * What a thread is given to reach the shared database (`workerData.ponteDatabase`, where
 * `databaseFromEnv` looks): a port of its own, made afresh for every run of the thread.
 */
export function sharedDatabaseThreadData(host: SharedPglite): () => { data: { ponteDatabase: MessagePort }; transfer: MessagePort[] } {
  return () => {
    const port = host.connect();
    return { data: { ponteDatabase: port }, transfer: [port] };
  };
}

/** The `Database` of a service whose thread was given a port on the shared PGlite. */
export async function openSharedDatabase(host: MessagePort, options: { schema: string; onQuery?: ((sql: string) => void) | undefined }): Promise<Database> {
  const { port1: port, port2 } = new MessageChannel();
  host.postMessage({ kind: 'session', port: port2 }, [port2]);
  // The host port only opens sessions: it must not keep the thread alive once the service closes.
  host.unref();
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const listeners = new Map<string, (payload: string) => void>();
  let nextId = 1;
  let closed = false;
  port.on('message', (reply: Reply) => {
    if ('notify' in reply) return listeners.get(reply.notify)?.(reply.payload);
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if (pending.size === 0 && listeners.size === 0) port.unref();
    if (reply.ok) waiting?.resolve(reply.value);
    else waiting?.reject(deserializeError(reply.error));
  });
  port.once('close', () => {
    for (const waiting of pending.values()) waiting.reject(new Error('the shared database closed'));
    pending.clear();
  });
  const call = <T>(request: DistributiveOmit<Request, 'id'>): Promise<T> => {
    if (closed) return Promise.reject(new Error('database closed'));
    const id = nextId++;
    port.ref();
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      port.postMessage({ ...request, id });
    });
  };
  const client = (tx?: number): SqlClient => ({
    query<Row>(sql: string, params: readonly unknown[] = []) {
      options.onQuery?.(sql);
      return traced(options.schema, sql, () => call<Row[]>({ kind: 'query', sql, params: [...params], ...(tx === undefined ? {} : { tx }) }));
    },
    exec(script: string) {
      options.onQuery?.(script);
      return traced(options.schema, script, () => call<void>({ kind: 'exec', script, ...(tx === undefined ? {} : { tx }) }));
    },
  });

  await call({ kind: 'open', schema: options.schema });
  return {
    driver: 'pglite',
    schema: options.schema,
    ...client(),
    transaction: (work) => traced(options.schema, undefined, async () => {
      const tx = await call<number>({ kind: 'begin' });
      let result;
      try {
        result = await work(client(tx));
      } catch (error) {
        await call({ kind: 'rollback', tx }).catch(() => {});
        throw error;
      }
      await call({ kind: 'commit', tx });
      return result;
    }),
    async listen(channel, onNotify) {
      listeners.set(channel, onNotify);
      await call({ kind: 'listen', channel });
      return async () => {
        listeners.delete(channel);
        await call({ kind: 'unlisten', channel });
      };
    },
    async close() {
      if (closed) return;
      await Promise.all([...listeners.keys()].map((channel) => call({ kind: 'unlisten', channel }).catch(() => {})));
      listeners.clear();
      closed = true;
      port.close();
    },
  };
}
