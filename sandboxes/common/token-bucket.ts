/**
 * A token bucket refilled continuously. Shopify calls its cost limit a "leaky bucket" and
 * Amazon calls its per-operation limit a "token bucket"; both are this arithmetic: a capacity,
 * a refill rate per second, and calls that take from it.
 */
export class TokenBucket {
  readonly capacity: number;
  readonly refillPerSecond: number;
  readonly #now: () => number;
  #tokens: number;
  #updatedAt: number;

  constructor(capacity: number, refillPerSecond: number, now: () => number = Date.now) {
    if (!(capacity > 0)) throw new RangeError(`A bucket needs a positive capacity, got ${capacity}`);
    if (!(refillPerSecond >= 0)) throw new RangeError(`A bucket needs a non-negative refill rate, got ${refillPerSecond}`);
    this.capacity = capacity;
    this.refillPerSecond = refillPerSecond;
    this.#now = now;
    this.#tokens = capacity;
    this.#updatedAt = now();
  }

  /** Tokens available now, refill included. */
  get available(): number {
    this.#refill();
    return this.#tokens;
  }

  /** Takes `amount` tokens if that many are available; otherwise takes nothing. */
  tryTake(amount = 1): boolean {
    this.#refill();
    if (this.#tokens < amount) return false;
    this.#tokens -= amount;
    return true;
  }

  /** Gives tokens back (Shopify refunds the difference between requested and actual cost). */
  refund(amount: number): void {
    this.#refill();
    this.#tokens = Math.min(this.capacity, this.#tokens + amount);
  }

  /** Seconds until `amount` tokens are available. */
  secondsUntil(amount = 1): number {
    this.#refill();
    if (this.#tokens >= amount) return 0;
    if (this.refillPerSecond === 0) return Number.POSITIVE_INFINITY;
    return (amount - this.#tokens) / this.refillPerSecond;
  }

  reset(): void {
    this.#tokens = this.capacity;
    this.#updatedAt = this.#now();
  }

  #refill(): void {
    const now = this.#now();
    const elapsedSeconds = Math.max(0, now - this.#updatedAt) / 1000;
    this.#tokens = Math.min(this.capacity, this.#tokens + elapsedSeconds * this.refillPerSecond);
    this.#updatedAt = now;
  }
}
