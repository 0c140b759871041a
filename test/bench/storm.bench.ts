/**
 * `npm run bench:storm`: an order storm on the four platforms' sandboxes against scarce stock,
 * with faults. Every service runs as its own process (`scripts/services.ts`) on a fresh
 * PostgreSQL database, so a SIGKILL is real. Each run starts the system afresh, places
 * STORM_ORDERS one-line orders spread over STORM_DURATION_S seconds on Shopify, WooCommerce,
 * Mercado Livre and Amazon in turn (random storm SKU, 1 or 2 units), then measures how long until
 * every listing shows Ponte's quantity again, and audits the database: no SKU sold past its stock,
 * the ledger explains every level, no order line applied twice, every accepted order accounted for.
 *
 * Runs (STORM_RUNS, comma-separated): `baseline`; `fault` (STORM_FAULT_PLATFORM's API answers
 * 5xx for STORM_FAULT_S from the middle of the storm); `kill-platform` (STORM_KILL_PLATFORM's
 * subgraph SIGKILLed mid-way and started again); `kill-inventory` (the same for the inventory).
 * See test/bench/README.md for every variable.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { audit, lastArrivals, lastEventId, linesSeen, skusChangedSince, unprocessedMessages, type Audit } from '../support/storm/audit.ts';
import { StormSystem } from '../support/storm/system.ts';
import { isListingUpdate, PLATFORMS, stormSkus, World, type Platform } from '../support/storm/world.ts';
import { seededRandom } from '../../demo/random.ts';
import { ORDER_SEARCH_PAGE_LIMIT } from '../../subgraphs/mercadolivre/client.ts';
import { levelReadCost } from '../../subgraphs/shopify/listing-levels.ts';
import { defaultSeedFor } from '../../sandboxes/common/catalog.ts';

const env = process.env;
const number = (name: string, fallback: number) => {
  const value = env[name] === undefined || env[name] === '' ? fallback : Number(env[name]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got ${env[name]}`);
  return value;
};
const ORDERS = number('STORM_ORDERS', 1000);
const DURATION_S = number('STORM_DURATION_S', 20);
const SKU_COUNT = number('STORM_SKUS', 100);
const STOCK = number('STORM_STOCK', 5);
const REPEAT = Math.max(1, number('STORM_REPEAT', 1));
const RUNS = (env['STORM_RUNS'] ?? 'baseline,fault,kill-platform,kill-inventory').split(',').map((run) => run.trim()).filter(Boolean);
const FAULT_PLATFORM = (env['STORM_FAULT_PLATFORM'] ?? 'mercadolivre') as Platform;
const FAULT_S = number('STORM_FAULT_S', 30);
const KILL_PLATFORM = (env['STORM_KILL_PLATFORM'] ?? 'shopify') as Platform;
const AMAZON_POLL_MS = number('STORM_AMAZON_POLL_MS', 15_000);
const CONVERGE_TIMEOUT_S = number('STORM_CONVERGE_TIMEOUT_S', 180);
const HOLD_MS = number('STORM_HOLD_MS', 3000);
const SEED = number('STORM_SEED', 1);
const DEBUG_SERVICES = (env['STORM_DEBUG'] ?? '').split(',').map((name) => name.trim()).filter(Boolean);
const SERVER_URL = env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/postgres';
for (const run of RUNS) if (!['baseline', 'fault', 'kill-platform', 'kill-inventory'].includes(run)) throw new Error(`unknown run "${run}" in STORM_RUNS`);
for (const platform of [FAULT_PLATFORM, KILL_PLATFORM]) if (!PLATFORMS.includes(platform)) throw new Error(`unknown platform ${platform}`);

/** The platforms' limits the convergence bound comes from (sandboxes/README.md, the clients). */
const LIMITS = {
  /** searchOrders: 0.0056 requests/s, burst 20 (Orders API v2026-01-01 usage plan). */
  searchOrders: { rate: 0.0056, burst: 20 },
  /** patchListingsItem: 5/s, one SKU a call. */
  amazonPatchPerS: 5,
  /** Mercado Livre's application limit past its burst of 300: 18,000/h. */
  mercadoLivrePerS: 5,
  mercadoLivreBurst: 300,
  /**
   * Shopify's Standard bucket (2000 points, 100/s); each SKU pushed is first read and then set
   * (10 points a call of up to 76 SKUs, left out). The read (ListingLevelsBySku,
   * subgraphs/shopify/listing-levels.ts) asks 7 + 3 points per location of the shop a SKU: 13 on
   * the storm's shop, which has the Shopify channel's two locations (the seed's default).
   */
  shopifyBucket: 2000,
  shopifyPerS: 100,
  shopifyPointsPerSku: levelReadCost(defaultSeedFor('SHOPIFY').locationCodes.length),
};

