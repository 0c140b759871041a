import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/**
 * Frames a WebSocket sends within one turn of the event loop leave in one write.
 *
 * A stock event reaches every subscriber on a socket in the same turn (the subscription fan-out
 * hands it to them all at once), and `ws` writes each frame on its own: 500 subscriptions on a
 * socket were 500 `writev` calls per event, the largest part of the gateway's CPU at 10,000
 * subscribers (`npm run bench:subscriptions`). Corking the TCP socket at the first send of a turn
 * and uncorking it in `setImmediate` — after every microtask of the turn has run — sends them in
 * one. Nothing waits longer than the turn it was sent in; `ws`'s own cork/uncork per frame nests
 * inside ours (Node counts corks).
 *
 * `_socket` is `ws`'s underlying `net.Socket`: not in its typings, but the field its own
 * `WebSocket#_socket` docs and servers built on it (graphql-ws, uWebSockets shims) have relied on
 * since ws 1.x. Without it (another transport) sends go out as before.
 */
export function coalesceWrites(socket: WebSocket): void {
  const raw = (socket as unknown as { _socket?: Socket })._socket;
  if (!raw) return;
  let corked = false;
  const uncork = () => {
    corked = false;
    raw.uncork();
  };
  const send = socket.send.bind(socket) as (...args: unknown[]) => void;
  socket.send = ((...args: unknown[]) => {
    if (!corked && !raw.destroyed) {
      corked = true;
      raw.cork();
      setImmediate(uncork);
    }
    send(...args);
  }) as WebSocket['send'];
}
