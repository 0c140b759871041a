import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebSocketServer } from 'ws';

/** How long in-flight HTTP requests get to finish on shutdown before their sockets are cut. */
export const SHUTDOWN_GRACE_MS = 5000;

/** Listens on `port` (0 picks a free one); resolves to `http://127.0.0.1:<port><path>`. */
export function listenOn(httpServer: Server, port: number, host: string, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => {
      httpServer.off('error', reject);
      resolve(`http://127.0.0.1:${(httpServer.address() as AddressInfo).port}${path}`);
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
