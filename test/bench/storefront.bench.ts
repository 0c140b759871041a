import os from 'node:os';
import { cpuMs, type ChildStats } from './ipc.ts';
import { killAllChildren, stopAllChildren } from './children.ts';
import { checkFreshness, type FreshnessResult } from './freshness.ts';
import { runLoad } from './load.ts';
import { formatReport, formatRound, ratios, summarize, writeResults, type BenchConfig, type RoundResult } from './report.ts';
import { postGraphQL, readStorefront, startSystem, TARGET_IDS, type System, type Target } from './targets.ts';
import { DEFAULT_CATALOG_SKUS } from './storefront-mix.ts';

/**
 * `npm run bench`: the storefront query through Ponte's gateway (cache on and off),
 * @apollo/gateway and the inventory subgraph alone, interleaved in rounds, each server in a
 * process of its own and the load generator in this one. Env: BENCH_DURATION_S (5),
 * BENCH_WARMUP_S (2), BENCH_ROUNDS (3), BENCH_CONNECTIONS (20), BENCH_PLANNER (rust),
 * BENCH_CATALOG_SKUS (5,000: the realistic mix's catalogue, see storefront-mix.ts), BENCH_TARGETS
 * (unset: all; a comma-separated list of target ids measures only those), BENCH_MIX_PRIME_S (15:
 * the mix sent to each mix target once before the rounds),
 * BENCH_CPU_PROF_DIR (unset: when set, every child writes a V8 CPU profile there on stop).
 * Exits non-zero when a request failed or the cache served a stale quantity; the speed goals
 * are reported, not enforced.
 */

function positiveNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

function readConfig(): BenchConfig {
  const planner = process.env.BENCH_PLANNER ?? 'rust';
  if (planner !== 'rust' && planner !== 'javascript') throw new Error(`BENCH_PLANNER must be rust or javascript, got "${planner}"`);
  return {
    durationS: positiveNumber('BENCH_DURATION_S', 5),
    warmupS: positiveNumber('BENCH_WARMUP_S', 2),
    rounds: Math.round(positiveNumber('BENCH_ROUNDS', 3)),
    connections: Math.round(positiveNumber('BENCH_CONNECTIONS', 20)),
    planner,
    database: process.env.DATABASE_URL ? 'postgres' : 'pglite',
    catalogSkus: Math.round(positiveNumber('BENCH_CATALOG_SKUS', DEFAULT_CATALOG_SKUS)),
    mixPrimeS: positiveNumber('BENCH_MIX_PRIME_S', 15),
  };
}

/** CPU time all cores spent busy, machine-wide, since boot. */
const machineBusyMs = () => os.cpus().reduce((sum, cpu) => sum + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq, 0);
const percentOfCore = (deltaMs: number, seconds: number) => (deltaMs / (seconds * 1000)) * 100;
const total = (counts: Record<string, number> | undefined) => Object.values(counts ?? {}).reduce((sum, count) => sum + count, 0);

/** Warm-up, then one measured run, with the CPU and subgraph calls it cost each process. */
async function measureRound(system: System, target: Target, config: BenchConfig, round: number): Promise<RoundResult> {
  let warmUp = await runLoad(target, { durationS: config.warmupS, connections: config.connections });
  // On a machine other work starves, a warm-up can end before the first answer: warm up again.
  for (let retry = 0; retry < 3 && warmUp.requests === 0 && warmUp.errors + warmUp.non2xx + warmUp.graphqlErrors === 0; retry++) {
    warmUp = await runLoad(target, { durationS: config.warmupS, connections: config.connections });
  }
  const warmUpFailures = warmUp.errors + warmUp.non2xx + warmUp.graphqlErrors;
  if (warmUp.requests === 0 || warmUpFailures > 0) {
    // A target that fails under load has no throughput worth reporting: stop here, loudly.
    throw new Error(`${target.label} failed during warm-up: ${warmUp.requests} responses, ${warmUp.errors} connection errors/timeouts, ${warmUp.non2xx} non-2xx, ${warmUp.graphqlErrors} with GraphQL errors`);
  }
  // Requests cut off when the warm-up stopped are still being served: let them finish so their
  // work is not billed to the measurement.
  await new Promise((resolve) => setTimeout(resolve, Math.min(3000, Math.max(200, warmUp.maxMs))));
  const isDirect = target.server === system.subgraphs;
  const snapshot = async () => ({ machine: machineBusyMs(), loadGenerator: cpuMs(), subgraphs: await system.subgraphs.stats(), server: isDirect ? null : await target.server.stats() });
  const before = await snapshot();
  const measurement = await runLoad(target, { durationS: config.durationS, connections: config.connections });
  const after = await snapshot();
  const seconds = measurement.durationS;
  const cacheBefore = before.server?.responseCache;
  const cacheAfter = after.server?.responseCache;
  const cpu = {
    loadGenerator: percentOfCore(after.loadGenerator - before.loadGenerator, seconds),
    gateway: after.server && before.server ? percentOfCore(after.server.cpuMs - before.server.cpuMs, seconds) : null,
    subgraphs: percentOfCore(after.subgraphs.cpuMs - before.subgraphs.cpuMs, seconds),
  };
  // This machine is shared: whatever else ran during the window (another build, the idle
  // gateways) took cores from the measurement, and the report says how much.
  const other = Math.max(0, percentOfCore(after.machine - before.machine, seconds) - cpu.loadGenerator - (cpu.gateway ?? 0) - cpu.subgraphs);
  const perRequest = (pick: (stats: ChildStats) => Record<string, number> | undefined) => (total(pick(after.subgraphs)) - total(pick(before.subgraphs))) / measurement.sent;
  return {
    round,
    target: target.id,
    measurement,
    subgraphCallsPerRequest: perRequest((stats) => stats.subgraphRequests),
    sqlStatementsPerRequest: perRequest((stats) => stats.sqlStatements),
    cpu: { ...cpu, other },
    ...(cacheBefore && cacheAfter ? { responseCache: { hits: cacheAfter.hits - cacheBefore.hits, misses: cacheAfter.misses - cacheBefore.misses } } : {}),
    ...(cacheBefore?.entities && cacheAfter?.entities ? { entityCache: { hits: cacheAfter.entities.hits - cacheBefore.entities.hits, misses: cacheAfter.entities.misses - cacheBefore.entities.misses } } : {}),
  };
}