/** Tokens left in a platform's bucket at `at`, replaying the calls it received (full before the first). */
function bucketAt(calls: { receivedAt: string }[], burst: number, ratePerS: number, at: number): number {
  let tokens = burst;
  let last: number | undefined;
  for (const logged of calls) {
    const time = Date.parse(logged.receivedAt);
    if (time > at) break;
    if (last !== undefined) tokens = Math.min(burst, tokens + ((time - last) / 1000) * ratePerS);
    tokens -= 1;
    last = time;
  }
  return Math.max(0, last === undefined ? tokens : Math.min(burst, tokens + ((at - last) / 1000) * ratePerS));
}

/** The services besides the platform subgraphs, whose CPU the report shows too. */
const OTHER_SERVICES = ['inventory', 'orders', 'customers', 'gateway', 'sandboxes', 'access', 'catalog'] as const;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;

interface PlacedOrder {
  platform: Platform;
  /** When the bench sent it (ms since the epoch). */
  sentAt: number;
  sku: string;
  quantity: number;
  status: number;
}

interface RunResult {
  run: string;
  orders: Record<Platform, { placed: number; accepted: number; refused: number; other: number }>;
  audit: Audit;
  /** Listing writes the sandbox accepted (2xx). */
  pushes: Record<Platform, number>;
  /** Listing writes the sandbox refused (its fault, its rate limit) or dropped: attempts, not pushes. */
  pushesRefused: Record<Platform, number>;
  /** Orders each platform accepted that Ponte had not yet recorded when the last order was answered. */
  ordersBehindAtLastOrder: Record<Platform, number>;
  rateLimited: Record<Platform, number>;
  /** Which calls the sandboxes refused for their rate limit, and when (ms after the last order). */
  rateLimitedCalls: { platform: Platform; at: number; operation: string }[];
  failedCalls: Record<Platform, number>;
  searchOrdersCalls: number;
  /** ms from the last order's answer until every listing showed Ponte's quantity (and kept it); null: never within the timeout. */
  convergedMs: number | null;
  /** The same per platform. */
  convergedByPlatformMs: Record<Platform, number | null>;
  /** ms from the last order's answer until the last order message each platform subgraph applied (negative: before it). */
  lastArrivalMs: Record<Platform, number | null>;
  /** The machine's 1-minute load average at the end of the storm (2 cores). */
  loadAverage: number;
  /** SKUs whose listing differed from Ponte's, per platform, when the last order was answered. */
  backlogAtLastOrder: Record<Platform, number>;
  /** SKUs each platform must be written after the last order, at least once each (the bound's count). */
  toWriteAfterLastOrder: Record<Platform, number>;
  /** Points Shopify's bucket held when the last order was answered (null: unread, Shopify failing). */
  shopifyBucketAtLastOrder: number | null;
  /** ms the platforms' limits (and the fault or the restart) impose at least, with why. */
  boundMs: number;
  boundWhy: string;
  /** ms from SIGKILL until the service was ready again. */
  downtimeMs?: number;
  stormMs: number;
  /** CPU seconds the four platform subgraphs used from the storm's start until every inbox was processed (a restarted one: its new process only). */
  platformCpuS: Record<Platform, number>;
  /** The same for the other services (inventory, orders, customers, the gateway, the sandboxes, …): where the rest of a storm's CPU goes. */
  servicesCpuS: Record<string, number>;
  /** The storm database's activity over the same span (pg_stat_database): transactions committed, rows read and written. */
  database: { commits: number; rowsRead: number; rowsWritten: number };
}

/** The storm database's counters; the bench's own queries are a small, equal share in every variant. */
async function databaseActivity(sql: Awaited<ReturnType<StormSystem['sql']>>): Promise<{ commits: number; rowsRead: number; rowsWritten: number }> {
  // Each backend's counters reach pg_stat_database when it is idle (or at most a second later).
  const { rows } = await sql.query<{ commits: string; read: string; written: string }>(
    `SELECT xact_commit::text AS commits, (tup_fetched + tup_returned)::text AS read, (tup_inserted + tup_updated + tup_deleted)::text AS written
       FROM pg_stat_database WHERE datname = current_database()`,
  );
  return { commits: Number(rows[0]!.commits), rowsRead: Number(rows[0]!.read), rowsWritten: Number(rows[0]!.written) };
}

