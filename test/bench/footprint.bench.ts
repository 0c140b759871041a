import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { runLoad, type Measurement } from './load.ts';
import { STOREFRONT_QUERY } from './targets.ts';

/**
 * `npm run bench:footprint`: what `npm start` costs on this machine. Each run starts `npm start`
 * on a fresh data directory (a fresh clone's first start: initdb, migrations, demo data) and
 * measures the time until it says it is ready, then the resident memory of its whole process
 * tree (npm, the shell, Ponte: VmRSS from /proc, summed), then again after a storefront load
 * through the gateway with the development storefront key it printed, and at the peak of that
 * load. Medians over the runs. Env: BENCH_RUNS (3), BENCH_DURATION_S (10), BENCH_CONNECTIONS (10),
 * BENCH_START_COMMAND (`npm start --`: another way of starting to compare with, `--json` appended).
 * The gateway's rate limit is off (the load is one caller's, well over its share).
 * The goals (at most 1 GB, ready within 20 s) are reported, not enforced. Uses the fixed ports
 * `npm start` uses: nothing else may be listening on them.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const number = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const runs = number('BENCH_RUNS', 3);
const durationS = number('BENCH_DURATION_S', 10);
const connections = number('BENCH_CONNECTIONS', 10);
const [command, ...args] = (process.env.BENCH_START_COMMAND || 'npm start --').split(' ').filter(Boolean);
const MEMORY_GOAL_MB = 1024;
const READY_GOAL_S = 20;

/** Every process below `pid`, and itself, from /proc. */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name is in parentheses and may hold spaces: the parent's pid is the second field after it.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // Gone meanwhile.
    }
  }
  const tree: number[] = [];
  const visit = (current: number) => {
    tree.push(current);
    for (const child of children.get(current) ?? []) visit(child);
  };
  visit(pid);
  return tree;
}

/** Resident memory of the process tree, in MB. */
function treeRssMb(pid: number): { totalMb: number; processes: number } {
  let kb = 0;
  const tree = processTree(pid);
  for (const each of tree) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${each}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // Gone meanwhile.
    }
  }
  return { totalMb: Math.round(kb / 1024), processes: tree.length };
}

interface RunResult {
  readyS: number;
  afterStartMb: number;
  afterLoadMb: number;
  peakMb: number;
  processes: number;
  load: Measurement;
  loadAverage: number;
}

async function stop(npm: ChildProcess): Promise<void> {
  if (npm.exitCode !== null || npm.signalCode !== null) return;
  const exited = new Promise((resolve) => npm.once('exit', resolve));
  // Its own process group (detached): npm, the shell and Ponte get the Ctrl-C a terminal would send.
  process.kill(-npm.pid!, 'SIGINT');
  const timer = setTimeout(() => process.kill(-npm.pid!, 'SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

async function measureRun(run: number): Promise<RunResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ponte-footprint-'));
  const startedAt = performance.now();
  const npm = spawn(command!, [...args, '--json'], { cwd: root, env: { ...process.env, PONTE_DATA_DIR: dataDir, DATABASE_URL: '', PONTE_RATE_LIMIT: 'off' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  try {
    const ready = new Promise<void>((resolve, reject) => {
      createInterface({ input: npm.stdout! }).on('line', (line) => {
        if (line.includes('"msg":"ready"')) resolve();
        if (line.includes('failed to start')) reject(new Error(line));
      });
      npm.stderr!.resume();
      npm.once('exit', (code) => reject(new Error(`npm start exited with ${code} before it was ready`)));
    });
    await ready;
    const readyS = (performance.now() - startedAt) / 1000;
    // What is still settling right after "ready" (the platform subgraphs' first sync) settles.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const afterStart = treeRssMb(npm.pid!);

    const credentials = JSON.parse(readFileSync(join(dataDir, 'dev-credentials.json'), 'utf8')) as { keys: Array<{ role: string; plaintextKey: string }> };
    const key = credentials.keys.find((each) => each.role === 'storefront')!.plaintextKey;
    let peakMb = afterStart.totalMb;
    const sampler = setInterval(() => (peakMb = Math.max(peakMb, treeRssMb(npm.pid!).totalMb)), 250);
    const load = await runLoad(
      { url: 'http://127.0.0.1:4000/graphql', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query: STOREFRONT_QUERY }) },
      { durationS, connections },
    );
    clearInterval(sampler);
    const afterLoad = treeRssMb(npm.pid!);
    const failures = load.errors + load.non2xx + load.graphqlErrors;
    if (load.requests === 0 || failures > 0) throw new Error(`run ${run}: the storefront load failed: ${load.requests} responses, ${load.errors} errors, ${load.non2xx} non-2xx, ${load.graphqlErrors} with GraphQL errors`);
    return { readyS, afterStartMb: afterStart.totalMb, afterLoadMb: afterLoad.totalMb, peakMb: Math.max(peakMb, afterLoad.totalMb), processes: afterStart.processes, load, loadAverage: loadavg()[0]! };
  } finally {
    await stop(npm);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const results: RunResult[] = [];
for (let run = 1; run <= runs; run++) {
  const result = await measureRun(run);
  results.push(result);
  console.log(
    `run ${run}: ready in ${result.readyS.toFixed(1)} s; ${result.processes} processes, ${result.afterStartMb} MB after start, ${result.afterLoadMb} MB after the load (peak ${result.peakMb} MB); ` +
      `storefront ${Math.round(result.load.rps)} req/s, p50 ${result.load.p50Ms.toFixed(1)} ms, p99 ${result.load.p99Ms.toFixed(1)} ms; load average ${result.loadAverage.toFixed(1)}`,
  );
}
const readyS = median(results.map((result) => result.readyS));
const afterStartMb = median(results.map((result) => result.afterStartMb));
const afterLoadMb = median(results.map((result) => result.afterLoadMb));
const peakMb = median(results.map((result) => result.peakMb));
const within = (ok: boolean) => (ok ? 'within' : 'OVER');
console.log(
  [
    '',
    `${command} ${args.join(' ')}, fresh data directory, median of ${runs} runs (${durationS} s storefront load, ${connections} connections, through the gateway with the storefront key):`,
    `  ready in ${readyS.toFixed(1)} s (${within(readyS <= READY_GOAL_S)} the ${READY_GOAL_S} s goal)`,
    `  resident memory, whole process tree: ${afterStartMb} MB after start, ${afterLoadMb} MB after the load, ${peakMb} MB at its peak (${within(Math.max(afterStartMb, afterLoadMb) <= MEMORY_GOAL_MB)} the ${MEMORY_GOAL_MB} MB goal)`,
    `  storefront: ${Math.round(median(results.map((result) => result.load.rps)))} req/s, p50 ${median(results.map((result) => result.load.p50Ms)).toFixed(1)} ms`,
    `  machine: load average ${median(results.map((result) => result.loadAverage)).toFixed(1)} on ${(await import('node:os')).cpus().length} cores`,
  ].join('\n'),
);
