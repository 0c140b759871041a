/**
 * The whole system as `npm start` runs it — one process per service from `scripts/services.ts` —
 * but on free ports and on a fresh PostgreSQL database of its own, so a bench or a test can SIGKILL
 * one service and start it again. A service named in `replicated` runs as replicas (`inventory`,
 * `inventory#2`, …), each on a free port of its own, behind a round-robin `Balancer` that listens
 * where that service would: every other service and the platforms reach the balancer.
 * Depends only on the service definitions and `resolveServiceValue`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { Balancer } from '../balancer.ts';
import { resolveServiceValue, services, type ServiceDefinition } from '../../../scripts/services.ts';
import { bootstrapKeysOf, devKeySpecs, loadOrCreateDevCredentials, type DevCredential } from '../../../subgraphs/access/dev-credentials.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const READY_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 5_000;

export interface SystemOptions {
  /** PostgreSQL server; a database `storm_<random>` is created on it and dropped by `close()`. */
  serverUrl: string;
  /** Variables for every service (e.g. a smaller DATABASE_POOL_SIZE when many processes share the server). */
  env?: Record<string, string>;
  /** Extra variables per service name (e.g. the Amazon poll interval), then per replica (`amazon#2`); read at each start. */
  extraEnv?: Record<string, Record<string, string>>;
  /** @default warn */
  logLevel?: string;
  /** Services that run as replicas behind a balancer (start each with `start(['inventory', 'inventory#2'])`). */
  replicated?: string[];
}

export interface RunningService {
  /** `inventory`, or `inventory#2` for a second replica. */
  readonly name: string;
  readonly definition: ServiceDefinition;
  /** Where this process listens (a replica's own port, not its balancer's). */
  readonly port: number;
  process: ChildProcess;
  /** Times it was started (1 + restarts). */
  starts: number;
}

/**
 * A port that is free now and that nothing else will be handed meanwhile. The system's ports are
 * chosen before its processes start (each needs the others' addresses), so one picked by binding
 * port 0 could be given to another test's port-0 server before ours listened on it (seen in CI:
 * EADDRINUSE). The kernel hands out port 0 and outgoing connections from its ephemeral range
 * (`ip_local_port_range`), so ours come from just below it.
 */
async function freePort(): Promise<number> {
  const ephemeralStart = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32_768;
  const low = Math.max(1_024, ephemeralStart - 12_000);
  for (;;) {
    const port = low + Math.floor(Math.random() * (ephemeralStart - low));
    if (taken.has(port)) continue;
    const free = await new Promise<boolean>((resolveFree) => {
      const server = createServer();
      server.once('error', () => resolveFree(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(true)));
    });
    if (free) {
      taken.add(port);
      return port;
    }
  }
}
/** Ports handed out by this process, so two systems in one run never share one. */
const taken = new Set<number>();

/** Every port a definition names: each service's own, and each `{service:port}` or bare port in env values. */
function declaredPorts(): number[] {
  const ports = new Set<number>();
  for (const service of services) {
    ports.add(service.port);
    for (const value of Object.values(service.env)) {
      for (const match of value.matchAll(/\{\w+:(\d+)\}/g)) ports.add(Number(match[1]));
      if (/^\d{2,5}$/.test(value)) ports.add(Number(value));
    }
  }
  return [...ports];
}

export class StormSystem {
  readonly database: string;
  readonly databaseUrl: string;
  readonly secret = randomBytes(24).toString('base64url');
  readonly running = new Map<string, RunningService>();
  /** Default port → the free port used instead. */
  readonly #ports = new Map<number, number>();
  readonly #options: SystemOptions;
  #credentials: DevCredential[] = [];
  #dir = '';
  #logs = new Map<string, WriteStream>();
  #admin: pg.Client | undefined;
  readonly #balancers = new Map<string, Balancer>();

  constructor(options: SystemOptions) {
    this.#options = options;
    this.database = `storm_${randomBytes(5).toString('hex')}`;
    const url = new URL(options.serverUrl);
    url.pathname = `/${this.database}`;
    this.databaseUrl = url.toString();
  }

