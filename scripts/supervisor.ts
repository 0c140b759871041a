import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { Worker, type ResourceLimits, type TransferListItem } from 'node:worker_threads';
import { SharedTypeStripping } from './shared-type-stripping.ts';

/**
 * Runs a set of services, the way `npm start` does, each as a child process or as a thread of
 * this process (`isolation`): starts each once the services it depends on are ready, waits for it to be
 * ready, and restarts one that exits on its own with exponential backoff, while the others keep
 * running. A service that keeps crashing soon after starting is given up on (and said so);
 * everything stops only when `stop()` is called (Ctrl-C).
 *
 * A thread is the cheaper home (no second Node runtime: some 60 MB less each) and a crash in it
 * (an uncaught error, `process.exit`) ends that thread only; what it cannot survive is what ends
 * the process itself: a native crash or running out of memory takes every thread with it.
 */

export interface SupervisedService {
  name: string;
  /** Script run with the supervisor's own Node (`process.execPath`), or in a thread of it. */
  entry: string;
  env: NodeJS.ProcessEnv;
  /** Services that must be ready before this one starts. */
  dependsOn: readonly string[];
  /** Whether the run with this id (a pid, or a thread id) serves yet (a readiness endpoint answers 200). */
  isReady(id: number): Promise<boolean>;
  /**
   * A child process, or a thread of the supervisor's process (`scripts/service-thread.ts` runs
   * `entry` there; SIGTERM becomes a message, `process.exit` ends the thread).
   * @default 'process'
   */
  isolation?: 'process' | 'thread';
  /** For a thread: limits of its V8 heap (a smaller young generation keeps less garbage resident). */
  resourceLimits?: ResourceLimits;
  /** For a thread: what it finds in `workerData` besides its entry, made afresh for every run (ports to transfer). */
  threadData?: () => { data: Record<string, unknown>; transfer: TransferListItem[] };
}

/** One run of a service, process or thread, as the supervisor drives it. */
interface Run {
  /** The pid, or the thread id. */
  readonly id: number;
  readonly stdout: Readable;
  readonly stderr: Readable;
  readonly exited: boolean;
  onExit(listener: (cause: ExitCause) => void): void;
  /** Asks it to finish its work and exit (SIGTERM). */
  terminate(): void;
  /** Ends it now (SIGKILL). */
  kill(): void;
}

const SERVICE_THREAD = new URL('./service-thread.ts', import.meta.url);
/** Every thread's TypeScript is stripped here, once (`scripts/shared-type-stripping.ts`). */
const typeStripping = new SharedTypeStripping();

