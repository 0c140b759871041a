import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebSocketServer } from 'ws';

/** How long in-flight HTTP requests get to finish on shutdown before their sockets are cut. */
export const SHUTDOWN_GRACE_MS = 5000;

/**
 * What a server is really bound to, for the "listening" log line: `0.0.0.0:4000 (every IPv4
 * interface)`, `127.0.0.1:4001`, `[::1]:4002`. Read from `server.address()`, not from what was asked.
 */
export function boundAddress(httpServer: Server): string {
  const address = httpServer.address();
  if (!address || typeof address === 'string') return String(address);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const scope = address.address === '0.0.0.0' ? ' (every IPv4 interface)' : address.address === '::' ? ' (every interface)' : '';
  return `${host}:${address.port}${scope}`;
}

/**
 * Listens on `host` and `port` (0 picks a free one); resolves to `http://<address>:<port><path>`
 * with the address really bound (`0.0.0.0` when every interface is), so what a service logs is
 * what it exposes.
 */
export function listenOn(httpServer: Server, port: number, host: string, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => {
      httpServer.off('error', reject);
      resolve(`${boundOrigin(httpServer.address() as AddressInfo)}${path}`);
    });
  });
}

/** `http://127.0.0.1:4001`, `http://0.0.0.0:4001`, `http://[::]:4001`. */
export function boundOrigin(address: AddressInfo): string {
  const host = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/**
 * Stops an HTTP + WebSocket server without dropping work: WebSocket subscribers are told the
 * server is going away (1001) so they reconnect elsewhere; the HTTP server stops accepting,
 * in-flight requests finish, and whatever is still open after the grace period is cut.
 */
export async function closeGracefully(httpServer: Server, wsServer: WebSocketServer, disposeWs: () => Promise<void> | void): Promise<void> {
  await disposeWs();
  for (const client of wsServer.clients) client.close(1001, 'Going away');
  wsServer.close();
  if (!httpServer.listening) return;
  const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
  httpServer.closeIdleConnections();
  const grace = setTimeout(() => httpServer.closeAllConnections(), SHUTDOWN_GRACE_MS);
  await closed;
  clearTimeout(grace);
}