/**
 * Polls every listing against Ponte's quantities until all have matched for HOLD_MS; `at` is the
 * first check of that stretch, `platforms` the same per platform.
 */
async function waitConverged(
  world: World,
  timeoutMs: number,
  /** Per platform, whether every order it accepted has reached Ponte (true when not asked). */
  arrived: () => Promise<Record<Platform, boolean>> = async () => Object.fromEntries(PLATFORMS.map((platform) => [platform, true])) as Record<Platform, boolean>,
): Promise<{ at: number | null; platforms: Record<Platform, number | null>; last: Record<Platform, string[]> }> {
  const deadline = Date.now() + timeoutMs;
  let equalSince: number | null = null;
  const since = Object.fromEntries(PLATFORMS.map((platform) => [platform, null])) as Record<Platform, number | null>;
  let last = {} as Record<Platform, string[]>;
  while (Date.now() < deadline) {
    const checkedAt = Date.now();
    try {
      const [differences, done] = await Promise.all([world.differences(), arrived()]);
      last = differences;
      // A listing Ponte overwrote before it saw the platform's order (Amazon's, until the next poll)
      // matches for a while: it counts only once every order the platform accepted has arrived.
      for (const platform of PLATFORMS) since[platform] = last[platform].length > 0 || !done[platform] ? null : (since[platform] ?? checkedAt);
      const equal = PLATFORMS.every((platform) => since[platform] !== null);
      if (!equal) equalSince = null;
      else if (equalSince === null) equalSince = checkedAt;
      if (equalSince !== null && Date.now() - equalSince >= HOLD_MS) return { at: equalSince, platforms: since, last };
    } catch {
      // The gateway or a subgraph is down (a kill run): not converged.
      equalSince = null;
      for (const platform of PLATFORMS) since[platform] = null;
    }
    await sleep(150);
  }
  return { at: null, platforms: since, last };
}

