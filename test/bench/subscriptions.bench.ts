import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { composeSupergraph, ponteSubgraphs } from '../../gateway/compose.ts';
import { encodePrincipal, principalFor } from '../../kit/identity.ts';
import { PRINCIPAL_HEADER } from '../../kit/principal.ts';
import { GATEWAY_SECRET_HEADER } from '../../kit/subgraph-server.ts';
import { killAllChildren, startChild, stopAllChildren, type Child } from './children.ts';
import { cpuMs, type ChildStats } from './ipc.ts';

/**
 * `npm run bench:subscriptions`: one stock event to many `stockChanged` subscribers, through
 * Ponte's gateway with subscription fan-out on and off, side by side in one run.
 *
 * The subgraphs (inventory + catalog, demo data) run in one child process, each gateway in
 * another (both with production's plugins: identity, limits, response cache, audit off), the
 * subscribers in this one: graphql-ws subscriptions multiplexed over sockets of
 * BENCH_SUBS_PER_SOCKET each, every socket with an API key of its own (same operator rights, so
 * fan-out may share them). Events are `receiveStock` calls sent straight to the inventory, so
 * the gateway's CPU is its subscription work only.
 *
 * For each scenario and side: every subscriber is primed (has had one event), then
 * BENCH_SUB_EVENTS events are made one at a time; for each, the time from the mutation until
 * each subscriber has it, and the CPU each process spent from the mutation until 200 ms after the
 * last delivery (process.cpuUsage in the children). Memory per idle subscription is the gateway's
 * and the subgraphs' heap (after a full GC) with every subscriber connected, minus before.
 *
 * Env: BENCH_SUBS_PER_SOCKET (500), BENCH_SUB_EVENTS (5), BENCH_SUB_OFF_MAX (1000: the "off"
 * side runs scenarios up to this many subscribers; 10,000 unshared subscriptions take minutes
 * per event on a small machine), BENCH_SUB_SCENARIOS (all: e.g. "10,1000"), BENCH_SUB_SIDES (on,off),
 * DATABASE_URL. A side that cannot serve a scenario (its subscriptions fail or end) is reported
 * as failed and the run goes on; the exit code is 1 only when the fan-out side fails.
 */

process.env.LOG_LEVEL ??= 'error';

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

const SUBS_PER_SOCKET = positiveInteger('BENCH_SUBS_PER_SOCKET', 500);
const EVENTS = positiveInteger('BENCH_SUB_EVENTS', 5);
const OFF_MAX = positiveInteger('BENCH_SUB_OFF_MAX', 1000);
const PRIME_TIMEOUT_MS = 120_000;
const EVENT_TIMEOUT_MS = 120_000;
const SETTLE_MS = 200;

interface Scenario {
  id: string;
  label: string;
  subscribers: number;
  skus: number;
}
const SCENARIOS: Scenario[] = [
  { id: '10', label: '10 subscribers, 1 SKU', subscribers: 10, skus: 1 },
  { id: '1000', label: '1,000 subscribers, 1 SKU', subscribers: 1000, skus: 1 },
  { id: '10000', label: '10,000 subscribers, 1 SKU', subscribers: 10_000, skus: 1 },
  { id: '1000x100', label: '1,000 subscribers over 100 SKUs', subscribers: 1000, skus: 100 },
].filter((scenario) => !process.env.BENCH_SUB_SCENARIOS || process.env.BENCH_SUB_SCENARIOS.split(',').includes(scenario.id));

/** What an internal app follows (the README's example): the catalog's title is an entity fetch per event. */
const FOLLOW = `subscription Follow($sku: ID!) {
  stockChanged(skus: [$sku]) {
    id sku kind occurredAt
    product { title }
    level { location { id } onHand committed available }
    channelAvailability { channel { id } quantity }
  }
}`;

const DEMO_SKUS = ['CAM-BASICA-M', 'TEN-CORRIDA-40', 'MOC-URBANA-PRETO', 'GAR-TERMICA-AZUL', 'CAF-GRAOS-1KG', 'LAN-CAMPING'];
/** The demo has 50 SKUs; the 100-SKU scenario tracks more (registered, not described by the catalog). */
const EXTRA_SKUS = Array.from({ length: 100 }, (_, i) => `BENCH-SUB-${String(i + 1).padStart(3, '0')}`);

