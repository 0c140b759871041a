import { readFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort } from 'node:worker_threads';

/**
 * Strips the TypeScript types of the modules that the supervisor's service threads load, once,
 * in the supervisor's thread, for all of them.
 *
 * Node strips a `.ts` module's types with amaro (swc compiled to WebAssembly), which each thread
 * that loads one instantiates for itself: some 8 MB resident and a quarter of a second of CPU
 * per thread (`npm start` runs twelve), and every thread strips the same `kit/` modules again.
 * Here a thread's module loader (`registerHooks` in `scripts/service-thread.ts`) asks this thread
 * for a module's stripped source and waits for it (a message, then `Atomics.wait` on a shared
 * flag), so amaro runs only where it already is, and each file is stripped once. What a module
 * becomes is what Node's own loader makes of it: the same `stripTypeScriptTypes`, whitespace in
 * place of types, so lines and columns in stack traces do not move.
 */
export class SharedTypeStripping {
  readonly #sources = new Map<string, string>();

  /** The source of a `.ts` module (a file: URL) with its types stripped. */
  strippedSource(url: string): string {
    let source = this.#sources.get(url);
    if (source === undefined) {
      source = stripQuietly(readFileSync(fileURLToPath(url), 'utf8'));
      this.#sources.set(url, source);
    }
    return source;
  }

  /**
   * A thread's entry script as a `data:` URL of its stripped source: a thread started on the `.ts`
   * file itself would have instantiated amaro before its hooks could ask for anything. The script
   * must import nothing but Node's own modules (a `data:` URL has no directory to resolve from).
   */
  threadScript(url: URL): URL {
    return new URL(`data:text/javascript,${encodeURIComponent(this.strippedSource(url.href))}`);
  }

  /** What a thread is given (`workerData.strippedSources`, its port transferred) to ask for sources. */
  connect(): { channel: StrippedSourceChannel; transfer: MessagePort[] } {
    const { port1, port2 } = new MessageChannel();
    const signal = new SharedArrayBuffer(4);
    const flag = new Int32Array(signal);
    port1.on('message', (url: string) => {
      let reply: StrippedSourceReply;
      try {
        reply = { source: this.strippedSource(url) };
      } catch (error) {
        reply = { error: (error as Error).message };
      }
      port1.postMessage(reply);
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
    });
    // Asking is the thread's business: this port must not keep the supervisor alive once it ends.
    port1.unref();
    return { channel: { port: port2, signal }, transfer: [port2] };
  }
}

/** The thread's end of a `SharedTypeStripping`: ask on `port`, wait for `signal` to turn 1. */
export interface StrippedSourceChannel {
  port: MessagePort;
  signal: SharedArrayBuffer;
}

export type StrippedSourceReply = { source: string } | { error: string };

let warned = false;

/**
 * `stripTypeScriptTypes` warns, once, that it is experimental; what it does is what Node's loader
 * does for every `.ts` module it loads (the same amaro, the same mode), which warns of nothing.
 */
function stripQuietly(code: string): string {
  if (warned) return stripTypeScriptTypes(code);
  const emitWarning = process.emitWarning;
  process.emitWarning = () => {};
  try {
    return stripTypeScriptTypes(code);
  } finally {
    process.emitWarning = emitWarning;
    warned = true;
  }
}