async function oneRun(run: string, repetition: number): Promise<RunResult> {
  const extraEnv: Record<string, Record<string, string>> = { amazon: { AMAZON_POLL_INTERVAL_MS: String(AMAZON_POLL_MS) } };
  for (const name of DEBUG_SERVICES) extraEnv[name] = { ...extraEnv[name], LOG_LEVEL: 'debug' };
  const system = new StormSystem({ serverUrl: SERVER_URL, extraEnv });
  current = system;
  const skus = stormSkus(SKU_COUNT);
  const world = new World(system, skus);
  let keepLogs = env['STORM_KEEP_LOGS'] === '1';
  try {
    await system.prepare();
    const t0 = Date.now();
    await system.start(['access', 'catalog', 'sandboxes']);
    await world.seedSandboxes(STOCK);
    await system.start(['inventory']);
    // The platforms' intake records each order in the orders subgraph (which links its customer).
    await system.start(['customers', 'orders']);
    await system.start(['shopify', 'woocommerce', 'mercadolivre', 'amazon']);
    await system.start(['gateway']);
    await world.seedPonte(STOCK);
    const initial = await waitConverged(world, 120_000);
    if (initial.at === null) throw new Error(`listings never matched Ponte before the storm: ${JSON.stringify(Object.fromEntries(PLATFORMS.map((p) => [p, initial.last[p]?.length])))}`);
    console.log(`  [${run} #${repetition}] system up and listings in step after ${((Date.now() - t0) / 1000).toFixed(1)} s; storm starts (logs: ${system.logDir})`);

    const sql = await system.sql();
    const sinceEventId = await lastEventId(sql);
    await world.clearCalls();
    const cpuBefore = await system.cpuSeconds([...PLATFORMS, ...OTHER_SERVICES]);
    const databaseBefore = await databaseActivity(sql);

    const random = seededRandom(SEED + repetition);
    const placed: Promise<PlacedOrder>[] = [];
    const start = Date.now();
    const durationMs = DURATION_S * 1000;
    let midway: Promise<number | undefined> = Promise.resolve(undefined);
    let midwayFired = false;
    const fireMidway = () => {
      midwayFired = true;
      if (run === 'fault') {
        midway = world.injectFault(FAULT_PLATFORM, FAULT_S * 1000).then(() => {
          faultSetAt = Date.now();
          return undefined;
        });
      }
      if (run === 'kill-platform' || run === 'kill-inventory') {
        const name = run === 'kill-platform' ? KILL_PLATFORM : 'inventory';
        midway = (async () => {
          const killedAt = Date.now();
          await system.kill(name);
          await system.restart(name);
          return Date.now() - killedAt;
        })();
      }
    };
    const faultStartedAt = start + durationMs / 2;
    // When the sandbox had the fault at the latest (it answers late mid-storm).
    let faultSetAt = faultStartedAt;
    for (let index = 0; index < ORDERS; index++) {
      const due = start + (ORDERS <= 1 ? 0 : (index * durationMs) / (ORDERS - 1));
      if (!midwayFired && due >= start + durationMs / 2) fireMidway();
      const wait = due - Date.now();
      if (wait > 0) await sleep(wait);
      const platform = PLATFORMS[index % PLATFORMS.length]!;
      const sku = skus[Math.floor(random() * skus.length)]!;
      const quantity = random() < 0.75 ? 1 : 2;
      const sentAt = Date.now();
      placed.push(
        world.placeOrder(platform, sku, quantity).then(
          ({ status }) => ({ platform, sentAt, sku, quantity, status }),
          () => ({ platform, sentAt, sku, quantity, status: 0 }),
        ),
      );
    }
    if (!midwayFired) fireMidway();
    // Awaited only after convergence: hold its failure until then rather than crash the bench with
    // an unhandled rejection (and leave the services running).
    const midwayOutcome = midway.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    const orders = await Promise.all(placed);
    const lastOrderAt = Date.now();
    const loadAverage = loadavg()[0]!;
    const stormMs = lastOrderAt - start;
    // What is left of Shopify's bucket now: after a storm it is far from full (its pushes spent it).
    const shopifyBucket = await world.shopifyBucket();

    // What is still to push when the last order is answered (the gateway can be slow, or down in a kill run).
    let backlog: Awaited<ReturnType<World['differences']>> | null = null;
    for (let attempt = 0; attempt < 3 && backlog === null; attempt++) backlog = await world.differences().catch(() => null);
    const accepted = Object.fromEntries(PLATFORMS.map((platform) => [platform, orders.filter((order) => order.platform === platform && order.status === 201).length])) as Record<Platform, number>;
    // Orders still to read: Mercado Livre's are read from the same bucket as its PUTs.
    const seenAtLastOrder = await linesSeen(sql, skus);
    const ordersBehindAtLastOrder = Object.fromEntries(PLATFORMS.map((platform) => [platform, Math.max(0, accepted[platform] - seenAtLastOrder[platform])])) as Record<Platform, number>;
    const converged = await waitConverged(world, CONVERGE_TIMEOUT_S * 1000, async () => {
      const seen = await linesSeen(sql, skus);
      return Object.fromEntries(PLATFORMS.map((platform) => [platform, seen[platform] >= accepted[platform]])) as Record<Platform, boolean>;
    });
    const settled = await midwayOutcome;
    if ('error' in settled) throw new Error(`the mid-storm ${run === 'fault' ? 'fault' : 'kill and restart'} failed: ${(settled.error as Error).message ?? settled.error}`);
    const downtimeMs = settled.value;

    // Quiet: every inbox processed (exceptions included), so the audit sees the end state.
    const quietBy = Date.now() + 60_000;
    while (Date.now() < quietBy && Object.values(await unprocessedMessages(sql)).some((count) => count > 0)) await sleep(250);
    const cpuAfter = await system.cpuSeconds([...PLATFORMS, ...OTHER_SERVICES]);
    await sleep(1500);
    const databaseAfter = await databaseActivity(sql);
    const result = await audit(sql, skus, sinceEventId);
    const arrivals = await lastArrivals(sql);
    const changedAfterLastOrder = await skusChangedSince(sql, skus, lastOrderAt);
    await sql.end();

    const logs = Object.fromEntries(await Promise.all(PLATFORMS.map(async (platform) => [platform, await world.callLog(platform)] as const))) as Record<Platform, Awaited<ReturnType<World['callLog']>>>;
    if (env['STORM_CALL_LOG'] === '1') {
      // Every platform call the sandboxes logged, with times relative to the last order: where a platform's time went.
      const out = resolve(import.meta.dirname, 'results', `storm-calls-${run}-${repetition}.json`);
      await mkdir(resolve(import.meta.dirname, 'results'), { recursive: true });
      await writeFile(out, `${JSON.stringify(Object.fromEntries(PLATFORMS.map((p) => [p, logs[p].calls.map((c) => ({ at: Date.parse(c.receivedAt) - lastOrderAt, method: c.method, path: c.path, operation: c.operation, status: c.status, rateLimited: c.rateLimited }))])))}\n`);
      console.log(`  [${run}] platform calls written to ${out}`);
    }
    const tally = (platform: Platform) => {
      const mine = orders.filter((order) => order.platform === platform);
      return { placed: mine.length, accepted: mine.filter((o) => o.status === 201).length, refused: mine.filter((o) => o.status === 409).length, other: mine.filter((o) => o.status !== 201 && o.status !== 409).length };
    };
    // Mercado Livre's bucket at the last order, replaying the calls it counted since the storm began
    // (taken as full then: the system idled well past a refill before the storm).
    const mercadoLivreTokens = bucketAt(logs.mercadolivre.calls, LIMITS.mercadoLivreBurst, LIMITS.mercadoLivrePerS, lastOrderAt);
    const mercadoLivreReads = ordersBehindAtLastOrder.mercadolivre + Math.ceil(ordersBehindAtLastOrder.mercadolivre / ORDER_SEARCH_PAGE_LIMIT);
    const backlogAtLastOrder = Object.fromEntries(PLATFORMS.map((platform) => [platform, backlog ? backlog[platform].length : skus.length])) as Record<Platform, number>;
    // What each platform must still be written after the last order, one SKU at least once: its
    // listings that differed then, and every SKU whose stock changed afterwards (the orders still
    // on their way: Amazon's next poll, the intakes' backlogs) other than by its own sales.
    const toWrite = Object.fromEntries(PLATFORMS.map((platform) => [platform, new Set([...(backlog ? backlog[platform] : skus), ...changedAfterLastOrder[platform]]).size])) as Record<Platform, number>;

    // The least time the limits allow, after the last order: an Amazon order placed just after a
    // poll waits a whole interval; each SKU still to push costs Amazon and (past its burst)
    // Mercado Livre one call at their sustained rates; a fault or a restart adds what is left of it.
    // Amazon tells of an order only when asked: its last order waits for the first poll after it
    // (at most an interval). Read off the sandbox's log; an order sent just before a poll that
    // misses it is counted as seen by that poll, which keeps this a lower bound.
    const lastAmazonOrderAt = Math.max(...orders.filter((order) => order.platform === 'amazon' && order.status === 201).map((order) => order.sentAt));
    const amazonPollAfter = logs.amazon.calls.map((logged) => ({ ...logged, at: Date.parse(logged.receivedAt) })).find((logged) => logged.operation === 'searchOrders' && logged.at >= lastAmazonOrderAt);
    const parts: [string, number][] = [
      amazonPollAfter
        ? [`Amazon's first poll after its last order (every ${AMAZON_POLL_MS} ms)`, amazonPollAfter.at - lastOrderAt]
        : [`Amazon poll every ${AMAZON_POLL_MS} ms`, AMAZON_POLL_MS],
      [`Amazon ${toWrite.amazon} SKUs to write at ${LIMITS.amazonPatchPerS}/s`, (toWrite.amazon / LIMITS.amazonPatchPerS) * 1000],
      // An order not yet applied costs its shipment's read (the ship-to CEP that routes it,
      // subgraphs/mercadolivre/notifications.ts); orders notified together are read with one
      // /orders/search call per page of 50 (subgraphs/mercadolivre/order-reader.ts).
      [
        `Mercado Livre ${toWrite.mercadolivre} items to write and ${ordersBehindAtLastOrder.mercadolivre} orders to read (${mercadoLivreReads} calls: each order's shipment, and a search per ${ORDER_SEARCH_PAGE_LIMIT} orders), ${Math.floor(mercadoLivreTokens)} calls left in its bucket, then ${LIMITS.mercadoLivrePerS}/s`,
        (Math.max(0, toWrite.mercadolivre + mercadoLivreReads - mercadoLivreTokens) / LIMITS.mercadoLivrePerS) * 1000,
      ],
    ];
    // Unread (Shopify failing at the last order): taken as full, which keeps the bound a lower one.
    const shopifyPoints = shopifyBucket ?? LIMITS.shopifyBucket;
    parts.push([
      `Shopify ${toWrite.shopify} SKUs at ${LIMITS.shopifyPointsPerSku} points each past the ${Math.floor(shopifyPoints)} points ${shopifyBucket === null ? 'of a bucket taken as full (unread)' : 'its bucket held at the last order'}, then ${LIMITS.shopifyPerS} points/s`,
      (Math.max(0, toWrite.shopify * LIMITS.shopifyPointsPerSku - shopifyPoints) / LIMITS.shopifyPerS) * 1000,
    ]);
    if (run === 'fault') parts.push([`${FAULT_PLATFORM} failing until ${FAULT_S} s after mid-storm`, Math.max(0, faultSetAt + FAULT_S * 1000 - lastOrderAt)]);
    if (downtimeMs !== undefined) parts.push([`restart took ${downtimeMs} ms`, Math.max(0, faultStartedAt + downtimeMs - lastOrderAt)]);
    const [boundWhy, boundMs] = parts.reduce((worst, part) => (part[1] > worst[1] ? part : worst));

    const outcome: RunResult = {
      run,
      orders: Object.fromEntries(PLATFORMS.map((platform) => [platform, tally(platform)])) as RunResult['orders'],
      audit: result,
      pushes: Object.fromEntries(PLATFORMS.map((platform) => [platform, logs[platform].calls.filter((logged) => isListingUpdate(platform, logged) && accepted2xx(logged)).length])) as Record<Platform, number>,
      pushesRefused: Object.fromEntries(PLATFORMS.map((platform) => [platform, logs[platform].calls.filter((logged) => isListingUpdate(platform, logged) && !accepted2xx(logged)).length])) as Record<Platform, number>,
      ordersBehindAtLastOrder,
      rateLimited: Object.fromEntries(PLATFORMS.map((platform) => [platform, logs[platform].rateLimited])) as Record<Platform, number>,
      rateLimitedCalls: PLATFORMS.flatMap((platform) =>
        logs[platform].calls.filter((logged) => logged.rateLimited).map((logged) => ({ platform, at: Date.parse(logged.receivedAt) - lastOrderAt, operation: logged.operation ?? `${logged.method} ${logged.path}` })),
      ),
      failedCalls: Object.fromEntries(PLATFORMS.map((platform) => [platform, logs[platform].failed])) as Record<Platform, number>,
      searchOrdersCalls: logs.amazon.calls.filter((logged) => logged.operation === 'searchOrders').length,
      convergedMs: converged.at === null ? null : Math.max(0, converged.at - lastOrderAt),
      convergedByPlatformMs: Object.fromEntries(PLATFORMS.map((platform) => [platform, converged.platforms[platform] === null ? null : Math.max(0, converged.platforms[platform]! - lastOrderAt)])) as Record<Platform, number | null>,
      loadAverage,
      lastArrivalMs: Object.fromEntries(PLATFORMS.map((platform) => [platform, arrivals[platform] === null ? null : arrivals[platform]! - lastOrderAt])) as Record<Platform, number | null>,
      backlogAtLastOrder,
      toWriteAfterLastOrder: toWrite,
      shopifyBucketAtLastOrder: shopifyBucket,
      boundMs: Math.round(boundMs),
      boundWhy,
      ...(downtimeMs !== undefined ? { downtimeMs } : {}),
      stormMs,
      platformCpuS: Object.fromEntries(PLATFORMS.map((p) => [p, cpuAfter[p]!.seconds - (cpuAfter[p]!.pid === cpuBefore[p]!.pid ? cpuBefore[p]!.seconds : 0)])) as Record<Platform, number>,
      servicesCpuS: Object.fromEntries(OTHER_SERVICES.map((name) => [name, cpuAfter[name]!.seconds - (cpuAfter[name]!.pid === cpuBefore[name]!.pid ? cpuBefore[name]!.seconds : 0)])),
      database: { commits: databaseAfter.commits - databaseBefore.commits, rowsRead: databaseAfter.rowsRead - databaseBefore.rowsRead, rowsWritten: databaseAfter.rowsWritten - databaseBefore.rowsWritten },
    };
    if (converged.at === null) {
      keepLogs = true;
      console.log(`  [${run}] NOT converged after ${CONVERGE_TIMEOUT_S} s; still different: ${JSON.stringify(Object.fromEntries(PLATFORMS.map((p) => [p, converged.last[p]?.slice(0, 5)])))}`);
    }
    if (!passed(outcome)) keepLogs = true;
    return outcome;
  } finally {
    if (keepLogs) console.log(`  [${run}] service logs kept in ${system.logDir}`);
    await system.close({ keepLogs });
  }
}