  /** The mapped port of a default one (4101 → the Shopify sandbox's port in this run). */
  port(defaultPort: number): number {
    const port = this.#ports.get(defaultPort);
    if (port === undefined) throw new Error(`no port mapped for ${defaultPort}`);
    return port;
  }

  /** One process's own URL (`inventory#2`: that replica, not the balancer). */
  url(name: string, path = '/graphql'): string {
    return `http://127.0.0.1:${this.running.get(name)!.port}${path}`;
  }

  /** The balancer in front of a replicated service. */
  balancer(service: string): Balancer {
    const balancer = this.#balancers.get(service);
    if (!balancer) throw new Error(`${service} is not replicated`);
    return balancer;
  }

  /** The running replicas of a service, by name (`inventory`, `inventory#2`). */
  replicasOf(service: string): RunningService[] {
    return [...this.running.values()].filter((running) => running.definition.name === service);
  }

  /** Base URL of a sandbox by its default port (4101 Shopify … 4104 Amazon). */
  sandboxUrl(defaultPort: number): string {
    return `http://127.0.0.1:${this.port(defaultPort)}`;
  }

  key(role: string): string {
    return this.#credentials.find((credential) => credential.role === role)!.plaintextKey;
  }

  get logDir(): string {
    return this.#dir;
  }

  /** Creates the database and the credentials; starts nothing. */
  async prepare(): Promise<void> {
    this.#dir = await mkdtemp(join(tmpdir(), 'ponte-storm-'));
    for (const port of declaredPorts()) this.#ports.set(port, await freePort());
    this.#admin = new pg.Client({ connectionString: this.#options.serverUrl });
    await this.#admin.connect();
    await this.#admin.query(`CREATE DATABASE ${this.database}`);
    this.#credentials = await loadOrCreateDevCredentials(join(this.#dir, 'dev-credentials.json'), devKeySpecs(services));
  }

