import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * Runs a service's entry (its `main.ts`, unchanged) in a thread of the supervisor's process
 * (`scripts/supervisor.ts`, isolation `thread`), so that it behaves as it does in a process:
 * - signals reach only a process's main thread: the supervisor's `'SIGTERM'` message is raised
 *   here as the signal event its `runService` waits for, which closes it and exits the thread;
 * - pino writes straight to file descriptor 1 from a thread, past the supervisor that tells the
 *   services' lines apart; it writes to `process.stdout` (which the supervisor reads) instead
 *   when that stream's `write` is not the prototype's, hence the wrapper.
 */
const stdoutWrite = process.stdout.write;
process.stdout.write = function write(this: typeof process.stdout, ...args: Parameters<typeof stdoutWrite>) {
  return stdoutWrite.apply(this, args);
} as typeof stdoutWrite;

parentPort!.on('message', (message: unknown) => {
  if (message === 'SIGTERM' || message === 'SIGINT') process.emit(message);
});
// Waiting for a stop message must not keep a thread alive whose service has ended by itself.
parentPort!.unref();

const { entry } = workerData as { entry: string };
await import(pathToFileURL(isAbsolute(entry) ? entry : resolve(entry)).href);
