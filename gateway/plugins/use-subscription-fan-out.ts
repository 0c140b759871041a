import { createHash } from 'node:crypto';
import stableJson from 'fast-json-stable-stringify';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { createGraphQLError } from '@graphql-tools/utils';
import { print, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Logger } from '../../kit/logger.ts';
import type { Principal } from '../../kit/principal.ts';

/** The code a subscriber gets, in its last event, when it is ended for not keeping up. */
export const SUBSCRIBER_TOO_SLOW = 'SUBSCRIBER_TOO_SLOW';
/**
 * Events held for one subscriber that has not taken them yet. Stock events come a few a second
 * per SKU at most; a client this far behind is not reading its socket.
 */
export const DEFAULT_MAX_BUFFERED_EVENTS = 100;

export interface SubscriptionFanOutOptions {
  /**
   * Events kept for a subscriber that has not taken them (its socket is not draining); one more
   * ends that subscriber with `SUBSCRIBER_TOO_SLOW`, and the others are not held back.
   * @default DEFAULT_MAX_BUFFERED_EVENTS (100)
   */
  maxBufferedEvents?: number;
  /** Where a dropped slow subscriber is logged (at warn). @default none */
  log?: Logger | undefined;
}

export interface SubscriptionFanOutStats {
  /** Upstream subscriptions (one evaluation per event each) running now. */
  upstreams: number;
  /** Subscribers served by them. */
  subscribers: number;
  /** Subscribers ended with SUBSCRIBER_TOO_SLOW since the gateway started. */
  droppedSlow: number;
}

export interface SubscriptionFanOut extends GatewayPlugin {
  stats(): SubscriptionFanOutStats;
}

type SubscribeResult = AsyncIterable<ExecutionResult> | ExecutionResult;
type SubscribeFn = (args: SubscribeArgs) => SubscribeResult | Promise<SubscribeResult>;
interface SubscribeArgs {
  document: DocumentNode;
  variableValues?: Record<string, unknown> | null | undefined;
  operationName?: string | null | undefined;
  contextValue?: unknown;
  signal?: AbortSignal | undefined;
}

/**
 * Identical subscriptions share one upstream subscription and one evaluation per event: the
 * gateway subscribes to the subgraph and resolves every event's entity fetches (`product { title }`
 * from the catalog…) once, and hands the same result to each subscriber. Without it, 1,000
 * subscribers of one SKU were 1,000 upstream subscriptions and 1,000 evaluations of every event.
 *
 * "Identical" is the same operation document, operation name and variables, and the same rights:
 * the caller's role, sorted scopes and channel and location restrictions (a principal's id is not
 * part of it — two storefront keys see the same thing — but different rights never share, so no one
 * is served what their own authorization would have refused or shaped differently).
 *
 * Everything per subscriber still happens per subscriber, because each one still passes through
 * envelop's subscribe with its own hooks: authentication, authorization, the subscription limits
 * per socket and per caller, and the audit of each start. Only the call to the executor is shared
 * (envelop's `setSubscribeFn`, https://the-guild.dev/graphql/envelop/docs/plugins/lifecycle).
 * Apollo Router does the same with `subscription.deduplication` (keyed on the subgraph request
 * and the caller's auth claims); Hive Gateway deduplicates in-flight HTTP requests only.
 *
 * Each subscriber has a bounded buffer: the upstream never waits for a subscriber, and one whose
 * socket does not drain is ended with `SUBSCRIBER_TOO_SLOW` instead of holding memory or the
 * others. The upstream ends when its last subscriber leaves; when the upstream ends or fails,
 * every subscriber ends with it.
 */
export function useSubscriptionFanOut(options: SubscriptionFanOutOptions = {}): SubscriptionFanOut {
  const maxBufferedEvents = options.maxBufferedEvents ?? DEFAULT_MAX_BUFFERED_EVENTS;
  if (!Number.isInteger(maxBufferedEvents) || maxBufferedEvents < 1) throw new Error(`useSubscriptionFanOut: maxBufferedEvents must be a positive integer, got ${maxBufferedEvents}`);
  const log = options.log?.child({ component: 'subscription-fan-out' });
  const upstreams = new Map<string, Upstream>();
  const printed = new WeakMap<DocumentNode, string>();
  const stats = { droppedSlow: 0 };

  function keyOf(args: SubscribeArgs): string {
    let document = printed.get(args.document);
    if (document === undefined) {
      document = print(args.document);
      printed.set(args.document, document);
    }
    const principal = (args.contextValue as { principal?: Principal } | undefined)?.principal;
    const rights = principal
      ? [principal.role, [...principal.scopes].sort(), principal.channels ? [...principal.channels].sort() : null, principal.locations ? [...principal.locations].sort() : null]
      : null;
    return createHash('sha256')
      .update(stableJson([rights, args.operationName ?? null, args.variableValues ?? {}]))
      .update('\n')
      .update(document)
      .digest('base64url');
  }

  return {
    onSubscribe({ subscribeFn, setSubscribeFn }) {
      // The executor's subscribe, as the runtime set it before this plugin: called once per key.
      const execute = subscribeFn as unknown as SubscribeFn;
      const fanOut: SubscribeFn = (subscribeArgs) => {
        const key = keyOf(subscribeArgs);
        let upstream = upstreams.get(key);
        if (!upstream) {
          upstream = new Upstream(execute, subscribeArgs, maxBufferedEvents, () => {
            if (upstreams.get(key) === upstream) upstreams.delete(key);
          }, () => {
            stats.droppedSlow++;
            log?.warn({ operationName: subscribeArgs.operationName ?? null, maxBufferedEvents }, 'subscriber too slow: ended');
          });
          upstreams.set(key, upstream);
        }
        return upstream.join();
      };
      setSubscribeFn(fanOut as unknown as typeof subscribeFn);
    },
    stats() {
      let subscribers = 0;
      for (const upstream of upstreams.values()) subscribers += upstream.size;
      return { upstreams: upstreams.size, subscribers, droppedSlow: stats.droppedSlow };
    },
  };
}

