import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isProduction } from '../kit/mode.ts';
import { pgliteTemplate } from '../kit/pglite-template.ts';
import { serveSharedPglite, sharedDatabaseThreadData, type SharedPglite } from '../kit/shared-database.ts';
import { bootstrapKeysOf, devKeySpecs, loadOrCreateDevCredentials, type DevCredential } from '../subgraphs/access/dev-credentials.ts';
import { gatewayService } from '../gateway/service.ts';
import { accessService } from '../subgraphs/access/service.ts';
import { createConsoleOutput, outputModeFor } from './console-output.ts';
import { resolveServiceValue, services, type ServiceDefinition } from './services.ts';
import { Supervisor, SupervisorStopped, type SupervisedService } from './supervisor.ts';

/**
 * `npm start`: the whole system on this machine, with demo data, in one process: each service
 * runs its own entry (as production runs it, one per container) in a thread of its own, and
 * every service that owns data has its own schema in one embedded PostgreSQL (a PGlite under
 * ./data/pglite, served to the threads by `kit/shared-database.ts`) unless DATABASE_URL is set.
 * That is under a quarter of the memory of a process and a PGlite per service (README "Performance").
 * A service that exits on its own is restarted with backoff while the rest keep running
 * (`scripts/supervisor.ts`); Ctrl-C stops every service gracefully. Output: human lines on a
 * terminal, JSON lines with `--json` or when piped (`scripts/console-output.ts`).
 *
 * Outside production mode it also hands out development API keys (one per caller role, one per
 * platform subgraph), kept in `<data>/dev-credentials.json` so restarts reuse them; the access
 * subgraph learns their hashes, each platform subgraph its own key (PONTE_SERVICE_KEY).
 */
const dataDir = process.env.PONTE_DATA_DIR ?? 'data';
const secret = process.env.PONTE_GATEWAY_SECRET || randomBytes(24).toString('base64url');
const output = createConsoleOutput(outputModeFor(process.argv.slice(2), process.stdout.isTTY === true));
const production = isProduction();
const credentials: DevCredential[] = production ? [] : await loadOrCreateDevCredentials(join(dataDir, 'dev-credentials.json'), devKeySpecs(services));

/** @default 8 */
const THREAD_YOUNG_GENERATION_MB = 8;
/**
 * A thread's old generation may grow to this; the gateway, whose heap holds the supergraph and
 * its query plans, to twice as much. V8 lets a heap grow before collecting it by a factor that
 * rises with this limit: with the default (a quarter of this machine's memory) up to 4×, so a
 * subgraph with 25 MB live held 60–100 MB after a storefront load; at 256 MB the factor is about
 * 1.4. Each is some ten times what the thread holds live after start (README, "Footprint").
 * @default 256
 */
const THREAD_OLD_GENERATION_MB = 256;

function environmentFor(service: ServiceDefinition): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, [service.portVariable ?? 'PORT']: String(service.port), PONTE_DATA_DIR: dataDir };
  for (const [name, value] of Object.entries(service.env)) env[name] = resolveServiceValue(value, service, () => '127.0.0.1');
  if ('PONTE_GATEWAY_SECRET' in service.env) env.PONTE_GATEWAY_SECRET = secret;
  if (service.name === accessService.name && credentials.length > 0) env.PONTE_BOOTSTRAP_KEYS = JSON.stringify(bootstrapKeysOf(credentials));
  if ('PONTE_SERVICE_KEY' in service.env) {
    const own = credentials.find((credential) => credential.role === 'service' && credential.name === service.name);
    // In production mode the deployment supplies each service's key; npm start leaves it as given.
    env.PONTE_SERVICE_KEY = own?.plaintextKey ?? process.env.PONTE_SERVICE_KEY ?? '';
  }
  return env;
}

/**
 * A service as the supervisor runs it: a thread, on the shared database when it owns data; ready
 * when its readiness endpoint on its fixed port answers.
 */
function supervised(service: ServiceDefinition, database: SharedPglite | undefined): SupervisedService {
  const readiness = `http://127.0.0.1:${service.port}${service.readinessPath ?? '/readiness'}`;
  return {
    name: service.name,
    entry: service.entry,
    env: environmentFor(service),
    dependsOn: service.dependsOn,
    isReady: async () => (await fetch(readiness)).ok,
    isolation: 'thread',
    // V8 gives each thread a young generation of up to 48 MB, kept resident once used: 8 MB
    // collects garbage a little more often and keeps some 10 MB less per service.
    resourceLimits: { maxYoungGenerationSizeMb: THREAD_YOUNG_GENERATION_MB, maxOldGenerationSizeMb: THREAD_OLD_GENERATION_MB * (service.name === gatewayService.name ? 2 : 1) },
    ...(database && service.usesDatabase ? { threadData: sharedDatabaseThreadData(database) } : {}),
  };
}

/**
 * The embedded database every service shares, opened before any of them starts. (Starting them
 * while it opened was tried: initdb, in this thread, then competed with their loading for the
 * machine's two cores and for this thread, and took 7.7 s instead of 5.3.)
 */
