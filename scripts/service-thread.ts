import { registerHooks } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';

/**
 * Runs a service's entry (its `main.ts`, unchanged) in a thread of the supervisor's process
 * (`scripts/supervisor.ts`, isolation `thread`), so that it behaves as it does in a process:
 * - signals reach only a process's main thread: the supervisor's `'SIGTERM'` message is raised
 *   here as the signal event its `runService` waits for, which closes it and exits the thread;
 * - pino writes straight to file descriptor 1 from a thread, past the supervisor that tells the
 *   services' lines apart; it writes to `process.stdout` (which the supervisor reads) instead
 *   when that stream's `write` is not the prototype's, hence the wrapper.
 *
 * The supervisor starts it from a `data:` URL of its stripped source, with a channel on which it
 * asks for the other modules' stripped sources (`scripts/shared-type-stripping.ts`): hence no
 * import here but Node's own, and no TypeScript that is not erasable.
 */
const { entry, strippedSources } = workerData as { entry: string; strippedSources?: { port: MessagePort; signal: SharedArrayBuffer } };

/** Long enough for a busy supervisor thread (a statement of PGlite's runs in it). */
const STRIPPED_SOURCE_TIMEOUT_MS = 60_000;

if (strippedSources) {
  const { port, signal } = strippedSources;
  const flag = new Int32Array(signal);
  registerHooks({
    load(url, context, nextLoad) {
      // Node strips no types under node_modules; nor is there any TypeScript there to run.
      if (!url.startsWith('file:') || !url.endsWith('.ts') || url.includes('/node_modules/')) return nextLoad(url, context);
      Atomics.store(flag, 0, 0);
      port.postMessage(url);
      if (Atomics.wait(flag, 0, 0, STRIPPED_SOURCE_TIMEOUT_MS) === 'timed-out') throw new Error(`${url}: no stripped source from the supervisor within ${STRIPPED_SOURCE_TIMEOUT_MS} ms`);
      const reply = receiveMessageOnPort(port)?.message as { source: string } | { error: string } | undefined;
      if (!reply || 'error' in reply) throw new SyntaxError(`${url}: ${reply?.error ?? 'no stripped source from the supervisor'}`);
      return { format: 'module', source: reply.source, shortCircuit: true };
    },
  });
}

const stdoutWrite = process.stdout.write;
process.stdout.write = function write(this: typeof process.stdout, ...args: Parameters<typeof stdoutWrite>) {
  return stdoutWrite.apply(this, args);
} as typeof stdoutWrite;

parentPort!.on('message', (message: unknown) => {
  if (message === 'SIGTERM' || message === 'SIGINT') process.emit(message);
});
// Waiting for a stop message must not keep a thread alive whose service has ended by itself.
parentPort!.unref();

await import(pathToFileURL(isAbsolute(entry) ? entry : resolve(entry)).href);
