import type { Socket } from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { coalesceWrites } from './write-coalescing.ts';

describe('coalesceWrites', () => {
  let server: WebSocketServer | undefined;
  afterEach(async () => {
    for (const client of server?.clients ?? []) client.terminate();
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  });

  async function connected(coalesce: boolean) {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(server, 'listening');
    const accepted = once(server, 'connection') as Promise<[WebSocket]>;
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as { port: number }).port}`);
    const received: string[] = [];
    client.on('message', (data) => received.push(String(data)));
    await once(client, 'open');
    const [socket] = await accepted;
    if (coalesce) coalesceWrites(socket);
    // Count the TCP writes the frames leave in (Node writes a corked batch with one _writev).
    const raw = (socket as unknown as { _socket: Socket & { _writev: (...args: unknown[]) => void; _write: (...args: unknown[]) => void } })._socket;
    const writes = { count: 0 };
    for (const method of ['_write', '_writev'] as const) {
      const original = raw[method].bind(raw);
      raw[method] = (...args: unknown[]) => {
        writes.count++;
        original(...args);
      };
    }
    return { socket, received, writes };
  }

  it('sends the frames of one turn in one write, every one of them and in order', async () => {
    const { socket, received, writes } = await connected(true);
    const messages = Array.from({ length: 300 }, (_, index) => JSON.stringify({ id: String(index), type: 'next' }));
    for (const message of messages) socket.send(message);
    await expect.poll(() => received.length).toBe(300);
    expect(received).toEqual(messages);
    expect(writes.count).toBe(1);

    // A later turn is a write of its own: nothing waits for more to come.
    socket.send('later');
    await expect.poll(() => received.at(-1)).toBe('later');
    expect(writes.count).toBe(2);
  });

  it('without it, ws writes every frame on its own (what this saves)', async () => {
    const { socket, received, writes } = await connected(false);
    for (let index = 0; index < 300; index++) socket.send(String(index));
    await expect.poll(() => received.length).toBe(300);
    expect(writes.count).toBeGreaterThan(100);
  });
});