async function openSharedDatabase(): Promise<SharedPglite | undefined> {
  if (process.env.DATABASE_URL) return undefined;
  const owners = services.filter((service) => service.usesDatabase);
  const previous = owners.filter((service) => existsSync(join(dataDir, service.name, 'PG_VERSION')));
  const sharedDir = join(dataDir, 'pglite');
  if (previous.length > 0 && !existsSync(sharedDir)) {
    // Before one database was shared, each service had its own under ./data/<service>.
    output.line('npm-start', 'stderr', `./${dataDir} holds one database per service (${previous.map((service) => service.name).join(', ')}), from before they shared ./${sharedDir}: they are not read, and the demo data is loaded afresh. Remove them when you no longer need them.`);
  }
  const startedAt = Date.now();
  output.event({ kind: 'starting', service: 'database' });
  // A new data directory starts as a copy of the cluster `npm install` prepared (scripts/prepare.ts),
  // not with initdb, which took 4–5 s of this thread on the first start.
  const template = existsSync(join(sharedDir, 'PG_VERSION')) ? undefined : await pgliteTemplate();
  const database = await serveSharedPglite({ dataDir: sharedDir, loadDataDir: template });
  output.event({ kind: 'ready', service: 'database', afterMs: Date.now() - startedAt, restarts: 0 });
  return database;
}

function readySummary() {
  const gateway = services.find((service) => service.name === 'gateway')!;
  const gatewayUrl = `http://localhost:${gateway.port}/graphql`;
  return {
    gatewayUrl,
    // The gateway serves GraphiQL on its GraphQL path to a browser, outside production mode.
    graphiqlUrl: production ? undefined : gatewayUrl,
    consoleUrl: `http://localhost:${gateway.port}/console`,
    database: process.env.DATABASE_URL ? 'PostgreSQL server (DATABASE_URL)' : `embedded PGlite in ./${join(dataDir, 'pglite')}, a schema per service`,
    extraLines: developmentKeysHelp(gatewayUrl),
  };
}

/** The development keys, and each caller's first request with its key. */
function developmentKeysHelp(url: string): string[] {
  if (production) return ['[ponte] production mode: no development keys; create them with npm run keys -- create ...', ''];
  const key = (role: string) => credentials.find((credential) => credential.role === role)!.plaintextKey;
  const partner = credentials.find((credential) => credential.role === 'partner')!;
  const curl = (role: string, body: string, extra = '') => `  curl -s ${url} -H 'authorization: Bearer ${key(role)}' -H 'content-type: application/json'${extra} -d '${body}'`;
  return [
    `[ponte] development API keys (kept in ./${join(dataDir, 'dev-credentials.json')}; never use them in production):`,
    ...credentials.filter((credential) => credential.role !== 'service').map((credential) => `  ${credential.role.padEnd(10)} ${credential.plaintextKey}`),
    '',
    '[ponte] storefront: read products and stock',
    curl('storefront', '{"query":"{ products(first: 3) { nodes { sku title totalAvailable } } }"}'),
    `[ponte] partner (${partner.channels?.join(', ')} / ${partner.locations?.join(', ')}): reserve stock for an order`,
    curl('partner', '{"query":"mutation { reserveStock(input: { idempotencyKey: \\"order-1001\\", channel: \\"shopify-br\\", orderReference: \\"1001\\", lines: [{ sku: \\"CAM-BASICA-M\\", quantity: 2 }] }) { reservation { id status } } }"}'),
    '[ponte] internal app: follow stock changes (server-sent events; graphql-ws on the same URL)',
    curl('internal', '{"query":"subscription { stockChanged(skus: [\\"CAM-BASICA-M\\"]) { sku kind level { onHand available } } }"}', " -N -H 'accept: text/event-stream'"),
    '[ponte] operator: read the ledger',
    curl('operator', '{"query":"{ stockMovements(first: 5) { sku delta reason actor occurredAt } }"}'),
    '[ponte] admin: API keys and the audit log (or npm run keys -- list, with the services stopped)',
    curl('admin', '{"query":"{ apiKeys { id name role } auditLog(first: 5) { nodes { occurredAt principalId operationName outcome } } }"}'),
    '',
  ];
}


const database = await openSharedDatabase();
const supervisor = new Supervisor({
  services: services.map((service) => supervised(service, database)),
  onEvent: (event) => output.event(event),
  onLine: (service, stream, line) => output.line(service, stream, line),
});

let exitCode = 0;
const stop = (code: number) => {
  exitCode ||= code;
  void supervisor
    .stop()
    // Closed last, when no service uses it: PGlite checkpoints, so the next start has no WAL to replay.
    .then(() => database?.close())
    .catch((error: unknown) => output.failed(`closing the database: ${(error as Error).message}`))
    .then(() => process.exit(exitCode));
};
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

try {
  await supervisor.start();
  output.ready(readySummary());
} catch (error) {
  if (!(error instanceof SupervisorStopped)) {
    output.failed((error as Error).message);
    stop(1);
  }
}
