/**
 * The wait before a durable queue's next attempt (the listing sync, the inbox, shipment
 * confirmations): exponential backoff with full jitter, so a platform's outage does not become a
 * thundering herd when it ends, and never shorter than the platform's own Retry-After.
 */
export function retryDelayMs(attempts: number, options: { baseMs: number; maxMs: number; retryAfterMs?: number | undefined }): number {
  return Math.max(options.retryAfterMs ?? 0, Math.random() * Math.min(options.maxMs, options.baseMs * 2 ** attempts));
}
