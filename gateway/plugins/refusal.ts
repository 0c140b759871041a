import type { ExecutionResult } from 'graphql';

/**
 * A request refused at `onParams` (rate limit, persisted operations, and any other gate such as
 * identity). Yoga runs every plugin's `onParams` and the last `setResult` wins, so without this
 * mark a later response-cache hit would replace the refusal: the cache's `enabled` asks
 * `isRefused` and stays out of a refused request.
 */
const refused = new WeakSet<object>();

export function refuseRequest(context: object, setResult: (result: ExecutionResult) => void, result: ExecutionResult): void {
  refused.add(context);
  setResult(result);
}

export function isRefused(context: object | undefined): boolean {
  return context !== undefined && refused.has(context);
}