  #mapPorts(value: string): string {
    if (/^\d{2,5}$/.test(value) && this.#ports.has(Number(value))) return String(this.#ports.get(Number(value)));
    return value.replace(/http:\/\/127\.0\.0\.1:(\d+)/g, (whole, port: string) => (this.#ports.has(Number(port)) ? `http://127.0.0.1:${this.#ports.get(Number(port))}` : whole));
  }

  environmentFor(service: ServiceDefinition, port = this.port(service.port), name = service.name): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      [service.portVariable ?? 'PORT']: String(port),
      PONTE_DATA_DIR: join(this.#dir, 'data'),
      DATABASE_URL: this.databaseUrl,
      LOG_LEVEL: this.#options.logLevel ?? 'warn',
      ...this.#options.env,
    };
    for (const [name, value] of Object.entries(service.env)) env[name] = this.#mapPorts(resolveServiceValue(value, service, () => '127.0.0.1'));
    if ('PONTE_GATEWAY_SECRET' in service.env) env['PONTE_GATEWAY_SECRET'] = this.secret;
    if (service.name === 'access') env['PONTE_BOOTSTRAP_KEYS'] = JSON.stringify(bootstrapKeysOf(this.#credentials));
    if ('PONTE_SERVICE_KEY' in service.env) {
      env['PONTE_SERVICE_KEY'] = this.#credentials.find((credential) => credential.role === 'service' && credential.name === service.name)!.plaintextKey;
    }
    Object.assign(env, this.#options.extraEnv?.[service.name]);
    if (name !== service.name) Object.assign(env, this.#options.extraEnv?.[name]);
    return env;
  }

  #spawn(name: string, service: ServiceDefinition, port: number): ChildProcess {
    let log = this.#logs.get(name);
    if (!log) {
      log = createWriteStream(join(this.#dir, `${name}.log`), { flags: 'a' });
      this.#logs.set(name, log);
    }
    // STORM_CPU_PROFILE_DIR: each service writes a V8 CPU profile into its own folder there when it exits (where a storm's CPU goes).
    const profileDir = process.env['STORM_CPU_PROFILE_DIR'];
    const args = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, name.replace('#', '-'))}`, service.entry] : [service.entry];
    const child = spawn(process.execPath, args, { cwd: ROOT, env: this.environmentFor(service, port, name), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
    return child;
  }

  /**
   * Starts the named services (in parallel) and waits until each answers its readiness path.
   * `inventory#2` is a second replica of a service in `replicated`.
   */
  async start(names: string[]): Promise<void> {
    for (const name of names) {
      const base = name.split('#')[0]!;
      const definition = services.find((service) => service.name === base);
      if (!definition) throw new Error(`unknown service ${name}`);
      if (this.running.has(name)) throw new Error(`${name} is already running`);
      const replicated = this.#options.replicated?.includes(base) ?? false;
      if (!replicated && name !== base) throw new Error(`${name}: ${base} is not in \`replicated\``);
      let port = this.port(definition.port);
      if (replicated) {
        if (!this.#balancers.has(base)) {
          const balancer = new Balancer({
            port,
            replicas: () => this.replicasOf(base).filter((replica) => replica.process.exitCode === null && replica.process.signalCode === null).map((replica) => replica.port),
          });
          await balancer.listen();
          this.#balancers.set(base, balancer);
        }
        port = await freePort();
      }
      this.running.set(name, { name, definition, port, process: this.#spawn(name, definition, port), starts: 1 });
    }
    await Promise.all(names.map((name) => this.waitReady(name)));
  }

  async waitReady(name: string, timeoutMs = READY_TIMEOUT_MS): Promise<void> {
    const service = this.running.get(name)!;
    const url = this.url(name, service.definition.readinessPath ?? '/readiness');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (service.process.exitCode !== null) throw new Error(`${name} exited with ${service.process.exitCode} (log: ${join(this.#dir, `${name}.log`)})`);
      try {
        if ((await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${name} not ready after ${timeoutMs} ms (log: ${join(this.#dir, `${name}.log`)})`);
      await new Promise((done) => setTimeout(done, 100));
    }
  }

  /** SIGKILL: no shutdown hook runs, as when the machine or the container dies. */
  async kill(name: string): Promise<void> {
    const service = this.running.get(name)!;
    const exited = new Promise<void>((done) => service.process.once('exit', () => done()));
    service.process.kill('SIGKILL');
    await exited;
  }

  /** Starts a killed service again with the same environment, and waits until it is ready. */
  async restart(name: string): Promise<void> {
    const service = this.running.get(name)!;
    service.process = this.#spawn(name, service.definition, service.port);
    service.starts++;
    await this.waitReady(name);
  }

  /** A client on the run's database (the caller ends it). */
  /**
   * CPU seconds (user + system, from /proc) each named service's current process has used; a
   * restarted service counts its new process only.
   */
  async cpuSeconds(names: readonly string[]): Promise<Record<string, { pid: number; seconds: number }>> {
    const ticksPerSecond = 100;
    const entries = await Promise.all(
      names.map(async (name) => {
        const pid = this.running.get(name)?.process.pid ?? 0;
        const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
        // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return [name, { pid, seconds: (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / ticksPerSecond }] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  async sql(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    await client.connect();
    return client;
  }

  /** Stops every service (SIGTERM, SIGKILL after a grace period), drops the database, removes the logs unless kept. */
  async close(options: { keepLogs?: boolean } = {}): Promise<void> {
    const order = [...this.running.values()].reverse();
    for (const service of order) {
      const child = service.process;
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      const grace = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(grace);
    }
    for (const balancer of this.#balancers.values()) await balancer.close();
    for (const log of this.#logs.values()) log.end();
    if (this.#admin) {
      await this.#admin.query(`DROP DATABASE IF EXISTS ${this.database} WITH (FORCE)`).catch(() => {});
      await this.#admin.end();
    }
    if (!options.keepLogs && this.#dir) await rm(this.#dir, { recursive: true, force: true });
  }
}
