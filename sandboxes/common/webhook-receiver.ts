/**
 * A webhook receiver for tests: records every request it gets and answers with the status a
 * test chooses (per request number), so retries and failures can be provoked without timing.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  /** 1-based order of arrival. */
  sequence: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The status the receiver answered. */
  answeredStatus: number;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly received: readonly ReceivedWebhook[];
  /** Resolves once at least `count` requests have arrived. */
  waitFor(count: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

/** @param statusFor status to answer for the n-th request (1-based). @default always 200 */
export async function startWebhookReceiver(statusFor: (sequence: number) => number = () => 200): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let waiters: Array<{ count: number; resolve: (value: ReceivedWebhook[]) => void }> = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const sequence = received.length + 1;
      const answeredStatus = statusFor(sequence);
      received.push({ sequence, method: request.method ?? 'POST', path: request.url ?? '/', headers: request.headers, rawBody: Buffer.concat(chunks).toString('utf8'), answeredStatus });
      response.writeHead(answeredStatus, { 'Content-Type': 'text/plain' }).end(answeredStatus < 300 ? 'ok' : 'failed');
      const ready = waiters.filter((waiter) => received.length >= waiter.count);
      waiters = waiters.filter((waiter) => received.length < waiter.count);
      for (const waiter of ready) waiter.resolve([...received]);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received,
    waitFor(count) {
      if (received.length >= count) return Promise.resolve([...received]);
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
