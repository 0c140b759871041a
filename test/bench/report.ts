import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { FreshnessResult } from './freshness.ts';
import type { Measurement } from './load.ts';
import type { Target, TargetId } from './targets.ts';

export interface BenchConfig {
  durationS: number;
  warmupS: number;
  rounds: number;
  connections: number;
  planner: 'rust' | 'javascript';
  /** Where the subgraphs keep their data: PGlite in their own process, or the DATABASE_URL server. */
  database: 'pglite' | 'postgres';
  /** SKUs added for the realistic mix. */
  catalogSkus: number;
  /** Seconds of the mix sent to each mix target once, before the rounds. */
  mixPrimeS: number;
}

export interface RoundResult {
  round: number;
  target: TargetId;
  measurement: Measurement;
  /** Subgraph HTTP requests per client request sent during the measurement. */
  subgraphCallsPerRequest: number;
  /** SQL statements the subgraphs ran per client request sent. */
  sqlStatementsPerRequest: number;
  /**
   * CPU used during the measurement, in % of one core (200 = both cores of this machine);
   * `other` is every other process on the machine.
   */
  cpu: { loadGenerator: number; gateway: number | null; subgraphs: number; other: number };
  responseCache?: { hits: number; misses: number };
  /** Ponte's entity cache (subgraph answers) during the measurement. */
  entityCache?: { hits: number; misses: number };
}

export interface TargetSummary {
  id: TargetId;
  label: string;
  how: string;
  url: string;
  /** Medians over rounds. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  subgraphCallsPerRequest: number;
  sqlStatementsPerRequest: number;
  /** Share of responses served from Ponte's response cache (null: no cache). */
  cacheHitRatio: number | null;
  /** Share of cacheable subgraph fetches (per entity for `_entities`) answered by the entity cache. */
  entityHitRatio: number | null;
  /** The mix's writes, totals over rounds: each checked by a read right after it. */
  writes: { acknowledged: number; failed: number; stale: number; staleExamples: string[] } | null;
  cpu: { loadGenerator: number; gateway: number | null; subgraphs: number; other: number };
  /** Totals over rounds: all must be 0. */
  errors: number;
  non2xx: number;
  graphqlErrors: number;
  requests: number;
}

export interface Ratio {
  name: string;
  value: number;
  /** The issue's targets; the other ratios are there to read them by. */
  goal?: { text: string; met: boolean };
}

export const RESULTS_FILE = fileURLToPath(new URL('./results/latest.json', import.meta.url));

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function summarize(targets: readonly Target[], rounds: readonly RoundResult[]): TargetSummary[] {
  return targets.map((target) => {
    const mine = rounds.filter((round) => round.target === target.id);
    const gatewayCpu = mine.map((round) => round.cpu.gateway).filter((value): value is number => value !== null);
    const cacheHits = mine.flatMap((round) => (round.responseCache ? [round.responseCache.hits / Math.max(1, round.responseCache.hits + round.responseCache.misses)] : []));
    const entityHits = mine.flatMap((round) => (round.entityCache ? [round.entityCache.hits / Math.max(1, round.entityCache.hits + round.entityCache.misses)] : []));
    const writes = mine.flatMap((round) => (round.measurement.writes ? [round.measurement.writes] : []));
    return {
      id: target.id,
      label: target.label,
      how: target.how,
      url: target.url,
      rps: median(mine.map((round) => round.measurement.rps)),
      p50Ms: median(mine.map((round) => round.measurement.p50Ms)),
      p99Ms: median(mine.map((round) => round.measurement.p99Ms)),
      subgraphCallsPerRequest: median(mine.map((round) => round.subgraphCallsPerRequest)),
      sqlStatementsPerRequest: median(mine.map((round) => round.sqlStatementsPerRequest)),
      cacheHitRatio: cacheHits.length ? median(cacheHits) : null,
      entityHitRatio: target.mix && entityHits.length ? median(entityHits) : null,
      writes: writes.length
        ? {
            acknowledged: writes.reduce((sum, w) => sum + w.acknowledged, 0),
            failed: writes.reduce((sum, w) => sum + w.failed, 0),
            stale: writes.reduce((sum, w) => sum + w.stale, 0),
            staleExamples: writes.flatMap((w) => w.staleExamples).slice(0, 5),
          }
        : null,
      cpu: {
        loadGenerator: median(mine.map((round) => round.cpu.loadGenerator)),
        gateway: gatewayCpu.length ? median(gatewayCpu) : null,
        subgraphs: median(mine.map((round) => round.cpu.subgraphs)),
        other: median(mine.map((round) => round.cpu.other)),
      },
      errors: mine.reduce((sum, round) => sum + round.measurement.errors, 0),
      non2xx: mine.reduce((sum, round) => sum + round.measurement.non2xx, 0),
      graphqlErrors: mine.reduce((sum, round) => sum + round.measurement.graphqlErrors, 0),
      requests: mine.reduce((sum, round) => sum + round.measurement.requests, 0),
    };
  });
}

