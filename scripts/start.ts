import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { resolveServiceValue, services, type ServiceDefinition } from './services.ts';

/**
 * `npm start`: the whole system on this machine, one process per service as in production,
 * on the embedded database (PGlite under ./data) unless DATABASE_URL is set, with demo data.
 * Ctrl-C stops every service gracefully.
 */
const READINESS_TIMEOUT_MS = 120_000;
const dataDir = process.env.PONTE_DATA_DIR ?? 'data';
const secret = process.env.PONTE_GATEWAY_SECRET || randomBytes(24).toString('base64url');
const running = new Map<string, ChildProcess>();

/**
 * Development credentials, fresh on every run and printed when ready: one API key per role for
 * the gateway, and one service key per platform subgraph for its calls to the inventory. Held in
 * memory by the gateway and the inventory (`PONTE_DEV_API_KEYS`, refused in production, where
 * keys live in the access service).
 */
const PLATFORM_SERVICES = ['shopify', 'woocommerce', 'mercadolivre', 'amazon'];
const CALLER_ROLES = ['storefront', 'internal', 'partner', 'operator', 'admin'];
const devKey = (label: string) => `ponte_dev_${label}_${randomBytes(18).toString('base64url')}`;
const roleKeys = Object.fromEntries(CALLER_ROLES.map((role) => [role, devKey(role)]));
const serviceKeys = Object.fromEntries(PLATFORM_SERVICES.map((platform) => [platform, devKey(platform)]));
const devApiKeys = JSON.stringify({
  ...Object.fromEntries(CALLER_ROLES.map((role) => [roleKeys[role], role])),
  ...Object.fromEntries(PLATFORM_SERVICES.map((platform) => [serviceKeys[platform], { role: 'service', name: platform }])),
});
let stopping = false;

function environmentFor(service: ServiceDefinition): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, [service.portVariable ?? 'PORT']: String(service.port), PONTE_DATA_DIR: dataDir };
  for (const [name, value] of Object.entries(service.env)) env[name] = resolveServiceValue(value, service, () => '127.0.0.1');
  if ('PONTE_GATEWAY_SECRET' in service.env) env.PONTE_GATEWAY_SECRET = secret;
  if ((service.name === 'gateway' || service.name === 'inventory') && !env.ACCESS_URL) env.PONTE_DEV_API_KEYS = devApiKeys;
  if (PLATFORM_SERVICES.includes(service.name)) env.PONTE_SERVICE_KEY = serviceKeys[service.name];
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
      '[ponte] development API keys for this run (send as Authorization: Bearer <key>):',
      ...CALLER_ROLES.map((role) => `[ponte]   ${role.padEnd(10)} ${roleKeys[role]}`),
      '',
    ].join('\n'),
  );
} catch (error) {
  console.error(`[ponte] failed to start: ${(error as Error).message}`);
  await stopAll(1);
}
