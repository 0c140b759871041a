/**
 * A platform's per-application token bucket kept in PostgreSQL (`platform_call_budgets`), for a
 * platform that counts every call of the application against one budget (Mercado Livre:
 * https://developers.mercadolivre.com.br/en_us/rate-limit-429-error, "per Client ID").
 *
 * A bucket in one process's memory cannot know what the process before it spent, so it has to
 * start empty: after every start the client then paced itself at the sustained rate while the
 * platform still had most of its burst (the order storm applied Mercado Livre's orders 90–120 s
 * late for it). And replicas would each spend a whole budget. Here every process leases tokens
 * from the one row, refilled by the database's clock, a few at a time as its callers need them:
 * a restart goes on from what was spent, replicas share the budget, and a process that dies with
 * leased tokens unspent only wastes them (never overspends).
 *
 * As in `TokenBucket`, a request holds its token outside the bucket until it is answered (the
 * platform counts it on arrival; see there why), so the refill stops short of the burst by what
 * this process has in flight; the refill is taken 0.1 % slower than published and a lease needs
 * `clockSlackMs` of refill and `keepInHand` tokens beyond its tokens.
 */
import type { SqlClient } from '../../kit/database.ts';
import type { RequestLimiter } from './platform-fetch.ts';

export interface CallBudgetOptions {
  /** The row's name: one per platform application (and account, where the platform counts so). */
  budget: string;
  ratePerSecond: number;
  burst: number;
  /**
   * Tokens of a budget this database has never seen. @default burst: no process of this
   * deployment has spent any of it. A `429` empties the bucket should the platform disagree.
   */
  initialTokens?: number;
  /** Most tokens one lease takes for waiting callers. @default 10 */
  maxLease?: number;
  /** @default 5 */
  clockSlackMs?: number;
  /**
   * Whole tokens never leased, kept in hand against a platform count that differs from this one
   * by a call. @default 1: storms on a loaded machine met a single `429` (one in 500 calls, when
   * the bucket first ran dry) whose cause was not found in this process's accounting.
   */
  keepInHand?: number;
  /** How long an abandoned request may still arrive. @default 60_000 (see TokenBucket) */
  abandonedHoldMs?: number;
  /**
   * Which waiting call goes first when the budget is short (lower first; equal ones in the order
   * they came). @default every operation alike
   */
  priorityOf?: (operation: string) => number;
  /**
   * Tokens an operation leaves in the budget for more urgent calls while those are being made (one
   * went within `URGENT_CALLS_ACTIVE_MS`): it waits rather than take the budget below them.
   * Priority alone cannot keep them: the urgent calls of a storm arrive a few at a time, and between
   * them the others would take the whole burst. Once none has come for a while the reserve is
   * nobody's, and holding it back would only delay the others. @default none
   */
  reserveFor?: (operation: string) => number;
}

/** How long after an urgent call its reserve still stands. */
export const URGENT_CALLS_ACTIVE_MS = 2000;

interface Lease {
  granted: number;
  /** Tokens left in the row after the lease. */
  left: number;
}

export class CallBudget implements RequestLimiter {
  readonly #db: SqlClient;
  readonly #budget: string;
  readonly #rate: number;
  readonly #burst: number;
  readonly #slack: number;
  readonly #maxLease: number;
  readonly #abandonedHoldMs: number;
  readonly #initialTokens: number;
  /** Leased and not yet handed to a caller. */
  #unspent = 0;
  #inFlight = 0;
  readonly #priorityOf: (operation: string) => number;
  readonly #reserveFor: (operation: string) => number;
  /** Callers waiting for a token, by priority then arrival. */
  readonly #waiting: Array<{ priority: number; reserve: number; resolve: () => void; reject: (error: unknown) => void }> = [];
  #leasing = false;
  /** Ends the lease loop's wait for the refill: a more urgent caller came. */
  #interrupt: (() => void) | undefined;
  /** When a call of each priority was last let through (performance.now()). */
  readonly #lastCallAt = new Map<number, number>();
  /** What the row held after this process's last lease, and when (performance.now()). */
  #leftAfterLease: { tokens: number; at: number } | undefined;
  #created: Promise<void> | undefined;

