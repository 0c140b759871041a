import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface ServiceFeedOptions {
  /** The service's GraphQL URL; `http(s)` is turned into `ws(s)`. */
  url: string;
  /** Sent on the WebSocket upgrade (the gateway secret). */
  headers?: Record<string, string>;
  on?: { connected?: () => void; closed?: () => void };
}

/**
 * A graphql-ws connection from one Ponte service to another that never gives up: connected at
 * once, reconnected with backoff (capped at 5 s) for as long as the process lives. Callers learn
 * of each (re)connection and loss through `on`, to catch up on what they may have missed.
 */
export function createServiceFeed(options: ServiceFeedOptions): Client {
  const headers = options.headers ?? {};
  class ServiceSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  return createClient({
    url: options.url.replace(/^http/, 'ws'),
    webSocketImpl: ServiceSocket,
    lazy: false,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(5000, 200 * 2 ** retries))),
    on: { ...(options.on?.connected ? { connected: options.on.connected } : {}), ...(options.on?.closed ? { closed: options.on.closed } : {}) },
  });
}
