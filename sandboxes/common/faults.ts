/**
 * Fault injection: make the platform fail (5xx), hang (timeout) or answer slowly, for a number
 * of calls or for a period, so Ponte's retries, backoff and dead letters can be exercised.
 */

export type FaultMode = 'error' | 'timeout' | 'slow';

export interface FaultRuleInput {
  mode: FaultMode;
  /** HTTP status for `error` faults. @default 503 */
  status?: number;
  /** Added latency for `slow` faults, and how long a `timeout` holds the call before dropping it. */
  delayMs?: number;
  /** Number of matching calls this fault applies to; absent means until `durationMs` ends or it is cleared. */
  calls?: number;
  /** How long the fault lasts from now; absent means until `calls` run out or it is cleared. */
  durationMs?: number;
  /** Only calls whose path starts with this prefix are affected. */
  pathPrefix?: string;
  /** Only calls with this HTTP method are affected. */
  method?: string;
}

export interface FaultRule {
  id: number;
  mode: FaultMode;
  status: number;
  delayMs: number;
  remainingCalls: number | null;
  until: number | null;
  pathPrefix: string | null;
  method: string | null;
}

/** A dropped call is held this long before the socket is destroyed, unless told otherwise. */
export const DEFAULT_TIMEOUT_HOLD_MS = 30_000;
export const DEFAULT_SLOW_DELAY_MS = 2_000;
export const DEFAULT_FAULT_STATUS = 503;

export class FaultInjector {
  readonly #rules: FaultRule[] = [];
  readonly #now: () => number;
  #nextId = 1;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  add(input: FaultRuleInput): FaultRule {
    if (!['error', 'timeout', 'slow'].includes(input.mode)) {
      throw new RangeError(`Unknown fault mode "${String(input.mode)}": use error, timeout or slow`);
    }
    const status = input.status ?? DEFAULT_FAULT_STATUS;
    if (input.mode === 'error' && (status < 400 || status > 599)) {
      throw new RangeError(`A fault status must be an HTTP error (400–599), got ${status}`);
    }
    const rule: FaultRule = {
      id: this.#nextId++,
      mode: input.mode,
      status,
      delayMs: input.delayMs ?? (input.mode === 'timeout' ? DEFAULT_TIMEOUT_HOLD_MS : DEFAULT_SLOW_DELAY_MS),
      remainingCalls: input.calls ?? null,
      until: input.durationMs === undefined ? null : this.#now() + input.durationMs,
      pathPrefix: input.pathPrefix ?? null,
      method: input.method ? input.method.toUpperCase() : null,
    };
    this.#rules.push(rule);
    return rule;
  }

  /** The fault for this call, if any; consumes one call from a counted rule. */
  take(method: string, path: string): FaultRule | undefined {
    this.#dropExpired();
    const rule = this.#rules.find(
      (candidate) => (candidate.pathPrefix === null || path.startsWith(candidate.pathPrefix)) && (candidate.method === null || candidate.method === method.toUpperCase()),
    );
    if (!rule) return undefined;
    if (rule.remainingCalls !== null) {
      rule.remainingCalls--;
      if (rule.remainingCalls <= 0) this.#rules.splice(this.#rules.indexOf(rule), 1);
    }
    return { ...rule };
  }

  list(): FaultRule[] {
    this.#dropExpired();
    return this.#rules.map((rule) => ({ ...rule }));
  }

  clear(): void {
    this.#rules.length = 0;
  }

  #dropExpired(): void {
    const now = this.#now();
    for (let index = this.#rules.length - 1; index >= 0; index--) {
      const rule = this.#rules[index] as FaultRule;
      if (rule.until !== null && rule.until <= now) this.#rules.splice(index, 1);
    }
  }
}