/** A call the sandbox carried out (its fault, its rate limit and a dropped connection are not). */
function accepted2xx(logged: { status: number | null; rateLimited: boolean }): boolean {
  return logged.status !== null && logged.status >= 200 && logged.status < 300 && !logged.rateLimited;
}

function passed(result: RunResult): boolean {
  const { audit: a } = result;
  const lost = PLATFORMS.some((platform) => result.orders[platform].accepted !== a.lines[platform].reserved + a.lines[platform].exceptions);
  const mismatched = PLATFORMS.some((platform) => a.lines[platform].reserved !== a.lines[platform].open);
  return result.convergedMs !== null && a.oversold === 0 && a.ledgerUnbalanced === 0 && a.reservationsUnbalanced === 0 && a.appliedTwice === 0 && !lost && !mismatched;
}

const pad = (value: unknown, width: number) => String(value).padStart(width);
const seconds = (ms: number | null) => (ms === null ? 'never' : `${(ms / 1000).toFixed(1)} s`);

function describe(run: string): string {
  if (run === 'fault') return `${FAULT_PLATFORM} API failing (5xx) for ${FAULT_S} s from mid-storm`;
  if (run === 'kill-platform') return `${KILL_PLATFORM} subgraph SIGKILLed mid-storm and restarted`;
  if (run === 'kill-inventory') return 'inventory SIGKILLed mid-storm and restarted';
  return 'no fault';
}

