import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { isProduction } from '../kit/mode.ts';
import { bootstrapKeysOf, devKeySpecs, loadOrCreateDevCredentials, type DevCredential } from '../subgraphs/access/dev-credentials.ts';
import { accessService } from '../subgraphs/access/service.ts';
import { resolveServiceValue, services, type ServiceDefinition } from './services.ts';

/**
 * `npm start`: the whole system on this machine, one process per service as in production,
 * on the embedded database (PGlite under ./data) unless DATABASE_URL is set, with demo data.
 * Ctrl-C stops every service gracefully.
 *
 * Outside production mode it also hands out development API keys (one per caller role, one per
 * platform subgraph), kept in `<data>/dev-credentials.json` so restarts reuse them; the access
 * subgraph learns their hashes, each platform subgraph its own key (PONTE_SERVICE_KEY).
 */
const READINESS_TIMEOUT_MS = 120_000;
const dataDir = process.env.PONTE_DATA_DIR ?? 'data';
const secret = process.env.PONTE_GATEWAY_SECRET || randomBytes(24).toString('base64url');
const running = new Map<string, ChildProcess>();

let stopping = false;
const production = isProduction();
const credentials: DevCredential[] = production ? [] : await loadOrCreateDevCredentials(join(dataDir, 'dev-credentials.json'), devKeySpecs(services));

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

function launch(service: ServiceDefinition): ChildProcess {
  const child = spawn(process.execPath, [service.entry], { env: environmentFor(service), stdio: ['ignore', 'pipe', 'pipe'] });
  // Each service already logs JSON lines; pass them through as they are.
  createInterface({ input: child.stdout! }).on('line', (line) => process.stdout.write(`${line}\n`));
  createInterface({ input: child.stderr! }).on('line', (line) => process.stderr.write(`[${service.name}] ${line}\n`));
  child.on('exit', (code, signal) => {
    running.delete(service.name);
    if (!stopping) {
      console.error(`[ponte] ${service.name} exited (${signal ?? code}); stopping everything`);
      void stopAll(1);
    }
  });
  running.set(service.name, child);
  return child;
}

async function waitUntilReady(service: ServiceDefinition): Promise<void> {
  const deadline = Date.now() + READINESS_TIMEOUT_MS;
  const readiness = `http://127.0.0.1:${service.port}${service.readinessPath ?? '/readiness'}`;
  while (Date.now() < deadline) {
    if (stopping) throw new Error('stopping');
    try {
      if ((await fetch(readiness)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${service.name} was not ready within ${READINESS_TIMEOUT_MS / 1000} s`);
}

async function stopAll(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  // Gateway first, then the subgraphs it calls.
  for (const service of [...services].reverse()) {
    const child = running.get(service.name);
    if (!child) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (running.has(service.name)) child.kill('SIGKILL');
  }
  process.exit(exitCode);
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

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

try {
  const started = new Set<string>();
  let pending = [...services];
  while (pending.length > 0) {
    const wave = pending.filter((service) => service.dependsOn.every((name) => started.has(name)));
    if (wave.length === 0) throw new Error(`Unresolvable service dependencies: ${pending.map((s) => s.name).join(', ')}`);
    for (const service of wave) launch(service);
    await Promise.all(wave.map(waitUntilReady));
    for (const service of wave) started.add(service.name);
    pending = pending.filter((service) => !started.has(service.name));
  }
  const gateway = services.find((service) => service.name === 'gateway')!;
  console.error(
    [
      '',
      `[ponte] ready — gateway: http://localhost:${gateway.port}/graphql (HTTP and graphql-ws)`,
      `[ponte] database: ${process.env.DATABASE_URL ? 'PostgreSQL server (DATABASE_URL)' : `embedded PGlite in ./${dataDir}`}; Ctrl-C to stop`,
      '',
      ...developmentKeysHelp(`http://localhost:${gateway.port}/graphql`),
    ].join('\n'),
  );
} catch (error) {
  console.error(`[ponte] failed to start: ${(error as Error).message}`);
  await stopAll(1);
}
