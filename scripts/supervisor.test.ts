import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventuallyDefined } from '../test/support/eventually.ts';
import { restartDelayMs, ServiceGaveUp, Supervisor, type SupervisedService, type SupervisorEvent } from './supervisor.ts';

/**
 * The supervisor with small fake services: each is an HTTP server on port 0 that writes its port
 * to `<dir>/<name>-<pid>.port` once listening, and exits at once, as if crashing, while a file
 * `<dir>/<name>.crash` exists. No real service and no fixed port is involved.
 */
const FAKE_SERVICE = `
import { createServer } from 'node:http';
import { existsSync, writeFileSync } from 'node:fs';
import { isMainThread, threadId } from 'node:worker_threads';
// A service run as a thread is known by its thread id, as one run as a process is by its pid.
const id = isMainThread ? process.pid : threadId;
const [dir, name] = [process.env.FAKE_DIR, process.env.FAKE_NAME];
if (existsSync(dir + '/' + name + '.crash')) { console.error('cannot start: told to crash'); process.exit(3); }
const server = createServer((req, res) => {
  // Thrown outside any handler: an uncaught error, the way a service crashes.
  if (req.url === '/crash') setImmediate(() => { throw new Error('told to crash'); });
  res.end(JSON.stringify({ name, pid: id }));
});
server.listen(0, '127.0.0.1', () => {
  writeFileSync(dir + '/' + name + '-' + id + '.port', String(server.address().port));
  console.log(JSON.stringify({ level: 30, service: name, msg: 'listening' }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

let dir: string;
let supervisor: Supervisor | undefined;
afterEach(async () => {
  await supervisor?.stop();
  supervisor = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const portFile = (name: string, pid: number) => join(dir, `${name}-${pid}.port`);
async function answers(name: string, pid: number): Promise<boolean> {
  if (!existsSync(portFile(name, pid))) return false;
  const response = await fetch(`http://127.0.0.1:${readFileSync(portFile(name, pid), 'utf8')}/`);
  return response.ok && ((await response.json()) as { pid: number }).pid === pid;
}

function fakes(...specs: Array<[name: string, dependsOn: string[], isolation?: 'process' | 'thread']>): SupervisedService[] {
  dir = mkdtempSync(join(tmpdir(), 'ponte-supervisor-'));
  const entry = join(dir, 'fake-service.mjs');
  writeFileSync(entry, FAKE_SERVICE);
  return specs.map(([name, dependsOn, isolation]) => ({
    name,
    entry,
    env: { ...process.env, FAKE_DIR: dir, FAKE_NAME: name },
    dependsOn,
    isReady: (pid) => answers(name, pid),
    ...(isolation ? { isolation } : {}),
  }));
}

/** Waits for an event to have happened. */
function happened(events: SupervisorEvent[], expected: Partial<SupervisorEvent>): Promise<SupervisorEvent> {
  const matches = (event: SupervisorEvent) => Object.entries(expected).every(([key, value]) => (event as unknown as Record<string, unknown>)[key] === value);
  return eventuallyDefined(async () => events.find(matches) ?? false, `event ${JSON.stringify(expected)}`);
}

function supervise(services: SupervisedService[], events: SupervisorEvent[], lines: string[] = []): Supervisor {
  supervisor = new Supervisor({
    services,
    restart: { initialDelayMs: 20, maxDelayMs: 200, maxQuickCrashes: 3 },
    readinessPollMs: 20,
    onEvent: (event) => events.push(event),
    onLine: (service, _stream, line) => lines.push(`${service}: ${line}`),
  });
  return supervisor;
}

