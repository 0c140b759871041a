import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ChildStats, StartMessage } from './ipc.ts';

// Seeding the mix's catalogue on a busy machine takes a while.
const START_TIMEOUT_MS = 180_000;
/** A child swamped by the load it is measured under (the bench:subscriptions "off" side) answers late. */
const REPLY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

export interface Child {
  readonly name: string;
  readonly urls: Record<string, string>;
  readonly description: string;
  readonly pid: number;
  /** `memory`: also its heap, after a full GC (see `nodeOptions`). */
  stats(options?: { memory?: boolean }): Promise<ChildStats>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Kills whatever is still running; safe to call from any exit path, several times. */
export function killAllChildren(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/**
 * Asks every child still running to stop, newest first (gateways before the subgraphs they
 * call), killing any that does not within the grace period. Graceful, so a subgraphs child on
 * DATABASE_URL drops its throwaway schemas.
 */
export async function stopAllChildren(): Promise<void> {
  for (const child of [...running].reverse()) await stopProcess(child);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const grace = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  if (child.connected) child.send({ type: 'stop' });
  else child.kill('SIGTERM');
  await exited;
  clearTimeout(grace);
}

function nextMessage(child: ChildProcess, name: string, type: ChildMessage['type'], timeoutMs: number): Promise<ChildMessage> {
  return new Promise((resolve, reject) => {
    if (!child.connected) {
      reject(new Error(`${name} is gone (${child.signalCode ?? child.exitCode ?? 'IPC channel closed'}): cannot ask it for "${type}"`));
      return;
    }
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (raw: unknown) => {
      const message = raw as ChildMessage;
      if (message.type === 'failed') {
        cleanup();
        reject(new Error(`${name} failed to start:\n${message.message}`));
      } else if (message.type === type) {
        cleanup();
        resolve(message);
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      cleanup();
      reject(new Error(`${name} exited (${signal ?? code}) before answering "${type}"`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${name} did not answer "${type}" within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/**
 * Starts `file` (next to this one) as a child process on this Node (process.execPath, so Node 24
 * with type stripping under `npm run bench`), sends it `start` and waits for its URLs.
 * Its stdout/stderr are the bench's, so its warnings and crashes show up. `nodeOptions` go to
 * its Node (`--expose-gc`, so its memory is read after a full collection).
 */
export async function startChild(name: string, file: string, start: StartMessage, nodeOptions: string[] = []): Promise<Child> {
  const child = fork(fileURLToPath(new URL(file, import.meta.url)), [], {
    execPath: process.execPath,
    // BENCH_CPU_PROF_DIR: each child writes a V8 CPU profile there when it stops (open in Chrome DevTools).
    execArgv: [...nodeOptions, ...(process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`, `--cpu-prof-name=${name}.cpuprofile`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // Info logs per request would cost the measured process and flood the table.
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  // A send racing the child's death emits 'error'; the pending request already fails on 'exit'.
  child.on('error', () => {});
  try {
    const ready = nextMessage(child, name, 'ready', START_TIMEOUT_MS);
    child.send(start);
    const message = await ready;
    if (message.type !== 'ready') throw new Error(`${name}: unexpected ${message.type}`);
    return {
      name,
      urls: message.urls,
      description: message.description,
      pid: child.pid ?? -1,
      async stats(options = {}) {
        const reply = nextMessage(child, name, 'stats', REPLY_TIMEOUT_MS);
        child.send({ type: 'stats', ...options });
        const answer = await reply;
        if (answer.type !== 'stats') throw new Error(`${name}: unexpected ${answer.type}`);
        return answer.stats;
      },
      stop: () => stopProcess(child),
    };
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
}