function report(result: RunResult): void {
  const { audit: a } = result;
  console.log(`\n${result.run}: ${describe(result.run)} — ${ORDERS} orders in ${(result.stormMs / 1000).toFixed(1)} s, ${SKU_COUNT} SKUs × ${STOCK} units`);
  console.log('platform       placed  refused  no answer  accepted  reserved  exceptions  lost    pushes (2xx)  rate-limited  failed calls');
  for (const platform of PLATFORMS) {
    const orders = result.orders[platform];
    const lines = a.lines[platform];
    const lost = orders.accepted - lines.reserved - lines.exceptions;
    console.log(
      `${platform.padEnd(14)}${pad(orders.placed, 7)}${pad(orders.refused, 9)}${pad(orders.other, 11)}${pad(orders.accepted, 10)}${pad(lines.reserved, 10)}${pad(lines.exceptions, 12)}${pad(lost, 6)}${pad(result.pushes[platform], 16)}${pad(result.rateLimited[platform], 14)}${pad(result.failedCalls[platform], 14)}`,
    );
  }
  const pushes = PLATFORMS.reduce((sum, platform) => sum + result.pushes[platform], 0);
  const exceptionCodes = PLATFORMS.flatMap((platform) => Object.entries(a.lines[platform].exceptionCodes).map(([code, count]) => `${platform} ${code} ${count}`));
  console.log(`stock ${SKU_COUNT * STOCK} units; reserved ${a.reservedUnits} units; oversold SKUs ${a.oversold}; ledger rows unbalanced ${a.ledgerUnbalanced}; committed ≠ open reservations ${a.reservationsUnbalanced}; lines applied twice ${a.appliedTwice}`);
  console.log(`exceptions: ${exceptionCodes.join(', ') || 'none'}; inbox messages left ${Object.values(a.unprocessed).reduce((x, y) => x + y, 0)}`);
  console.log(`stock changes ${a.stockChanges}; listing pushes accepted ${pushes} (${(pushes / Math.max(1, a.stockChanges)).toFixed(2)} per change over 4 platforms; ${PLATFORMS.map((p) => `${p} ${(result.pushes[p] / Math.max(1, a.stockChanges)).toFixed(2)}`).join(', ')}); refused or dropped ${PLATFORMS.map((p) => `${p} ${result.pushesRefused[p]}`).join(', ')}; orders not yet recorded at the last order ${PLATFORMS.map((p) => `${p} ${result.ordersBehindAtLastOrder[p]}`).join(', ')}; Amazon searchOrders calls ${result.searchOrdersCalls} (plan: burst ${LIMITS.searchOrders.burst})`);
  console.log(
    `listings = Ponte ${seconds(result.convergedMs)} after the last order (${PLATFORMS.map((p) => `${p} ${seconds(result.convergedByPlatformMs[p])}`).join(', ')}; SKUs behind then: ${PLATFORMS.map((p) => `${p} ${result.backlogAtLastOrder[p]}`).join(', ')}; to write after it, with the SKUs changed since: ${PLATFORMS.map((p) => `${p} ${result.toWriteAfterLastOrder[p]}`).join(', ')}); bound from limits ${seconds(result.boundMs)} (${result.boundWhy}; converged ${result.convergedMs === null ? 'never' : seconds(Math.max(0, result.convergedMs - result.boundMs))} past it)${result.downtimeMs !== undefined ? `; down ${seconds(result.downtimeMs)}` : ''}`,
  );
  if (result.rateLimitedCalls.length > 0) console.log(`rate-limited: ${result.rateLimitedCalls.map((c) => `${c.platform} ${c.operation} at ${seconds(c.at)}`).join(', ')}`);
  console.log(`last order applied by each subgraph, after the last order: ${PLATFORMS.map((p) => `${p} ${seconds(result.lastArrivalMs[p])}`).join(', ')}`);
  const cpu = PLATFORMS.reduce((sum, p) => sum + result.platformCpuS[p], 0);
  console.log(
    `platform subgraphs' CPU from the storm's start to the last inbox message: ${cpu.toFixed(1)} s (${PLATFORMS.map((p) => `${p} ${result.platformCpuS[p].toFixed(1)}`).join(', ')}); database: ${result.database.commits} transactions, ${result.database.rowsRead} rows read, ${result.database.rowsWritten} written`,
  );
  console.log(`other services' CPU over the same span: ${OTHER_SERVICES.map((name) => `${name} ${result.servicesCpuS[name]!.toFixed(1)}`).join(', ')} s`);
  console.log(`load average ${result.loadAverage.toFixed(1)} on ${availableParallelism()} cores; ${passed(result) ? 'PASS' : 'FAIL'}`);
}