/** One upstream subscription and the subscribers it serves. */
class Upstream {
  readonly #subscribers = new Set<Subscriber>();
  readonly #maxBuffered: number;
  readonly #onClosed: () => void;
  readonly #onSlow: () => void;
  readonly #started: Promise<SubscribeResult>;
  #iterator: AsyncIterator<ExecutionResult> | undefined;
  #closed = false;

  constructor(execute: SubscribeFn, args: SubscribeArgs, maxBuffered: number, onClosed: () => void, onSlow: () => void) {
    this.#maxBuffered = maxBuffered;
    this.#onClosed = onClosed;
    this.#onSlow = onSlow;
    // The first subscriber's arguments, signal included: Ponte turns the runtime's request
    // cancellation off, and an AbortSignal of our own here stopped the upstream from delivering
    // (test/e2e/gateway-cli.test.ts); the upstream ends through return() below.
    this.#started = (async () => execute(args))();
    this.#started.then(
      (result) => {
        if (!isAsyncIterable(result)) {
          // Refused at once (the subgraph answered an error): every waiting subscriber gets that
          // answer, and the next one to come asks again.
          this.#close();
          return;
        }
        this.#iterator = result[Symbol.asyncIterator]();
        if (this.#closed || this.#subscribers.size === 0) void this.#stop();
        else void this.#pump();
      },
      () => this.#close(),
    );
  }

  get size(): number {
    return this.#subscribers.size;
  }

  async join(): Promise<SubscribeResult> {
    const subscriber = new Subscriber(this.#maxBuffered, (leaving) => this.#leave(leaving), this.#onSlow);
    this.#subscribers.add(subscriber);
    let result: SubscribeResult;
    try {
      result = await this.#started;
    } catch (error) {
      this.#subscribers.delete(subscriber);
      throw error;
    }
    if (!isAsyncIterable(result)) {
      this.#subscribers.delete(subscriber);
      return result;
    }
    return subscriber;
  }

  async #pump(): Promise<void> {
    const iterator = this.#iterator!;
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        // Synchronous hand-over into each buffer: no subscriber can hold up the upstream.
        for (const subscriber of this.#subscribers) subscriber.push(next.value);
      }
      for (const subscriber of this.#subscribers) subscriber.end();
    } catch (error) {
      for (const subscriber of this.#subscribers) subscriber.fail(error);
    } finally {
      this.#close();
    }
  }

  #leave(subscriber: Subscriber): void {
    this.#subscribers.delete(subscriber);
    if (this.#subscribers.size === 0) void this.#stop();
  }

  /** The last subscriber left: end the upstream subscription. */
  async #stop(): Promise<void> {
    this.#close();
    try {
      await this.#iterator?.return?.();
    } catch {
      // Ending it is all we wanted; an error on the way out concerns no one left.
    }
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#onClosed();
  }
}

/** One subscriber's view of a shared upstream: its own bounded buffer and its own end. */
class Subscriber implements AsyncIterableIterator<ExecutionResult> {
  readonly #buffer: ExecutionResult[] = [];
  readonly #maxBuffered: number;
  readonly #onLeave: (subscriber: Subscriber) => void;
  readonly #onSlow: () => void;
  #waiting: { resolve: (result: IteratorResult<ExecutionResult>) => void; reject: (error: unknown) => void } | undefined;
  #done = false;
  #error: { error: unknown } | undefined;
  #left = false;

  constructor(maxBuffered: number, onLeave: (subscriber: Subscriber) => void, onSlow: () => void) {
    this.#maxBuffered = maxBuffered;
    this.#onLeave = onLeave;
    this.#onSlow = onSlow;
  }

  push(result: ExecutionResult): void {
    if (this.#done) return;
    if (this.#waiting) {
      const waiting = this.#waiting;
      this.#waiting = undefined;
      waiting.resolve({ value: result, done: false });
      return;
    }
    if (this.#buffer.length < this.#maxBuffered) {
      this.#buffer.push(result);
      return;
    }
    // Too far behind: what it has not taken is dropped, it gets one error in its place and ends.
    this.#buffer.length = 0;
    this.#buffer.push({
      errors: [
        createGraphQLError(`Subscriber too slow: more than ${this.#maxBuffered} events were waiting for it; subscribe again and read faster.`, {
          extensions: { code: SUBSCRIBER_TOO_SLOW },
        }),
      ],
    });
    this.#done = true;
    this.#onSlow();
    this.#leave();
  }

  end(): void {
    if (this.#done) return;
    this.#done = true;
    this.#settleWaiting();
  }

  fail(error: unknown): void {
    if (this.#done) return;
    this.#done = true;
    this.#error = { error };
    this.#settleWaiting();
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    const buffered = this.#buffer.shift();
    if (buffered) return Promise.resolve({ value: buffered, done: false });
    if (this.#error) {
      const { error } = this.#error;
      this.#error = undefined;
      return Promise.reject(error);
    }
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<ExecutionResult>> {
    this.#done = true;
    this.#buffer.length = 0;
    this.#settleWaiting();
    this.#leave();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #settleWaiting(): void {
    const waiting = this.#waiting;
    if (!waiting) return;
    this.#waiting = undefined;
    if (this.#error) {
      const { error } = this.#error;
      this.#error = undefined;
      waiting.reject(error);
    } else {
      waiting.resolve({ value: undefined, done: true });
    }
  }

  #leave(): void {
    if (this.#left) return;
    this.#left = true;
    this.#onLeave(this);
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<ExecutionResult> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
