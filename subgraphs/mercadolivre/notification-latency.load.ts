/**
 * The load side of notification-latency.bench.ts, in its own thread so the sender's own work does
 * not count as the receiver's answer time: POSTs every body at once and reports each answer time.
 */
import { parentPort, workerData } from 'node:worker_threads';

const { url, bodies } = workerData as { url: string; bodies: string[] };
const timings = await Promise.all(
  bodies.map(async (body) => {
    const started = performance.now();
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`notification answered ${response.status}`);
    return performance.now() - started;
  }),
);
parentPort!.postMessage(timings);