// Ctrl-C or a kill: stop the run's services and drop its database rather than leave them behind.
let current: StormSystem | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the services and dropping the run's database`);
    void (current?.close() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

process.on('unhandledRejection', (error) => {
  console.error('unexpected failure:', error);
  void (current?.close({ keepLogs: true }) ?? Promise.resolve()).finally(() => process.exit(1));
});

const results: RunResult[] = [];
let exitCode = 0;
const started = Date.now();
console.log(`Order storm: ${ORDERS} orders over ${DURATION_S} s on ${PLATFORMS.join(', ')}; ${SKU_COUNT} SKUs × ${STOCK} units at one location; runs ${RUNS.join(', ')} × ${REPEAT}; every service its own process on PostgreSQL (${new URL(SERVER_URL).host}); listing pushes queued by ${env['PONTE_QUEUE'] || 'hand-written'}`);
for (const run of RUNS) {
  for (let repetition = 1; repetition <= REPEAT; repetition++) {
    try {
      const result = await oneRun(run, repetition);
      results.push(result);
      report(result);
      if (!passed(result)) exitCode = 1;
    } catch (error) {
      console.error(`  [${run} #${repetition}] failed: ${(error as Error).stack ?? error}`);
      exitCode = 1;
    }
  }
}

if (REPEAT > 1) {
  console.log('\nmedians over repetitions');
  console.log('run              converged   bound     pushes/change  rate-limited  applied twice  oversold');
  for (const run of RUNS) {
    const mine = results.filter((result) => result.run === run);
    if (mine.length === 0) continue;
    const converged = mine.map((result) => result.convergedMs ?? Number.POSITIVE_INFINITY);
    const perChange = mine.map((result) => PLATFORMS.reduce((sum, p) => sum + result.pushes[p], 0) / Math.max(1, result.audit.stockChanges));
    console.log(
      `${run.padEnd(17)}${pad(seconds(Number.isFinite(median(converged)) ? median(converged) : null), 9)}${pad(seconds(median(mine.map((r) => r.boundMs))), 8)}${pad(median(perChange).toFixed(2), 15)}${pad(Math.max(...mine.map((r) => PLATFORMS.reduce((s, p) => s + r.rateLimited[p], 0))), 14)}${pad(Math.max(...mine.map((r) => r.audit.appliedTwice)), 15)}${pad(Math.max(...mine.map((r) => r.audit.oversold)), 10)}`,
    );
  }
}
const out = resolve(import.meta.dirname, 'results');
await mkdir(out, { recursive: true });
await writeFile(resolve(out, 'storm-latest.json'), `${JSON.stringify({ at: new Date().toISOString(), queue: env['PONTE_QUEUE'] || 'hand-written', orders: ORDERS, durationS: DURATION_S, skus: SKU_COUNT, stock: STOCK, amazonPollMs: AMAZON_POLL_MS, results }, null, 2)}\n`);
console.log(`\n${results.length} run(s) in ${((Date.now() - started) / 1000).toFixed(0)} s; results in test/bench/results/storm-latest.json`);
process.exit(exitCode);
