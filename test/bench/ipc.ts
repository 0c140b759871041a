/**
 * Messages between the bench (parent) and the processes it measures. Every child gets one
 * `start`, answers `ready` (or `failed`), then answers each `stats` until `stop`; a child also
 * exits on its own when the IPC channel drops, so a crashed or killed parent leaves nothing behind.
 */

export interface SubgraphsStart {
  type: 'start';
  gatewaySecret: string;
  /** How many SKUs to add for the realistic mix (test/bench/storefront-mix.ts). */
  catalogSkus: number;
}

export interface PonteGatewayStart {
  type: 'start';
  gatewaySecret: string;
  supergraphSdl: string;
  planner: 'rust' | 'javascript';
  responseCache: boolean;
  /** The gateway's `security` option: every edge plugin (limits, rate limit, identity…) on or off. */
  security: boolean;
  /** Subscription fan-out (gateway/plugins/use-subscription-fan-out.ts). @default true */
  subscriptionFanOut?: boolean;
  /** Subscriptions per socket and per caller (every bench socket has a key of its own). @default the gateway's */
  subscriptionsPerConnection?: number;
}

export interface ApolloGatewayStart {
  type: 'start';
  gatewaySecret: string;
  supergraphSdl: string;
}

export type StartMessage = SubgraphsStart | PonteGatewayStart | ApolloGatewayStart;

export type ParentMessage = StartMessage | { type: 'stats'; memory?: boolean } | { type: 'stop' };

/** What a child measures about itself; counters are totals since it started. */
export interface ChildStats {
  /** User + system CPU time of the child, to see which process a target keeps busy. */
  cpuMs: number;
  /** HTTP requests each subgraph received (the subgraphs child only). */
  subgraphRequests?: Record<string, number>;
  /** SQL statements each subgraph sent its database (the subgraphs child only). */
  sqlStatements?: Record<string, number>;
  /** Ponte's response cache counters (a Ponte gateway with the cache on only). */
  responseCache?: { hits: number; misses: number; enabled: boolean; entities?: { hits: number; misses: number; stored: number } };
  /** Asked for with `stats({ memory: true })`; after a full GC when the child runs with --expose-gc. */
  memory?: { heapUsedBytes: number; rssBytes: number };
  /** Subscriptions the inventory's stock feed is serving (the subgraphs child only). */
  stockSubscribers?: number;
  /** Shared upstream subscriptions and their subscribers (a Ponte gateway with fan-out on only). */
  subscriptionFanOut?: { upstreams: number; subscribers: number; droppedSlow: number };
}

export type ChildMessage =
  | { type: 'ready'; urls: Record<string, string>; description: string }
  | { type: 'failed'; message: string }
  | { type: 'stats'; stats: ChildStats };

export function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function memoryNow(): ChildStats['memory'] {
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return { heapUsedBytes: usage.heapUsed, rssBytes: usage.rss };
}

/**
 * The child side of the protocol: waits for `start`, runs `start`, reports, serves `stats`,
 * closes on `stop` or when the parent goes away. `start` returns what `ready` reports and how to
 * read stats and close.
 */
export function serveChild<Start extends StartMessage>(
  start: (message: Start) => Promise<{ urls: Record<string, string>; description: string; stats: () => Omit<ChildStats, 'cpuMs'>; close: () => Promise<void> }>,
): void {
  const send = (message: ChildMessage) => process.send?.(message);
  let close: (() => Promise<void>) | undefined;
  let stats: () => Omit<ChildStats, 'cpuMs'> = () => ({});
  let stopping = false;

  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    // A close that hangs (a socket that never drains) must not keep the process alive.
    setTimeout(() => process.exit(code), 3000).unref();
    await close?.().catch(() => {});
    process.exit(code);
  };

  if (!process.send) throw new Error('This file is a child process of test/bench/storefront.bench.ts; run `npm run bench`.');
  process.on('disconnect', () => void stop(0));
  process.on('message', (raw) => {
    const message = raw as ParentMessage;
    if (message.type === 'start') {
      start(message as Start).then(
        (started) => {
          close = started.close;
          stats = started.stats;
          send({ type: 'ready', urls: started.urls, description: started.description });
        },
        (error: unknown) => {
          send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
          void stop(1);
        },
      );
    } else if (message.type === 'stats') {
      // The collection is not billed to the CPU read here: it comes after.
      send({ type: 'stats', stats: { cpuMs: cpuMs(), ...stats(), ...(message.memory ? { memory: memoryNow() } : {}) } });
    } else if (message.type === 'stop') {
      void stop(0);
    }
  });
}
