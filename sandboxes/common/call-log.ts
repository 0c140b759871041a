/**
 * The record of every platform API call a sandbox received, so tests and the demo can see
 * what Ponte really sent: how many calls, which ones failed, and which broke the rate limit.
 * Calls to the `/_sandbox/` control API are not recorded: they are not the platform's API.
 */

export interface RecordedCall {
  /** Sequence number, starting at 1, in the order the calls arrived. */
  sequence: number;
  method: string;
  path: string;
  query: string;
  /** HTTP status answered; `null` when an injected timeout dropped the connection. */
  status: number | null;
  receivedAt: string;
  durationMs: number;
  /** True when the platform's rate limit refused (or throttled) this call. */
  rateLimited: boolean;
  /** The injected fault that shaped this answer, if any. */
  fault: 'error' | 'timeout' | 'slow' | null;
  /** Platform operation name when the sandbox knows it (SP-API operation, GraphQL operation). */
  operation: string | null;
}

export interface CallLogSummary {
  total: number;
  rateLimited: number;
  failed: number;
  calls: RecordedCall[];
}

/** Kept bounded so a long-running demo does not grow without limit. */
const DEFAULT_MAX_CALLS = 10_000;

export class CallLog {
  readonly #calls: RecordedCall[] = [];
  readonly #maxCalls: number;
  #sequence = 0;
  #rateLimitedTotal = 0;
  #failedTotal = 0;

  constructor(maxCalls = DEFAULT_MAX_CALLS) {
    this.#maxCalls = maxCalls;
  }

  record(call: Omit<RecordedCall, 'sequence'>): RecordedCall {
    const entry: RecordedCall = { sequence: ++this.#sequence, ...call };
    this.#calls.push(entry);
    if (this.#calls.length > this.#maxCalls) this.#calls.shift();
    if (entry.rateLimited) this.#rateLimitedTotal++;
    if (entry.status === null || entry.status >= 500) this.#failedTotal++;
    return entry;
  }

  get calls(): readonly RecordedCall[] {
    return this.#calls;
  }

  /** Counts cover every call since the last `clear()`, even those trimmed from the list. */
  summary(): CallLogSummary {
    return { total: this.#sequence, rateLimited: this.#rateLimitedTotal, failed: this.#failedTotal, calls: [...this.#calls] };
  }

  clear(): void {
    this.#calls.length = 0;
    this.#sequence = 0;
    this.#rateLimitedTotal = 0;
    this.#failedTotal = 0;
  }
}