describe('npm start’s supervisor', () => {
  it('restarts a killed service while the others keep running', async () => {
    const events: SupervisorEvent[] = [];
    const lines: string[] = [];
    const running = supervise(fakes(['inventory', []], ['shopify', ['inventory']], ['gateway', ['shopify']]), events, lines);
    await running.start();
    const before = running.pids();
    expect(events.filter((event) => event.kind === 'ready').map((event) => event.service)).toEqual(['inventory', 'shopify', 'gateway']);
    expect(lines).toContain('shopify: {"level":30,"service":"shopify","msg":"listening"}');

    process.kill(before.shopify!, 'SIGKILL');
    await happened(events, { kind: 'ready', service: 'shopify', restarts: 1 });

    const after = running.pids();
    expect(after.shopify).not.toBe(before.shopify);
    expect(await answers('shopify', after.shopify!)).toBe(true);
    // The others were never stopped: same processes, still serving.
    expect(after.inventory).toBe(before.inventory);
    expect(after.gateway).toBe(before.gateway);
    expect(await answers('inventory', after.inventory!)).toBe(true);
    expect(await answers('gateway', after.gateway!)).toBe(true);
    expect(events).toContainEqual({ kind: 'exited', service: 'shopify', cause: { code: null, signal: 'SIGKILL' }, restartInMs: 20, quickCrashes: 1, maxQuickCrashes: 3 });
    expect(events.filter((event) => event.kind === 'stopped' || event.kind === 'stopping')).toEqual([]);
  });

  it('gives up on a service after quick crashes in a row, says so, and keeps the rest running', async () => {
    const events: SupervisorEvent[] = [];
    const running = supervise(fakes(['inventory', []], ['woocommerce', []]), events);
    await running.start();
    const { inventory, woocommerce } = running.pids();

    writeFileSync(join(dir, 'woocommerce.crash'), '');
    process.kill(woocommerce!, 'SIGKILL');
    expect(await happened(events, { kind: 'gave-up', service: 'woocommerce' })).toMatchObject({ quickCrashes: 3, cause: { code: 3, signal: null } });

    expect(events.filter((event) => event.kind === 'exited').map((event) => event.kind === 'exited' && event.restartInMs)).toEqual([20, 40]);
    expect(running.pids()).toEqual({ inventory, woocommerce: undefined });
    expect(await answers('inventory', inventory!)).toBe(true);
  });

  it('fails to start, stopping what it started, when a service keeps crashing before it is ready', async () => {
    const events: SupervisorEvent[] = [];
    const services = fakes(['inventory', []], ['catalog', ['inventory']]);
    writeFileSync(join(dir, 'catalog.crash'), '');
    const running = supervise(services, events);
    await expect(running.start()).rejects.toBeInstanceOf(ServiceGaveUp);
    expect(events).toContainEqual({ kind: 'stopped', service: 'inventory', forced: false });
    expect(running.pids()).toEqual({ inventory: undefined, catalog: undefined });
  });

  it('stops every service, dependents first, on stop()', async () => {
    const events: SupervisorEvent[] = [];
    const running = supervise(fakes(['inventory', []], ['gateway', ['inventory']]), events);
    await running.start();
    await running.stop();
    expect(events.filter((event) => event.kind === 'stopped')).toEqual([
      { kind: 'stopped', service: 'gateway', forced: false },
      { kind: 'stopped', service: 'inventory', forced: false },
    ]);
    expect(running.pids()).toEqual({ inventory: undefined, gateway: undefined });
  });

  it('restarts a service run as a thread when it crashes, while the threads beside it keep serving', async () => {
    const events: SupervisorEvent[] = [];
    const lines: string[] = [];
    const running = supervise(fakes(['inventory', [], 'thread'], ['shopify', ['inventory'], 'thread'], ['gateway', ['shopify'], 'thread']), events, lines);
    await running.start();
    const before = running.pids();
    expect(lines).toContain('shopify: {"level":30,"service":"shopify","msg":"listening"}');

    await fetch(`http://127.0.0.1:${readFileSync(portFile('shopify', before.shopify!), 'utf8')}/crash`);
    await happened(events, { kind: 'ready', service: 'shopify', restarts: 1 });

    const after = running.pids();
    expect(after.shopify).not.toBe(before.shopify);
    expect(await answers('shopify', after.shopify!)).toBe(true);
    expect(after.inventory).toBe(before.inventory);
    expect(after.gateway).toBe(before.gateway);
    expect(await answers('inventory', after.inventory!)).toBe(true);
    expect(await answers('gateway', after.gateway!)).toBe(true);
    expect(events).toContainEqual({ kind: 'exited', service: 'shopify', cause: { code: 1, signal: null }, restartInMs: 20, quickCrashes: 1, maxQuickCrashes: 3 });
    expect(lines.some((line) => line.startsWith('shopify: crashed: Error: told to crash'))).toBe(true);
  });

  it('stops threads as it stops processes: each finishes its work on SIGTERM', async () => {
    const events: SupervisorEvent[] = [];
    const running = supervise(fakes(['inventory', [], 'thread'], ['gateway', ['inventory'], 'process']), events);
    await running.start();
    await running.stop();
    expect(events.filter((event) => event.kind === 'stopped')).toEqual([
      { kind: 'stopped', service: 'gateway', forced: false },
      { kind: 'stopped', service: 'inventory', forced: false },
    ]);
    expect(running.pids()).toEqual({ inventory: undefined, gateway: undefined });
  });

  it('starts a service once its own dependencies are ready, without waiting for a slower service it does not depend on', async () => {
    const events: SupervisorEvent[] = [];
    const [customers, inventory, shopify] = fakes(['customers', [], 'thread'], ['inventory', [], 'thread'], ['shopify', ['inventory'], 'thread']);
    // The customers service is not ready until told: its demo shoppers are still being loaded.
    const slowCustomers = { ...customers!, isReady: async (id: number) => existsSync(join(dir, 'customers.seeded')) && (await answers('customers', id)) };
    const running = supervise([slowCustomers, inventory!, shopify!], events);
    const started = running.start();

    await happened(events, { kind: 'ready', service: 'shopify' });
    expect(events.some((event) => event.kind === 'ready' && event.service === 'customers')).toBe(false);
    writeFileSync(join(dir, 'customers.seeded'), '');
    await started;
    expect(events.filter((event) => event.kind === 'ready').map((event) => event.service)).toEqual(['inventory', 'shopify', 'customers']);
  });

  it('refuses services that depend on each other in a circle before starting any', async () => {
    const events: SupervisorEvent[] = [];
    const running = supervise(fakes(['orders', ['customers']], ['customers', ['orders']], ['inventory', []]), events);
    await expect(running.start()).rejects.toThrow('Unresolvable service dependencies: orders, customers');
    expect(events.filter((event) => event.kind === 'starting')).toEqual([]);
  });

  it('runs a TypeScript service in a thread on sources it strips once for every thread, so no thread loads a TypeScript stripper of its own', async () => {
    const events: SupervisorEvent[] = [];
    const [inventory, catalog] = fakes(['inventory', [], 'thread'], ['catalog', [], 'thread']);
    // A service written in TypeScript, importing a TypeScript module of its own, as every Ponte service does.
    writeFileSync(join(dir, 'stock-level.ts'), 'export interface StockLevel { sku: string; onHand: number }\nexport const levelOf = (sku: string): StockLevel => ({ sku, onHand: 3 });\n');
    writeFileSync(
      join(dir, 'typed-service.ts'),
      [
        "import { createServer, type Server } from 'node:http';",
        "import { writeFileSync } from 'node:fs';",
        "import { threadId } from 'node:worker_threads';",
        "import { levelOf, type StockLevel } from './stock-level.ts';",
        'const [dir, name] = [process.env.FAKE_DIR as string, process.env.FAKE_NAME as string];',
        "// Loaded into this thread by Node itself only if this thread stripped a module's types on its own.",
        "const strippedHere = (process as unknown as { moduleLoadList: string[] }).moduleLoadList.some((loaded) => loaded.includes('amaro'));",
        'const server: Server = createServer((_request, response) => {',
        '  const level: StockLevel = levelOf(name);',
        '  response.end(JSON.stringify({ name, pid: threadId, level, strippedHere }));',
        '});',
        "server.listen(0, '127.0.0.1', () => writeFileSync(`${dir}/${name}-${threadId}.port`, String((server.address() as { port: number }).port)));",
        "process.on('SIGTERM', () => server.close(() => process.exit(0)));",
      ].join('\n'),
    );
    const typed = [inventory!, catalog!].map((service) => ({ ...service, entry: join(dir, 'typed-service.ts') }));
    const running = supervise(typed, events);
    await running.start();

    for (const [name, id] of Object.entries(running.pids())) {
      const response = await fetch(`http://127.0.0.1:${readFileSync(portFile(name, id!), 'utf8')}/`);
      expect(await response.json()).toEqual({ name, pid: id, level: { sku: name, onHand: 3 }, strippedHere: false });
    }
  });

  it('backs off exponentially up to a cap', () => {
    expect([1, 2, 3, 4, 10].map((crashes) => restartDelayMs(crashes, { initialDelayMs: 500, maxDelayMs: 5000 }))).toEqual([500, 1000, 2000, 4000, 5000]);
  });
});