function runProcess(service: SupervisedService, onError: (error: Error) => void): Run {
  const child = spawn(process.execPath, [service.entry], { env: service.env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.once('error', onError);
  return {
    id: child.pid ?? -1,
    stdout: child.stdout!,
    stderr: child.stderr!,
    get exited() {
      return child.exitCode !== null || child.signalCode !== null;
    },
    onExit: (listener) => child.once('exit', (code, signal) => listener({ code, signal })),
    terminate: () => child.kill('SIGTERM'),
    kill: () => child.kill('SIGKILL'),
  };
}

function runThread(service: SupervisedService, onError: (error: Error) => void): Run {
  const extra = service.threadData?.() ?? { data: {}, transfer: [] };
  const stripped = typeStripping.connect();
  const worker = new Worker(typeStripping.threadScript(SERVICE_THREAD), {
    env: service.env,
    stdout: true,
    stderr: true,
    workerData: { ...extra.data, entry: service.entry, strippedSources: stripped.channel },
    transferList: [...extra.transfer, ...stripped.transfer],
    ...(service.resourceLimits ? { resourceLimits: service.resourceLimits } : {}),
    // A thread's name in a heap snapshot or a profile.
    name: service.name,
  });
  let exited = false;
  // An uncaught error ends the thread (exit code 1); say what it was, as a process would on stderr.
  worker.on('error', (error) => onError(error));
  worker.once('exit', () => (exited = true));
  return {
    id: worker.threadId,
    stdout: worker.stdout,
    stderr: worker.stderr,
    get exited() {
      return exited;
    },
    onExit: (listener) => worker.once('exit', (code) => listener({ code, signal: null })),
    terminate: () => worker.postMessage('SIGTERM'),
    kill: () => void worker.terminate(),
  };
}

export interface RestartPolicy {
  /** Delay before the first restart; doubled for every quick crash in a row. @default 500 */
  initialDelayMs?: number;
  /** @default 30_000 */
  maxDelayMs?: number;
  /** A run shorter than this counts as a quick crash; a longer one resets the count. @default 30_000 */
  quickCrashMs?: number;
  /** Quick crashes in a row after which the service is not restarted again. @default 5 */
  maxQuickCrashes?: number;
}

export type ExitCause = { code: number | null; signal: NodeJS.Signals | null };

/** What happens to services, for the console (`scripts/console-output.ts`) to tell a person. */
export type SupervisorEvent =
  | { kind: 'starting'; service: string }
  | { kind: 'ready'; service: string; afterMs: number; restarts: number }
  | { kind: 'exited'; service: string; cause: ExitCause; restartInMs: number; quickCrashes: number; maxQuickCrashes: number }
  | { kind: 'gave-up'; service: string; cause: ExitCause; quickCrashes: number }
  | { kind: 'stopping' }
  | { kind: 'stopped'; service: string; forced: boolean };

export interface SupervisorOptions {
  services: readonly SupervisedService[];
  restart?: RestartPolicy;
  /** How long a service gets to become ready. @default 120_000 */
  readinessTimeoutMs?: number;
  /** How long a service gets to exit after SIGTERM before SIGKILL. @default 10_000 */
  stopTimeoutMs?: number;
  /** @default 250 */
  readinessPollMs?: number;
  onEvent(event: SupervisorEvent): void;
  /** Every line a service writes, as it comes. */
  onLine(service: string, stream: 'stdout' | 'stderr', line: string): void;
}

export class ServiceGaveUp extends Error {
  readonly service: string;

  constructor(service: string) {
    super(`${service} kept crashing while starting; not restarting it`);
    this.name = 'ServiceGaveUp';
    this.service = service;
  }
}

/** What `start()` rejects with when `stop()` was called before every service was ready (Ctrl-C). */
export class SupervisorStopped extends Error {
  constructor() {
    super('stopped before every service was ready');
    this.name = 'SupervisorStopped';
  }
}

const DEFAULTS = { initialDelayMs: 500, maxDelayMs: 30_000, quickCrashMs: 30_000, maxQuickCrashes: 5 } as const;

interface Slot {
  service: SupervisedService;
  child: Run | undefined;
  startedAt: number;
  quickCrashes: number;
  restarts: number;
  restartTimer: NodeJS.Timeout | undefined;
  /** Settles when the current run is ready (or the service is given up on). */
  ready: Promise<void>;
  markReady: () => void;
  markGaveUp: (error: Error) => void;
}

/** The backoff before restart number `quickCrashes` (1 for the first): doubling from `initialDelayMs`, capped. */
export function restartDelayMs(quickCrashes: number, policy: RestartPolicy = {}): number {
  const { initialDelayMs, maxDelayMs } = { ...DEFAULTS, ...policy };
  return Math.min(maxDelayMs, initialDelayMs * 2 ** Math.max(0, quickCrashes - 1));
}

export class Supervisor {
  readonly #options: SupervisorOptions;
  readonly #policy: Required<RestartPolicy>;
  readonly #slots = new Map<string, Slot>();
  #stopping: Promise<void> | undefined;

  constructor(options: SupervisorOptions) {
    this.#options = options;
    this.#policy = { ...DEFAULTS, ...options.restart };
    for (const service of options.services) {
      if (this.#slots.has(service.name)) throw new Error(`Service ${service.name} is listed twice`);
      this.#slots.set(service.name, this.#newSlot(service));
    }
    for (const service of options.services) {
      for (const dependency of service.dependsOn) if (!this.#slots.has(dependency)) throw new Error(`${service.name} depends on ${dependency}, which is not a service`);
    }
  }

  /** The pid (or thread id) of each running service (a service being restarted or given up on has none). */
  pids(): Record<string, number | undefined> {
    return Object.fromEntries([...this.#slots].map(([name, slot]) => [name, slot.child && !slot.child.exited ? slot.child.id : undefined]));
  }

  /** Ends a service's current run at once, as a crash would (SIGKILL, or a thread terminated); it is restarted like any crash. */
  kill(name: string): void {
    this.#slots.get(name)?.child?.kill();
  }

  /**
   * Starts every service as soon as the services it depends on are ready (not wave by wave: one
   * slow service holds back only its dependents); rejects (after stopping them all) if one cannot start.
   */
  async start(): Promise<void> {
    this.#checkNoCycle();
    const starting = new Map<string, Promise<void>>();
    const started = (slot: Slot): Promise<void> => {
      let ready = starting.get(slot.service.name);
      if (!ready) {
        ready = Promise.all(slot.service.dependsOn.map((name) => started(this.#slots.get(name)!))).then(() => {
          if (this.#stopping) throw new SupervisorStopped();
          this.#launch(slot);
          return slot.ready;
        });
        starting.set(slot.service.name, ready);
      }
      return ready;
    };
    try {
      await Promise.all([...this.#slots.values()].map(started));
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** A cycle of dependencies would wait forever: refused before anything starts. */
  #checkNoCycle(): void {
    const resolved = new Set<string>();
    let pending = [...this.#options.services];
    while (pending.length > 0) {
      const next = pending.filter((service) => service.dependsOn.every((name) => resolved.has(name)));
      if (next.length === 0) throw new Error(`Unresolvable service dependencies: ${pending.map((service) => service.name).join(', ')}`);
      for (const service of next) resolved.add(service.name);
      pending = pending.filter((service) => !resolved.has(service.name));
    }
  }

  /** Stops every service, dependents first (the gateway before the subgraphs it calls). */
  stop(): Promise<void> {
    this.#stopping ??= this.#stopAll();
    return this.#stopping;
  }

  async #stopAll(): Promise<void> {
    this.#options.onEvent({ kind: 'stopping' });
    for (const slot of this.#slots.values()) {
      clearTimeout(slot.restartTimer);
      slot.markGaveUp(new SupervisorStopped());
    }
    for (const slot of [...this.#slots.values()].reverse()) {
      const child = slot.child;
      if (!child || child.exited) continue;
      const exited = new Promise((resolve) => child.onExit(resolve));
      child.terminate();
      let timeout: NodeJS.Timeout | undefined;
      const timer = new Promise((resolve) => (timeout = setTimeout(resolve, this.#options.stopTimeoutMs ?? 10_000, 'timeout')));
      const forced = (await Promise.race([exited, timer])) === 'timeout';
      clearTimeout(timeout);
      if (forced) {
        child.kill();
        await exited;
      }
      this.#options.onEvent({ kind: 'stopped', service: slot.service.name, forced });
    }
  }

  #newSlot(service: SupervisedService): Slot {
    let markReady!: () => void;
    let markGaveUp!: (error: Error) => void;
    // Awaited by start() until the first run is ready (through any restarts before it); later
    // runs' readiness is reported, not awaited, and settling it again changes nothing.
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      markGaveUp = reject;
    });
    ready.catch(() => {});
    return { service, child: undefined, startedAt: 0, quickCrashes: 0, restarts: 0, restartTimer: undefined, ready, markReady, markGaveUp };
  }

  #launch(slot: Slot): void {
    const { service } = slot;
    this.#options.onEvent({ kind: 'starting', service: service.name });
    const run = service.isolation === 'thread' ? runThread : runProcess;
    const child = run(service, (error) => this.#options.onLine(service.name, 'stderr', service.isolation === 'thread' ? `crashed: ${error.stack ?? error.message}` : `could not start: ${error.message}`));
    slot.child = child;
    slot.startedAt = Date.now();
    createInterface({ input: child.stdout }).on('line', (line) => this.#options.onLine(service.name, 'stdout', line));
    createInterface({ input: child.stderr }).on('line', (line) => this.#options.onLine(service.name, 'stderr', line));
    child.onExit((cause) => this.#exited(slot, child, cause));
    void this.#awaitReady(slot, child);
  }

  async #awaitReady(slot: Slot, child: Run): Promise<void> {
    const deadline = slot.startedAt + (this.#options.readinessTimeoutMs ?? 120_000);
    const running = () => slot.child === child && !child.exited && !this.#stopping;
    while (running()) {
      if (await slot.service.isReady(child.id).catch(() => false)) {
        if (!running()) return;
        this.#options.onEvent({ kind: 'ready', service: slot.service.name, afterMs: Date.now() - slot.startedAt, restarts: slot.restarts });
        slot.markReady();
        return;
      }
      if (Date.now() > deadline) {
        // Hung rather than crashed: end it, and the exit handler restarts it like any crash.
        this.#options.onLine(slot.service.name, 'stderr', `not ready after ${Math.round((this.#options.readinessTimeoutMs ?? 120_000) / 1000)} s; restarting it`);
        child.kill();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, this.#options.readinessPollMs ?? 250));
    }
  }

  #exited(slot: Slot, child: Run, cause: ExitCause): void {
    if (slot.child !== child || this.#stopping) return;
    slot.child = undefined;
    const quick = Date.now() - slot.startedAt < this.#policy.quickCrashMs;
    slot.quickCrashes = quick ? slot.quickCrashes + 1 : 1;
    if (slot.quickCrashes >= this.#policy.maxQuickCrashes) {
      this.#options.onEvent({ kind: 'gave-up', service: slot.service.name, cause, quickCrashes: slot.quickCrashes });
      slot.markGaveUp(new ServiceGaveUp(slot.service.name));
      return;
    }
    const restartInMs = restartDelayMs(slot.quickCrashes, this.#policy);
    this.#options.onEvent({ kind: 'exited', service: slot.service.name, cause, restartInMs, quickCrashes: slot.quickCrashes, maxQuickCrashes: this.#policy.maxQuickCrashes });
    slot.restartTimer = setTimeout(() => {
      if (this.#stopping) return;
      slot.restarts++;
      this.#launch(slot);
    }, restartInMs);
  }
}