/** A target's summary; one left out of the run (BENCH_TARGETS) reads as not measured (NaN). */
function summaryOf(summaries: readonly TargetSummary[], id: TargetId): TargetSummary {
  const none = Number.NaN;
  const notRun: TargetSummary = {
    id,
    label: id,
    how: 'not run',
    url: '',
    rps: none,
    p50Ms: none,
    p99Ms: none,
    subgraphCallsPerRequest: none,
    sqlStatementsPerRequest: none,
    cacheHitRatio: null,
    entityHitRatio: null,
    writes: null,
    errors: 0,
    non2xx: 0,
    graphqlErrors: 0,
    requests: 0,
    cpu: { loadGenerator: none, gateway: null, subgraphs: none, other: none },
  };
  return summaries.find((summary) => summary.id === id) ?? notRun;
}

export function ratios(summaries: readonly TargetSummary[]): Ratio[] {
  const by = (id: TargetId) => summaryOf(summaries, id);
  const [ponte, noCache, noSecurity, noDedup, apollo, direct] = [by('ponte'), by('ponteNoCache'), by('ponteNoSecurity'), by('ponteNoDedup'), by('apollo'), by('direct')];
  const [ponteMix, apolloMix, directMix] = [by('ponteMix'), by('apolloMix'), by('directMix')];
  const rps = (name: string, of: TargetSummary, goal?: number): Ratio => ({
    name: `${name} rps / Apollo rps`,
    value: of.rps / apollo.rps,
    ...(goal === undefined ? {} : { goal: { text: `>= ${goal}`, met: of.rps / apollo.rps >= goal } }),
  });
  const p99 = (name: string, of: TargetSummary, goal?: number): Ratio => ({
    name: `${name} p99 / direct subgraph p99`,
    value: of.p99Ms / direct.p99Ms,
    ...(goal === undefined ? {} : { goal: { text: `<= ${goal}`, met: of.p99Ms / direct.p99Ms <= goal } }),
  });
  return [
    rps('Ponte', ponte, 3),
    p99('Ponte', ponte, 2),
    rps('Ponte cache-off', noCache),
    p99('Ponte cache-off', noCache),
    rps('Ponte cache-off no-dedup', noDedup),
    p99('Ponte cache-off no-dedup', noDedup),
    { name: 'Ponte cache-off: security on rps / security off rps', value: noCache.rps / noSecurity.rps },
    { name: 'MIX Ponte rps / Apollo rps', value: ponteMix.rps / apolloMix.rps, goal: { text: '>= 3', met: ponteMix.rps / apolloMix.rps >= 3 } },
    { name: 'MIX Ponte p99 / direct subgraph p99', value: ponteMix.p99Ms / directMix.p99Ms, goal: { text: '<= 2', met: ponteMix.p99Ms / directMix.p99Ms <= 2 } },
    { name: 'MIX Ponte stale reads after a write', value: ponteMix.writes?.stale ?? Number.NaN, goal: { text: '= 0', met: ponteMix.writes !== null && ponteMix.writes.stale === 0 && ponteMix.writes.acknowledged > 0 } },
  ];
}

/**
 * What the security plugins cost per request: "cache off" (security on) against "cache off,
 * security plugins off", the same gateway otherwise, in the same run.
 */
export function securityCost(summaries: readonly TargetSummary[]): { gatewayCpuUsPerRequest: { on: number; off: number; added: number } | null; p50AddedMs: number; p99AddedMs: number; rpsRatio: number } {
  const on = summaryOf(summaries, 'ponteNoCache');
  const off = summaryOf(summaries, 'ponteNoSecurity');
  // % of a core × 10 = CPU ms per second; ÷ requests per second = ms per request; × 1000 = µs.
  const perRequest = (summary: TargetSummary) => (summary.cpu.gateway === null ? null : (summary.cpu.gateway * 10 * 1000) / summary.rps);
  const [cpuOn, cpuOff] = [perRequest(on), perRequest(off)];
  return {
    gatewayCpuUsPerRequest: cpuOn === null || cpuOff === null ? null : { on: cpuOn, off: cpuOff, added: cpuOn - cpuOff },
    p50AddedMs: on.p50Ms - off.p50Ms,
    p99AddedMs: on.p99Ms - off.p99Ms,
    rpsRatio: on.rps / off.rps,
  };
}

/** Beyond this much CPU (% of a core) taken by other processes, a figure is suspect. */
const BUSY_MACHINE_PERCENT = 20;

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

