import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { TEST_KEYS, type TestCaller } from './ponte.ts';

export interface TestSubscription<Data> {
  /** The next event, or a rejection after `timeoutMs`. */
  next(timeoutMs?: number): Promise<Data>;
  /** Resolves once the gateway has acknowledged the connection and the operation is running upstream. */
  started: Promise<void>;
  close(): Promise<void>;
}

/**
 * Subscribes over graphql-ws the way an internal app would: its credential in the connection
 * parameters (`as`, default the operator; `anonymous` sends none).
 */
export function subscribe<Data = Record<string, any>>(
  httpUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: { as?: TestCaller | 'anonymous' } = {},
): TestSubscription<Data> {
  const who = options.as ?? 'operator';
  const connectionParams = who === 'anonymous' ? {} : { authorization: `Bearer ${TEST_KEYS[who]}` };
  let markConnected: () => void = () => {};
  const connected = new Promise<void>((resolve) => {
    markConnected = resolve;
  });
  const client: Client = createClient({ url: httpUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, on: { connected: () => markConnected() } });
  const iterator = client.iterate<Data>({ query, variables })[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<{ data?: Data | null; errors?: unknown }>> | undefined = iterator.next();
  return {
    // The upstream subscription is set up a moment after the socket's ack; give it that moment.
    started: connected.then(() => new Promise((resolve) => setTimeout(resolve, 300))),
    async next(timeoutMs = 5000) {
      const current = pending ?? iterator.next();
      pending = undefined;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no event within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        const result = await Promise.race([current, timeout]);
        if (result.done) throw new Error('subscription completed');
        if (result.value.errors) throw new Error(`subscription error: ${JSON.stringify(result.value.errors)}`);
        return result.value.data as Data;
      } finally {
        clearTimeout(timer);
        pending = undefined;
      }
    },
    async close() {
      await iterator.return?.();
      await client.dispose();
    },
  };
}
