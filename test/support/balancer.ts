/**
 * A round-robin load balancer for tests that run a service as replicas: what a deployment's load
 * balancer (a Kubernetes Service, an nginx `upstream`, Compose's service DNS) does in front of
 * them, small enough to read. Each request goes to the next replica; a replica that refuses the
 * connection (it is down) is skipped for the next one, which is safe because nothing of the
 * request reached it. A request that fails once its replica accepted it (the replica died while
 * working on it) answers 502, as a real balancer does: the caller's retry, with its idempotency
 * key, is what makes that safe, and the test checks it is.
 *
 * WebSocket upgrades (graphql-ws subscriptions) are passed through as raw bytes to one replica;
 * when that replica dies, the socket closes and the client reconnects through the balancer.
 */
import { request as httpRequest, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface BalancerOptions {
  /** The replicas' ports on 127.0.0.1 now (read per request, so replicas can come and go). */
  replicas: () => number[];
  /** @default 0 (a free port) */
  port?: number;
  /** Told of every HTTP exchange once its answer ended (a tap in front of one backend records what went through). */
  observe?: (exchange: Exchange) => void;
}

export interface Exchange {
  replica: number;
  method: string;
  url: string;
  body: string;
  status: number;
  /** `performance.now()` when the request arrived, and when its answer ended. */
  startedAt: number;
  endedAt: number;
}

/** The error that means the replica never took the request: nothing listens on its port. */
const REFUSED = 'ECONNREFUSED';

export class Balancer {
  readonly #options: BalancerOptions;
  readonly #server: Server;
  readonly #sockets = new Set<Duplex>();
  #next = 0;
  /** Requests each replica port was sent (connections it accepted). */
  readonly served = new Map<number, number>();
  /** WebSocket connections open now, per replica port. */
  readonly openUpgrades = new Map<number, number>();

  constructor(options: BalancerOptions) {
    this.#options = options;
    this.#server = createServer((request, response) => void this.#forward(request, response));
    this.#server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.#upgrade(request, socket, head));
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#options.port ?? 0, '127.0.0.1', () => resolve());
    });
    return (this.#server.address() as { port: number }).port;
  }

  /** The replicas in the order this request tries them: round robin, each once. */
  #order(): number[] {
    const ports = this.#options.replicas();
    const start = this.#next++ % Math.max(1, ports.length);
    return [...ports.slice(start), ...ports.slice(0, start)];
  }

  async #forward(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // Buffered so that the same request can go to the next replica when one refuses it.
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const startedAt = performance.now();
    for (const port of this.#order()) {
      const outcome = await new Promise<'done' | 'refused'>((resolve) => {
        // A new connection each time (no agent): a pooled one to a killed replica would fail late.
        const upstream = httpRequest({ host: '127.0.0.1', port, method: request.method, path: request.url, headers: request.headers, agent: false }, (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
          answer.pipe(response);
          answer.once('error', () => response.destroy());
          answer.once('end', () => {
            this.#options.observe?.({ replica: port, method: request.method ?? 'GET', url: request.url ?? '/', body: body.toString('utf8'), status: answer.statusCode ?? 0, startedAt, endedAt: performance.now() });
            resolve('done');
          });
          answer.once('close', () => resolve('done'));
        });
        upstream.once('socket', (socket) => socket.once('connect', () => this.served.set(port, (this.served.get(port) ?? 0) + 1)));
        upstream.once('error', (error: NodeJS.ErrnoException) => {
          if (error.code === REFUSED) return resolve('refused');
          // Taken, then lost: the replica died mid-request. Not retried (it may have acted).
          if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' }).end(`replica ${port} failed: ${error.code ?? error.message}`);
          else response.destroy();
          resolve('done');
        });
        upstream.end(body);
      });
      if (outcome === 'done') return;
    }
    response.writeHead(503, { 'content-type': 'text/plain' }).end('no replica answered');
  }

  #upgrade(request: IncomingMessage, client: Duplex, head: Buffer): void {
    this.#sockets.add(client);
    client.once('close', () => this.#sockets.delete(client));
    client.on('error', () => client.destroy());
    const ports = this.#order();
    const attempt = (index: number) => {
      const port = ports[index];
      if (port === undefined) {
        client.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\n\r\n');
        return;
      }
      const upstream: Socket = connect(port, '127.0.0.1');
      upstream.once('error', (error: NodeJS.ErrnoException) => {
        if (error.code === REFUSED) return attempt(index + 1);
        client.destroy();
      });
      upstream.once('connect', () => {
        this.served.set(port, (this.served.get(port) ?? 0) + 1);
        this.openUpgrades.set(port, (this.openUpgrades.get(port) ?? 0) + 1);
        this.#sockets.add(upstream);
        upstream.once('close', () => {
          this.openUpgrades.set(port, (this.openUpgrades.get(port) ?? 1) - 1);
          this.#sockets.delete(upstream);
          client.destroy();
        });
        upstream.on('error', () => upstream.destroy());
        client.once('close', () => upstream.destroy());
        // The request line and headers as the client sent them, then whatever followed them.
        const lines = [`${request.method} ${request.url} HTTP/${request.httpVersion}`];
        for (let i = 0; i < request.rawHeaders.length; i += 2) lines.push(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}`);
        upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (head.length > 0) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
    };
    attempt(0);
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