const gatewaySecret = randomBytes(16).toString('hex');
const triggerHeaders = {
  'content-type': 'application/json',
  [GATEWAY_SECRET_HEADER]: gatewaySecret,
  [PRINCIPAL_HEADER]: encodePrincipal(principalFor('operator', { id: 'key:bench-events', name: 'bench-events' })),
};
let mutations = 0;

async function inventoryMutation(inventoryUrl: string, query: string): Promise<void> {
  let response: Response;
  for (let attempt = 1; ; attempt++) {
    try {
      response = await fetch(inventoryUrl, { method: 'POST', headers: triggerHeaders, body: JSON.stringify({ query }) });
      break;
    } catch (error) {
      // A kept-alive connection the server closed as we sent: the idempotency key makes a resend safe.
      if (attempt >= 3) throw error;
    }
  }
  const body = (await response.json()) as { errors?: unknown };
  if (!response.ok || body.errors) throw new Error(`inventory refused ${query.slice(0, 80)}: ${response.status} ${JSON.stringify(body.errors)}`);
}

/** One stock event on `sku`. */
const receive = (inventoryUrl: string, sku: string) =>
  inventoryMutation(inventoryUrl, `mutation { receiveStock(input: { idempotencyKey: "bench-sub-${process.pid}-${++mutations}", sku: "${sku}", location: "loja-rio", quantity: 1 }) { replayed } }`);

interface Subscriber {
  sku: string;
  received: number;
  /** When it got the event being measured (performance.now()). */
  at: number | undefined;
  /** The subscription failed (a socket or protocol error). */
  errors: number;
  /** Events that came with errors. */
  partial: number;
  lastError?: string;
}

interface Side {
  fanOut: boolean;
  gateway: Child;
}

interface Measured {
  scenario: string;
  fanOut: boolean;
  subscribers: number;
  sockets: number;
  /** At the inventory's stock feed, minus what was there before (the gateways' cache feeds). */
  upstreamSubscriptions: number;
  /** Shared upstreams the fan-out gateway itself holds (fan-out on only). */
  gatewayUpstreams: number | undefined;
  deliveryMs: { p50: number; p99: number; max: number };
  cpuMsPerEvent: { gateway: number; subgraphs: number; subscribersProcess: number };
  catalogFetchesPerEvent: number;
  bytesPerIdleSubscription: { gateway: number; subgraphs: number };
  slowDropped: number;
  /** Deliveries, over the measured events, whose event came with errors (a field left null). */
  deliveriesWithErrors: number;
  firstError: string | undefined;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))]!;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 5): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