export function formatRound(result: RoundResult, label: string, rounds: number): string {
  const m = result.measurement;
  const failures = m.errors + m.non2xx + m.graphqlErrors;
  return (
    `  round ${result.round}/${rounds}  ${label.padEnd(27)} ${fixed(m.rps, 0).padStart(6)} req/s  p50 ${fixed(m.p50Ms, 2).padStart(7)} ms  ` +
    `p99 ${fixed(m.p99Ms, 2).padStart(7)} ms  ${failures ? `FAILURES ${failures}` : 'ok'}` +
    (result.cpu.other > BUSY_MACHINE_PERCENT ? `  (other processes used ${fixed(result.cpu.other, 0)}% CPU)` : '')
  );
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

export function formatReport(config: BenchConfig, summaries: readonly TargetSummary[], ratioResults: readonly Ratio[], freshness: FreshnessResult): string {
  const results = table(
    ['target (median of rounds)', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'gql errors', 'cache hits', 'entity hits', 'writes ok/failed/stale', 'subgraph calls/req', 'SQL/req', 'CPU% loadgen', 'CPU% gateway', 'CPU% subgraphs', 'CPU% other'],
    summaries.map((s) => [
      s.label,
      fixed(s.rps, 0),
      fixed(s.p50Ms, 2),
      fixed(s.p99Ms, 2),
      String(s.errors),
      String(s.non2xx),
      String(s.graphqlErrors),
      s.cacheHitRatio === null ? '-' : `${fixed(s.cacheHitRatio * 100, 1)}%`,
      s.entityHitRatio === null ? '-' : `${fixed(s.entityHitRatio * 100, 1)}%`,
      s.writes === null ? '-' : `${s.writes.acknowledged}/${s.writes.failed}/${s.writes.stale}`,
      fixed(s.subgraphCallsPerRequest, 2),
      fixed(s.sqlStatementsPerRequest, 1),
      fixed(s.cpu.loadGenerator, 0),
      s.cpu.gateway === null ? '-' : fixed(s.cpu.gateway, 0),
      fixed(s.cpu.subgraphs, 0),
      fixed(s.cpu.other, 0),
    ]),
  );
  const ratioLines = ratioResults.map(
    (ratio) => `  ${ratio.name.padEnd(51)} ${fixed(ratio.value, 2).padStart(7)}${ratio.goal ? `   goal ${ratio.goal.text}: ${ratio.goal.met ? 'MET' : 'MISSED'}` : ''}`,
  );
  const busy = summaries.filter((s) => s.cpu.other > BUSY_MACHINE_PERCENT);
  const how = summaries.map((s) => `  ${s.label}: ${s.how}\n    ${s.url}`);
  return [
    '',
    `Storefront query, ${config.rounds} rounds x ${config.warmupS} s warm-up + ${config.durationS} s, ${config.connections} connections, on ${os.cpus().length} cores`,
    '',
    results,
    ...(config.database === 'postgres' ? ['', 'CPU% other includes the PostgreSQL server (DATABASE_URL) when it runs on this machine.'] : []),
    ...(busy.length ? ['', `WARNING: other processes took more than ${BUSY_MACHINE_PERCENT}% of a core while measuring ${busy.map((s) => s.label).join(', ')}: rerun on a quiet machine.`] : []),
    '',
    'Ratios (of medians):',
    ...ratioLines,
    '',
    ...formatSecurityCost(securityCost(summaries)),
    '',
    `Freshness (receiveStock through Ponte's gateway, then the same query at once): ${freshness.pass ? 'PASS' : 'FAIL'}`,
    `  ${freshness.sku} @ ${freshness.location}: ${freshness.detail}${freshness.cachedBeforeMutation ? ' (page was served from cache just before)' : ' (WARNING: page was not a cache hit just before)'}`,
    ...summaries.flatMap((s) => (s.writes ? [`${s.label}: ${s.writes.acknowledged} writes acknowledged (${s.writes.failed} refused, e.g. a sale at 0), ${s.writes.stale} stale reads right after${s.writes.staleExamples.length ? `: ${s.writes.staleExamples.join('; ')}` : ''}`] : [])),
    '',
    'How each target ran:',
    `  load generator: autocannon (programmatic) in the bench's own process (pid ${process.pid}), closed loop, keep-alive, ${config.connections} connections`,
    ...how,
    '',
  ].join('\n');
}

export async function writeResults(payload: unknown): Promise<string> {
  await mkdir(new URL('./results/', import.meta.url), { recursive: true });
  await writeFile(RESULTS_FILE, `${JSON.stringify(payload, null, 2)}\n`);
  return RESULTS_FILE;
}

/** The nearest-rank percentile (`p` from 0 to 100) of some timings. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** A bench's own results file, `results/<name>-latest.json` (not committed). */
export async function writeNamedResults(name: string, payload: unknown): Promise<string> {
  await mkdir(new URL('./results/', import.meta.url), { recursive: true });
  const file = fileURLToPath(new URL(`./results/${name}-latest.json`, import.meta.url));
  await writeFile(file, `${JSON.stringify(payload, null, 2)}\n`);
  return file;
}

function formatSecurityCost(cost: ReturnType<typeof securityCost>): string[] {
  const cpu = cost.gatewayCpuUsPerRequest;
  return [
    'Cost of the security plugins per request (cache off, security on vs off, medians):',
    `  gateway CPU: ${cpu ? `${fixed(cpu.on, 0)} µs on, ${fixed(cpu.off, 0)} µs off: +${fixed(cpu.added, 0)} µs per request` : 'not measured'}`,
    `  latency: p50 ${cost.p50AddedMs >= 0 ? '+' : ''}${fixed(cost.p50AddedMs, 2)} ms, p99 ${cost.p99AddedMs >= 0 ? '+' : ''}${fixed(cost.p99AddedMs, 2)} ms; throughput on/off ${fixed(cost.rpsRatio, 2)}`,
  ];
}