const MIX_CHECKED = 50;

/** The first pages of a mix target's sequence, once: each must answer without errors. */
async function checkMix(target: Target): Promise<void> {
  for (const body of target.mix!.bodies.slice(0, MIX_CHECKED)) {
    const { status, json } = await postGraphQL(target.url, target.headers, body);
    if (status !== 200 || json.errors || !json.data || Object.values(json.data).some((value) => value === null)) {
      throw new Error(`${target.label}: ${body.slice(0, 200)} answered ${status}: ${JSON.stringify(json).slice(0, 500)}`);
    }
  }
}

async function main(): Promise<number> {
  const config = readConfig();
  const perTargetS = config.warmupS + config.durationS;
  console.log(`Starting subgraphs and gateways (planner: ${config.planner})...`);
  const system = await startSystem(config.planner, config.catalogSkus);

  // A wrong or partial answer measured fast is not a result: check each target once first.
  for (const target of system.targets) {
    if (target.mix) {
      await checkMix(target);
      console.log(`  ${target.label}: ${MIX_CHECKED} pages of the mix, no errors (${target.url})`);
    } else {
      await readStorefront(target);
      console.log(`  ${target.label}: 20 products, no errors (${target.url})`);
    }
  }

  // BENCH_TARGETS=ponteMix,apolloMix,directMix measures only those (their ratios need each other).
  const only = process.env.BENCH_TARGETS?.split(',').map((id) => id.trim()).filter(Boolean);
  if (only?.length) system.targets = system.targets.filter((target) => only.includes(target.id));
  console.log(`\n${config.rounds} rounds x ${system.targets.length} targets x (${config.warmupS} s warm-up + ${config.durationS} s), about ${Math.ceil((config.rounds * system.targets.length * perTargetS) / 60)} min`);
  // A storefront's gateway runs warm: each mix target gets the mix once for BENCH_MIX_PRIME_S
  // before the rounds (the same for all; only Ponte has caches to fill).
  for (const target of system.targets.filter((candidate) => candidate.mix)) {
    const primed = await runLoad(target, { durationS: config.mixPrimeS, connections: config.connections });
    console.log(`  primed ${target.label}: ${primed.requests} requests in ${config.mixPrimeS} s`);
  }
  const rounds: RoundResult[] = [];
  for (let round = 1; round <= config.rounds; round++) {
    // Rotating the order keeps any drift over the run (heap growth, thermal) from favouring one target.
    const order = system.targets.map((_, index) => system.targets[(index + round - 1) % system.targets.length]!);
    for (const target of order) {
      const result = await measureRound(system, target, config, round);
      rounds.push(result);
      console.log(formatRound(result, target.label, config.rounds));
    }
  }

  const ponte = system.targets.find((target) => target.id === 'ponte');
  const freshness: FreshnessResult = ponte ? await checkFreshness(ponte) : { pass: true, sku: '-', location: '-', onHandBefore: 0, expected: 0, served: null, cachedBeforeMutation: true, detail: 'not run (BENCH_TARGETS)' };
  const summaries = summarize(system.targets, rounds);
  const ratioResults = ratios(summaries);
  console.log(formatReport(config, summaries, ratioResults, freshness));

  const file = await writeResults({
    finishedAt: new Date().toISOString(),
    command: 'npm run bench',
    config,
    environment: { node: process.version, platform: `${os.platform()} ${os.release()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model },
    processes: { loadGenerator: process.pid, ...Object.fromEntries([system.subgraphs, ...system.gateways].map((child) => [child.name, { pid: child.pid, description: child.description }])) },
    summaries,
    ratios: ratioResults,
    freshness,
    rounds,
  });
  console.log(`Results written to ${file}`);

  const failures = summaries.reduce((sum, s) => sum + s.errors + s.non2xx + s.graphqlErrors, 0);
  const stale = summaries.reduce((sum, s) => sum + (s.writes?.stale ?? 0), 0);
  if (failures) console.error(`FAIL: ${failures} failed requests`);
  if (!freshness.pass) console.error('FAIL: the response cache served a stale quantity');
  if (stale) console.error(`FAIL: ${stale} reads right after an acknowledged write showed an older quantity`);
  return failures || !freshness.pass || stale ? 1 : 0;
}

// Bounded: whatever hangs (a child that never answers, a server that stops responding), the
// bench ends within its planned duration plus a generous margin.
const planned = (() => {
  try {
    const config = readConfig();
    return config.rounds * TARGET_IDS.length * (config.warmupS + config.durationS + 15) + 3 * config.mixPrimeS + 300;
  } catch {
    return 180;
  }
})();
const watchdog = setTimeout(() => {
  console.error(`Bench still running after ${planned} s: giving up.`);
  killAllChildren();
  process.exit(2);
}, planned * 1000);
watchdog.unref();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAllChildren();
    process.exit(130);
  });
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
} finally {
  await stopAllChildren().catch(() => {});
  killAllChildren();
  clearTimeout(watchdog);
}
process.exit(code);