async function runScenario(scenario: Scenario, side: Side, subgraphs: Child, skus: string[], inventoryUrl: string): Promise<Measured> {
  const baseline = (await subgraphs.stats()).stockSubscribers ?? 0;
  const memoryBefore = { gateway: (await side.gateway.stats({ memory: true })).memory!, subgraphs: (await subgraphs.stats({ memory: true })).memory! };
  const sockets = Math.ceil(scenario.subscribers / SUBS_PER_SOCKET);
  const clients: Client[] = [];
  const subscribers: Subscriber[] = [];
  const bySku = new Map<string, Subscriber[]>();
  let measuring: string | undefined;
  let delivered = 0;
  let partialNow = 0;
  let lastMessageAt = performance.now();
  for (let socket = 0; socket < sockets; socket++) {
    let connected: () => void = () => {};
    const acknowledged = new Promise<void>((resolve) => (connected = resolve));
    const client = createClient({
      url: side.gateway.urls.gateway!.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer bench-sub-${side.fanOut ? 'on' : 'off'}-${scenario.id}-${socket}` },
      retryAttempts: 0,
      keepAlive: 0,
      on: { connected: () => connected() },
    });
    clients.push(client);
    for (let index = socket * SUBS_PER_SOCKET; index < Math.min(scenario.subscribers, (socket + 1) * SUBS_PER_SOCKET); index++) {
      const subscriber: Subscriber = { sku: skus[index % skus.length]!, received: 0, at: undefined, errors: 0, partial: 0 };
      subscribers.push(subscriber);
      bySku.set(subscriber.sku, [...(bySku.get(subscriber.sku) ?? []), subscriber]);
      client.subscribe(
        { query: FOLLOW, variables: { sku: subscriber.sku } },
        {
          next: (result) => {
            lastMessageAt = performance.now();
            // An event with errors (a subgraph that gave up: its fields null) is still delivered.
            if (result.errors) {
              subscriber.partial++;
              subscriber.lastError = JSON.stringify(result.errors).slice(0, 300);
            }
            subscriber.received++;
            if (measuring === subscriber.sku && subscriber.at === undefined) {
              subscriber.at = performance.now();
              delivered++;
              if (result.errors) partialNow++;
            }
          },
          error: (error) => {
            subscriber.errors++;
            const closed = error as { code?: number; reason?: string; message?: string };
            subscriber.lastError = `failed: ${closed.code ?? ''} ${closed.reason ?? closed.message ?? String(error)}`.slice(0, 300);
          },
          // Ended by the server: it will never have another event.
          complete: () => {
            subscriber.errors++;
            subscriber.lastError = `completed by the server${subscriber.lastError ? ` after ${subscriber.lastError.slice(0, 200)}` : ''}`;
          },
        },
      );
    }
    // One socket at a time, as apps connect: the gateway has 3 s to acknowledge a connection, and
    // twenty sockets bringing 500 subscriptions each at once would hold it up past that.
    await Promise.race([acknowledged, sleep(30_000)]);
    if (sockets > 1) await sleep(500);
  }

  try {
    // Primed: every subscriber has had an event, so its subscription is live all the way up.
    const failures = () => {
      const failed = subscribers.filter((subscriber) => subscriber.errors > 0);
      if (failed.length > 0) throw new Error(`${failed.length} subscriptions failed or ended (${scenario.label}, fan-out ${side.fanOut ? 'on' : 'off'}), e.g. ${failed[0]!.lastError}`);
    };
    // Nothing arrives for a while: whatever earlier events set off has been delivered.
    const quiet = (forMs: number) => until('deliveries to settle', () => performance.now() - lastMessageAt >= forMs, EVENT_TIMEOUT_MS, 20);
    await until(
      'every subscriber primed',
      async () => {
        failures();
        const waiting = new Set(subscribers.filter((subscriber) => subscriber.received === 0).map((subscriber) => subscriber.sku));
        if (waiting.size === 0) return true;
        for (const sku of waiting) await receive(inventoryUrl, sku);
        // Another round only once this one has stopped delivering: unshared subscriptions take long.
        await sleep(300);
        await quiet(1000);
        return false;
      },
      PRIME_TIMEOUT_MS,
      0,
    );
    await quiet(500);
    const idle = { gateway: await side.gateway.stats({ memory: true }), subgraphs: await subgraphs.stats({ memory: true }) };
    const upstreamSubscriptions = (idle.subgraphs.stockSubscribers ?? 0) - baseline;

    const latencies: number[] = [];
    const cpu = { gateway: [] as number[], subgraphs: [] as number[], subscribersProcess: [] as number[] };
    const catalogFetches: number[] = [];
    const partial: number[] = [];
    for (let event = 0; event < EVENTS; event++) {
      const sku = skus[event % skus.length]!;
      const recipients = bySku.get(sku)!;
      await quiet(300);
      for (const subscriber of recipients) subscriber.at = undefined;
      delivered = 0;
      partialNow = 0;
      const before: [ChildStats, ChildStats, number] = [await side.gateway.stats(), await subgraphs.stats(), cpuMs()];
      measuring = sku;
      const start = performance.now();
      await receive(inventoryUrl, sku);
      await until(
        `event ${event + 1} delivered to ${recipients.length} subscribers of ${sku}`,
        () => {
          failures();
          return delivered >= recipients.length;
        },
        EVENT_TIMEOUT_MS,
        1,
      );
      measuring = undefined;
      await sleep(SETTLE_MS);
      const after: [ChildStats, ChildStats, number] = [await side.gateway.stats(), await subgraphs.stats(), cpuMs()];
      for (const subscriber of recipients) latencies.push(subscriber.at! - start);
      cpu.gateway.push(after[0].cpuMs - before[0].cpuMs);
      cpu.subgraphs.push(after[1].cpuMs - before[1].cpuMs);
      cpu.subscribersProcess.push(after[2] - before[2]);
      partial.push(partialNow);
      catalogFetches.push((after[1].subgraphRequests?.catalog ?? 0) - (before[1].subgraphRequests?.catalog ?? 0));
    }
    latencies.sort((a, b) => a - b);
    const perSubscription = (after: ChildStats['memory'], before: ChildStats['memory']) => Math.round(((after?.heapUsedBytes ?? 0) - (before?.heapUsedBytes ?? 0)) / scenario.subscribers);
    return {
      scenario: scenario.label,
      fanOut: side.fanOut,
      subscribers: scenario.subscribers,
      sockets,
      upstreamSubscriptions,
      gatewayUpstreams: idle.gateway.subscriptionFanOut?.upstreams,
      deliveryMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), max: latencies[latencies.length - 1]! },
      cpuMsPerEvent: { gateway: median(cpu.gateway), subgraphs: median(cpu.subgraphs), subscribersProcess: median(cpu.subscribersProcess) },
      catalogFetchesPerEvent: median(catalogFetches),
      bytesPerIdleSubscription: { gateway: perSubscription(idle.gateway.memory, memoryBefore.gateway), subgraphs: perSubscription(idle.subgraphs.memory, memoryBefore.subgraphs) },
      slowDropped: idle.gateway.subscriptionFanOut?.droppedSlow ?? 0,
      deliveriesWithErrors: partial.reduce((sum, count) => sum + count, 0),
      firstError: subscribers.find((subscriber) => subscriber.lastError)?.lastError,
    };
  } finally {
    await Promise.all(clients.map((client) => client.dispose()));
    // The next scenario starts from no subscription at all.
    await until('upstream subscriptions ended', async () => ((await subgraphs.stats()).stockSubscribers ?? 0) <= baseline, 60_000, 100).catch((error: unknown) => console.warn(String(error)));
  }
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);

function report(results: Measured[]): string {
  const lines = [
    '',
    `Subscriptions: one receiveStock event to N stockChanged subscribers (${EVENTS} events each, medians), ${SUBS_PER_SOCKET} subscriptions per socket, ${process.env.DATABASE_URL ? 'PostgreSQL server' : 'PGlite in memory'}; ${os.cpus().length} cores, load average at the end ${os.loadavg()[0]!.toFixed(1)} (anything above the core count stretches delivery times)`,
    'scenario                          fan-out  upstream  p50 ms  p99 ms  max ms  gateway CPU ms  subgraphs CPU ms  catalog fetches  gateway B/sub  subgraphs B/sub  with errors',
  ];
  for (const result of results) {
    lines.push(
      [
        result.scenario.padEnd(33),
        (result.fanOut ? 'on' : 'off').padEnd(7),
        String(result.upstreamSubscriptions).padStart(9),
        fixed(result.deliveryMs.p50).padStart(7),
        fixed(result.deliveryMs.p99).padStart(7),
        fixed(result.deliveryMs.max).padStart(7),
        fixed(result.cpuMsPerEvent.gateway).padStart(15),
        fixed(result.cpuMsPerEvent.subgraphs).padStart(17),
        String(result.catalogFetchesPerEvent).padStart(16),
        (result.subscribers >= 1000 ? String(result.bytesPerIdleSubscription.gateway) : '—').padStart(14),
        (result.subscribers >= 1000 ? String(result.bytesPerIdleSubscription.subgraphs) : '—').padStart(16),
        `${result.deliveriesWithErrors}/${result.subscribers * EVENTS}`.padStart(12),
      ].join(' '),
    );
  }
  const find = (id: string, fanOut: boolean) => results.find((result) => result.scenario === SCENARIOS.find((scenario) => scenario.id === id)?.label && result.fanOut === fanOut);
  const ten = find('10', true);
  const tenThousand = find('10000', true);
  lines.push('');
  if (ten && tenThousand) {
    const ratio = tenThousand.cpuMsPerEvent.subgraphs / ten.cpuMsPerEvent.subgraphs;
    lines.push(`upstream (subgraphs) CPU per event, 10,000 vs 10 subscribers, fan-out on: ${fixed(ratio, 2)}× (goal ≤ 2×) ${ratio <= 2 ? 'MET' : 'NOT MET'}`);
    lines.push(`p99 delivery to all 10,000: ${fixed(tenThousand.deliveryMs.p99, 0)} ms (goal < 1000 ms) ${tenThousand.deliveryMs.p99 < 1000 ? 'MET' : 'NOT MET'}`);
  }
  for (const scenario of SCENARIOS) {
    const on = find(scenario.id, true);
    const off = find(scenario.id, false);
    if (on && off) lines.push(`${scenario.label}: fan-out off / on — subgraphs CPU ${fixed(off.cpuMsPerEvent.subgraphs / on.cpuMsPerEvent.subgraphs, 1)}×, gateway CPU ${fixed(off.cpuMsPerEvent.gateway / on.cpuMsPerEvent.gateway, 1)}×, p99 ${fixed(off.deliveryMs.p99 / on.deliveryMs.p99, 1)}×`);
  }
  for (const result of results.filter((result) => result.firstError)) lines.push(`${result.scenario}, fan-out ${result.fanOut ? 'on' : 'off'}: events with errors, e.g. ${result.firstError}`);
  lines.push('CPU: from the mutation until 200 ms after the last delivery, includes the receiveStock itself (subgraphs) and idle timers; "B/sub": heap after a full GC, per subscription, with all connected.');
  return lines.join('\n');
}

const deadline = setTimeout(() => {
  console.error('bench:subscriptions overran 40 minutes');
  killAllChildren();
  process.exit(2);
}, 40 * 60_000);
deadline.unref();
process.on('SIGINT', () => {
  killAllChildren();
  process.exit(130);
});

let failed = false;
try {
  const subgraphs = await startChild('subgraphs', './subgraphs.child.ts', { type: 'start', gatewaySecret, catalogSkus: 0 }, ['--expose-gc']);
  const inventoryUrl = subgraphs.urls.inventory!;
  const supergraphSdl = composeSupergraph(ponteSubgraphs({ INVENTORY_URL: inventoryUrl, CATALOG_URL: subgraphs.urls.catalog! }));
  const start = (fanOut: boolean) =>
    startChild(
      `ponte-gateway-fanout-${fanOut ? 'on' : 'off'}`,
      './ponte-gateway.child.ts',
      { type: 'start', gatewaySecret, supergraphSdl, planner: 'rust', responseCache: true, security: true, subscriptionFanOut: fanOut, subscriptionsPerConnection: SUBS_PER_SOCKET },
      ['--expose-gc'],
    );
  const sides: Side[] = [
    { fanOut: true, gateway: await start(true) },
    { fanOut: false, gateway: await start(false) },
  ];
  await inventoryMutation(inventoryUrl, `mutation { registerProducts(input: { idempotencyKey: "bench-sub-register-${process.pid}", skus: ${JSON.stringify(EXTRA_SKUS)} }) { __typename } }`);
  const skusFor = (scenario: Scenario) => (scenario.skus === 1 ? [DEMO_SKUS[0]!] : [...DEMO_SKUS, ...EXTRA_SKUS].slice(0, scenario.skus));

  const results: Measured[] = [];
  const failures: string[] = [];
  for (const scenario of SCENARIOS) {
    for (const side of sides.filter((side) => !process.env.BENCH_SUB_SIDES || process.env.BENCH_SUB_SIDES.split(',').includes(side.fanOut ? 'on' : 'off'))) {
      if (!side.fanOut && scenario.subscribers > OFF_MAX) {
        console.log(`${scenario.label}, fan-out off: skipped (BENCH_SUB_OFF_MAX=${OFF_MAX})`);
        continue;
      }
      let result: Measured;
      try {
        result = await runScenario(scenario, side, subgraphs, skusFor(scenario), inventoryUrl);
      } catch (error) {
        // One side that cannot serve a scenario is a result too; the run goes on.
        const reason = error instanceof Error ? error.message : String(error);
        console.log(`${scenario.label}, fan-out ${side.fanOut ? 'on' : 'off'}: FAILED: ${reason}`);
        failures.push(`${scenario.label}, fan-out ${side.fanOut ? 'on' : 'off'}: ${reason}`);
        continue;
      }
      results.push(result);
      console.log(`${scenario.label}, fan-out ${side.fanOut ? 'on' : 'off'}: p99 ${fixed(result.deliveryMs.p99)} ms, gateway ${fixed(result.cpuMsPerEvent.gateway)} ms CPU, subgraphs ${fixed(result.cpuMsPerEvent.subgraphs)} ms CPU per event, ${result.upstreamSubscriptions} upstream`);
    }
  }
  console.log(report(results));
  for (const failure of failures) console.log(`FAILED ${failure}`);
  failed = failures.some((failure) => failure.includes('fan-out on'));
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/subscriptions-latest.json', import.meta.url), JSON.stringify({ at: new Date().toISOString(), subsPerSocket: SUBS_PER_SOCKET, events: EVENTS, results, failures }, null, 2));
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await stopAllChildren();
}
process.exit(failed ? 1 : 0);
