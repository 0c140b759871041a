/**
 * The node:http server every sandbox runs on. It reads the request, routes `/_sandbox/` to the
 * control API, applies injected faults, asks the platform for its answer, writes it and logs
 * the call. Building and listening are separate: `createSandboxServer` builds, `listen(port)`
 * binds (port 0 in tests).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { CallLog } from './call-log.ts';
import type { RecordedCall } from './call-log.ts';
import { CONTROL_PREFIX, createControlApi } from './control-api.ts';
import type { SandboxControlAdapter } from './control-api.ts';
import { FaultInjector } from './faults.ts';
import { SandboxHttpError } from './http.ts';
import type { SandboxRequest, SandboxResponse } from './http.ts';
import type { WebhookDispatcher } from './webhooks.ts';

export interface PlatformApi {
  /** Answers one call to the platform's public API (never a `/_sandbox/` path). */
  handle(request: SandboxRequest): Promise<SandboxResponse>;
  /** The platform's own error answer for an injected or unexpected server error. */
  serverError(status: number): SandboxResponse;
  /** Platform operation name for the call log, when it can be told from the request. */
  operationOf?(request: SandboxRequest): string | null;
}

export interface SandboxServerOptions {
  platform: string;
  api: PlatformApi;
  control: SandboxControlAdapter;
  webhooks: WebhookDispatcher;
  faults: FaultInjector;
  callLog: CallLog;
  now: () => number;
}

export interface SandboxServer {
  /** Binds the server; resolves to its base URL, e.g. `http://127.0.0.1:54321`. @default port 0 (any free port) */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
  /** Base URL once listening. */
  readonly url: string;
}

/** Bodies above this are refused, as any real API gateway would. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export function createSandboxServer(options: SandboxServerOptions): SandboxServer {
  const { api, callLog, faults, now } = options;
  const control = createControlApi({ platform: options.platform, adapter: options.control, faults, callLog, webhooks: options.webhooks });
  const heldCalls = new Set<ReturnType<typeof setTimeout>>();
  let baseUrl = '';

  const server: Server = createServer((incoming, outgoing) => {
    void serve(incoming, outgoing).catch((error: unknown) => {
      console.error(`[sandbox:${options.platform}] unexpected failure`, error);
      if (!outgoing.headersSent) write(outgoing, api.serverError(500));
      else outgoing.destroy();
    });
  });

  async function serve(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const started = performance.now();
    const receivedAt = new Date(now()).toISOString();
    const url = new URL(incoming.url ?? '/', `http://${incoming.headers.host ?? 'sandbox.local'}`);
    const rawBody = await readBody(incoming);
    const request: SandboxRequest = { method: incoming.method ?? 'GET', url, path: url.pathname, headers: incoming.headers, rawBody, params: {} };

    if (url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
      write(outgoing, await control(request));
      return;
    }

    const logCall = (status: number | null, rateLimited: boolean, fault: RecordedCall['fault'], operation: string | null): void => {
      callLog.record({
        method: request.method,
        path: request.path,
        query: url.search,
        status,
        receivedAt,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        rateLimited,
        fault,
        operation,
      });
    };
    const operation = api.operationOf?.(request) ?? null;

    const fault = faults.take(request.method, request.path);
    if (fault?.mode === 'timeout') {
      // Hold the call without answering, then drop the connection: what a client sees when the platform hangs.
      const timer = setTimeout(() => {
        heldCalls.delete(timer);
        logCall(null, false, 'timeout', operation);
        outgoing.destroy();
      }, fault.delayMs);
      heldCalls.add(timer);
      return;
    }
    if (fault?.mode === 'slow') await delay(fault.delayMs);
    if (fault?.mode === 'error') {
      const response = api.serverError(fault.status);
      write(outgoing, response);
      logCall(response.status, false, 'error', operation);
      return;
    }

    let response: SandboxResponse;
    try {
      response = await api.handle(request);
    } catch (error) {
      if (!(error instanceof SandboxHttpError)) throw error;
      response = { status: error.status, body: error.body, headers: error.headers };
    }
    write(outgoing, response);
    logCall(response.status, response.rateLimited === true, fault ? 'slow' : null, operation);
  }

  return {
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          baseUrl = `http://${shownHost}:${address.port}`;
          resolve(baseUrl);
        });
      });
    },
    async close() {
      for (const timer of heldCalls) clearTimeout(timer);
      heldCalls.clear();
      options.webhooks.close();
      if (!server.listening) return;
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
    get url() {
      if (!baseUrl) throw new Error(`The ${options.platform} sandbox is not listening yet: call listen() first`);
      return baseUrl;
    },
  };
}

/** The pieces every platform sandbox is made of, built with one clock. */
export function createSandboxParts(now: () => number = Date.now): { callLog: CallLog; faults: FaultInjector; now: () => number } {
  return { callLog: new CallLog(), faults: new FaultInjector(now), now };
}

function write(outgoing: ServerResponse, response: SandboxResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  let payload: Buffer | string | undefined;
  if (response.body === undefined) payload = undefined;
  else if (typeof response.body === 'string' || Buffer.isBuffer(response.body)) payload = response.body;
  else payload = JSON.stringify(response.body);
  if (payload !== undefined && !hasHeader(headers, 'content-type')) headers['Content-Type'] = 'application/json; charset=utf-8';
  outgoing.writeHead(response.status, headers);
  outgoing.end(payload);
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

async function readBody(incoming: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error(`Request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