  constructor(db: SqlClient, options: CallBudgetOptions) {
    if (!(options.ratePerSecond > 0)) throw new RangeError(`A call budget needs a positive rate, got ${options.ratePerSecond}`);
    if (!(options.burst >= 1)) throw new RangeError(`A call budget needs a burst of at least 1, got ${options.burst}`);
    this.#db = db;
    this.#budget = options.budget;
    this.#rate = options.ratePerSecond * 0.999;
    this.#burst = options.burst;
    this.#slack = Math.min((options.ratePerSecond * (options.clockSlackMs ?? 5)) / 1000 + Math.max(0, options.keepInHand ?? 1), options.burst - 1);
    this.#maxLease = Math.max(1, options.maxLease ?? 10);
    this.#abandonedHoldMs = options.abandonedHoldMs ?? 60_000;
    this.#initialTokens = Math.min(options.burst, Math.max(0, options.initialTokens ?? options.burst));
    this.#priorityOf = options.priorityOf ?? (() => 0);
    this.#reserveFor = options.reserveFor ?? (() => 0);
  }

  /** Requests let through and not yet answered (or abandoned less than `abandonedHoldMs` ago). */
  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * About how many tokens the budget holds now: what the last lease left, refilled since, less what
   * this process leased and has not spent. Other processes of the application may have spent some;
   * the full burst until this process has leased once.
   */
  get tokensAbout(): number {
    if (!this.#leftAfterLease) return this.#burst;
    const refilled = this.#leftAfterLease.tokens + ((performance.now() - this.#leftAfterLease.at) / 1000) * this.#rate;
    return Math.max(0, Math.min(this.#burst, refilled) + this.#unspent);
  }

  /** Calls of this process waiting for a token that go before a call of `priority`. */
  waitingBefore(priority: number): number {
    let count = 0;
    for (const waiter of this.#waiting) if (waiter.priority < priority) count++;
    return count;
  }

  acquire(operation: string): Promise<void> {
    const priority = this.#priorityOf(operation);
    if (this.#unspent >= 1 && this.#waiting.length === 0) {
      this.#letThrough(priority);
      return Promise.resolve();
    }
    const reserve = Math.max(0, this.#reserveFor(operation));
    return new Promise((resolve, reject) => {
      const behind = this.#waiting.findIndex((waiter) => waiter.priority > priority);
      this.#waiting.splice(behind === -1 ? this.#waiting.length : behind, 0, { priority, reserve, resolve, reject });
      if (!this.#leasing) void this.#lease();
      else if (behind === 0) this.#interrupt?.();
    });
  }

  observe(_operation: string, response: Response): void {
    // The platform's bucket was empty when that request arrived, whatever the row says (another
    // application's process, a change of plan): start again from nothing.
    if (response.status === 429) this.drain().catch(() => {});
  }

  release(_operation: string, outcome: 'answered' | 'abandoned'): void {
    if (outcome === 'abandoned' && this.#abandonedHoldMs > 0) {
      setTimeout(() => this.release(_operation, 'answered'), this.#abandonedHoldMs).unref?.();
      return;
    }
    this.#inFlight = Math.max(0, this.#inFlight - 1);
  }

  async drain(): Promise<void> {
    this.#unspent = 0;
    await this.#create();
    await this.#db.query(`UPDATE platform_call_budgets SET tokens = 0, counted_at = clock_timestamp() WHERE budget = $1`, [this.#budget]);
  }

  /** Leases for the waiting callers until none waits; one lease at a time per process. */
  async #lease(): Promise<void> {
    this.#leasing = true;
    try {
      while (this.#waiting.length > 0) {
        while (this.#unspent >= 1 && this.#waiting.length > 0) {
          const waiter = this.#waiting.shift()!;
          this.#letThrough(waiter.priority);
          waiter.resolve();
        }
        if (this.#waiting.length === 0) break;
        // A lease is for the first waiter's kind: those of its priority, above its reserve.
        const head = this.#waiting[0]!;
        const alike = this.#waiting.findIndex((waiter) => waiter.priority !== head.priority);
        const reserveLapsesInMs = this.#reserveLapsesInMs(head.priority);
        const reserve = reserveLapsesInMs > 0 ? head.reserve : 0;
        let lease: Lease;
        try {
          lease = await this.#take(Math.min(this.#maxLease, alike === -1 ? this.#waiting.length : alike), reserve);
        } catch (error) {
          // The database is unavailable: these callers fail like a failed request (and are retried
          // as one); the next caller tries again.
          for (const waiter of this.#waiting.splice(0)) waiter.reject(error);
          break;
        }
        this.#unspent += lease.granted;
        if (lease.granted === 0) {
          const refillMs = Math.ceil(((1 + this.#slack + reserve - lease.left) / this.#rate) * 1000);
          const waitMs = Math.max(1, reserve > 0 ? Math.min(refillMs, reserveLapsesInMs + 1) : refillMs);
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, waitMs);
            this.#interrupt = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          this.#interrupt = undefined;
        }
      }
    } finally {
      this.#leasing = false;
    }
  }

  /** A leased token goes to a call of `priority`: it is in flight until answered. */
  #letThrough(priority: number): void {
    this.#unspent -= 1;
    this.#inFlight += 1;
    this.#lastCallAt.set(priority, performance.now());
  }

  /** How long the reserve of a call of `priority` still stands: more urgent calls are being made. */
  #reserveLapsesInMs(priority: number): number {
    let lastUrgent = Number.NEGATIVE_INFINITY;
    for (const [other, at] of this.#lastCallAt) if (other < priority) lastUrgent = Math.max(lastUrgent, at);
    return Math.max(0, lastUrgent + URGENT_CALLS_ACTIVE_MS - performance.now());
  }

  #create(): Promise<void> {
    this.#created ??= this.#db
      .query(`INSERT INTO platform_call_budgets (budget, tokens, counted_at) VALUES ($1, $2, clock_timestamp()) ON CONFLICT (budget) DO NOTHING`, [this.#budget, this.#initialTokens])
      .then(
        () => undefined,
        (error: unknown) => {
          this.#created = undefined;
          throw error;
        },
      );
    return this.#created;
  }

  /**
   * One statement: the row is locked (a concurrent lease waits and then reads what this one left),
   * refilled up to the burst less what this process holds, and up to `want` whole tokens taken
   * that leave `reserve` behind.
   */
  async #take(want: number, reserve: number): Promise<Lease> {
    await this.#create();
    const capacity = this.#burst - this.#inFlight - this.#unspent;
    const rows = await this.#db.query<{ granted: number; left: number }>(
      `WITH locked AS (
         SELECT tokens, counted_at, GREATEST(counted_at, clock_timestamp()) AS at
           FROM platform_call_budgets WHERE budget = $1 FOR UPDATE
       ), refilled AS (
         SELECT at, LEAST($3::float8, tokens + EXTRACT(EPOCH FROM at - counted_at)::float8 * $4::float8) AS tokens FROM locked
       ), taken AS (
         SELECT at, tokens, LEAST($2::int, GREATEST(0, floor(tokens - $5::float8 - $6::float8)))::int AS granted FROM refilled
       )
       UPDATE platform_call_budgets b SET tokens = taken.tokens - taken.granted, counted_at = taken.at
         FROM taken WHERE b.budget = $1
       RETURNING taken.granted AS granted, b.tokens AS left`,
      [this.#budget, want, Math.max(0, capacity), this.#rate, this.#slack, reserve],
    );
    const row = rows[0];
    if (!row) throw new Error(`The call budget ${this.#budget} has no row`);
    this.#leftAfterLease = { tokens: Number(row.left), at: performance.now() };
    return { granted: Number(row.granted), left: Number(row.left) };
  }
}
