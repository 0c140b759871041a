import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebSocketServer } from 'ws';

/** How long in-flight HTTP requests get to finish on shutdown before their sockets are cut. */
export const SHUTDOWN_GRACE_MS = 5000;

const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::']);

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
 * Listens on `port` (0 picks a free one) and `host`; resolves to a URL this machine reaches it at:
 * the bound address, or 127.0.0.1 when bound to every interface (0.0.0.0 and :: are not addresses
 * to connect to). Log `boundAddress(server)` beside it to say what is exposed.
 */
export function listenOn(httpServer: Server, port: number, host: string, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => {
      httpServer.off('error', reject);
      const address = httpServer.address() as AddressInfo;
      const reachableHost = WILDCARD_ADDRESSES.has(address.address) ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve(`http://${reachableHost}:${address.port}${path}`);
    });
  });
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
