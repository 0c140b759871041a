import type { ExitCause, SupervisorEvent } from './supervisor.ts';

/**
 * What `npm start` prints. On a terminal a person reads it: one line per service as it starts
 * and becomes ready, restarts and failures in plain words, and the services' own warnings and
 * errors shortened to a line each (their info lines are left out). With `--json`, or when stdout
 * is not a terminal (a file, a log collector), every service line passes through untouched and
 * the supervisor's own events are JSON lines too, so the output stays machine-readable.
 */

export type OutputMode = 'human' | 'json';

/** `--json` asks for JSON lines; otherwise a terminal gets human lines and anything else JSON. */
export function outputModeFor(argv: readonly string[], stdoutIsTerminal: boolean): OutputMode {
  if (argv.includes('--json')) return 'json';
  return stdoutIsTerminal ? 'human' : 'json';
}

export interface ConsoleSink {
  out(text: string): void;
  err(text: string): void;
}

export interface ReadySummary {
  gatewayUrl: string;
  /** Where GraphiQL is served, when it is (development only). */
  graphiqlUrl?: string | undefined;
  /** Where the operator console is served (gateway/console.ts). */
  consoleUrl?: string | undefined;
  database: string;
  /** More lines to show under the summary (credentials, consoles), each already worded. */
  extraLines?: readonly string[];
}

export interface ConsoleOutput {
  line(service: string, stream: 'stdout' | 'stderr', text: string): void;
  event(event: SupervisorEvent): void;
  ready(summary: ReadySummary): void;
  /** A failure of `npm start` itself. */
  failed(message: string): void;
}

/** pino's numeric levels (the services log through pino, the gateway runtime's logger too). */
const WARN = 40;
const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

export function describeExit({ code, signal }: ExitCause): string {
  if (signal) return `was killed by ${signal}`;
  return code === 0 ? 'exited' : `exited with code ${code}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** One human line for a supervisor event. */
export function formatEvent(event: SupervisorEvent): string {
  switch (event.kind) {
    case 'starting':
      return `… ${event.service} starting`;
    case 'ready':
      return event.restarts === 0 ? `✓ ${event.service} ready in ${seconds(event.afterMs)}` : `✓ ${event.service} is back (restart ${event.restarts}), ready in ${seconds(event.afterMs)}`;
    case 'exited':
      return `✗ ${event.service} ${describeExit(event.cause)}; restarting it in ${seconds(event.restartInMs)} (quick crash ${event.quickCrashes} of ${event.maxQuickCrashes}); the other services keep running`;
    case 'gave-up':
      return `✗ ${event.service} ${describeExit(event.cause)} and has crashed ${event.quickCrashes} times in a row soon after starting; not restarting it again. The other services keep running; fix the cause (see its errors above) and restart npm start.`;
    case 'stopping':
      return '… stopping every service';
    case 'stopped':
      return event.forced ? `✗ ${event.service} did not stop in time; killed` : `✓ ${event.service} stopped`;
  }
}

/**
 * One human line for a service's log line, or undefined to leave it out: a JSON log line below
 * warn (the services' routine info), shown only in JSON mode. A warning or error reads
 * `! shopify: listing quantity could not be pushed (sku CAM-BASICA-M: 429 Too Many Requests)`.
 */
export function formatServiceLine(service: string, stream: 'stdout' | 'stderr', text: string): string | undefined {
  const entry = parseLogLine(text);
  if (!entry) {
    // Not a log line (a stack trace, a sandbox's own print): errors are shown, the rest is not news.
    return stream === 'stderr' && text.trim() ? `! ${service}: ${text}` : undefined;
  }
  const level = typeof entry['level'] === 'number' ? entry['level'] : 30;
  if (level < WARN) return undefined;
  const message = typeof entry['msg'] === 'string' && entry['msg'] ? entry['msg'] : (LEVEL_NAMES[level] ?? 'log');
  const details = detailsOf(entry);
  return `${level >= 50 ? '✗' : '!'} ${service}: ${message}${details ? ` (${details})` : ''}`;
}

function parseLogLine(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The error's message and the ids a log line names (sku, orderId…), not the whole record. */
function detailsOf(entry: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(entry)) {
    if (['level', 'time', 'msg', 'service', 'component', 'pid', 'hostname', 'err', 'error', 'stack'].includes(key)) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') parts.push(`${key} ${value}`);
  }
  const error = (entry['err'] ?? entry['error']) as { message?: unknown } | string | undefined;
  const errorMessage = typeof error === 'string' ? error : typeof error?.message === 'string' ? error.message : undefined;
  if (errorMessage) parts.push(errorMessage);
  return parts.join(', ');
}

/** The supervisor's own lines in JSON mode: the shape every service logs in. */
function jsonLine(level: number, msg: string, fields: Record<string, unknown>): string {
  return JSON.stringify({ level, time: new Date().toISOString(), ...fields, service: 'npm-start', msg });
}

export function createConsoleOutput(mode: OutputMode, sink: ConsoleSink = { out: (text) => process.stdout.write(`${text}\n`), err: (text) => process.stderr.write(`${text}\n`) }): ConsoleOutput {
  if (mode === 'json') {
    return {
      line: (service, stream, text) => (stream === 'stdout' ? sink.out(text) : sink.err(`[${service}] ${text}`)),
      event: (event) => {
        const level = event.kind === 'gave-up' ? 50 : event.kind === 'exited' ? 40 : 30;
        // `service` names the line's writer (npm start itself); the service the event is about is `target`.
        const { kind, ...fields } = event;
        const { service: target, ...rest } = fields as { service?: string };
        sink.out(jsonLine(level, formatEvent(event), { event: kind, ...(target ? { target } : {}), ...rest }));
      },
      ready: (summary) => sink.out(jsonLine(30, 'ready', { ...summary })),
      failed: (message) => sink.out(jsonLine(60, `failed to start: ${message}`, {})),
    };
  }
  return {
    line: (service, stream, text) => {
      const formatted = formatServiceLine(service, stream, text);
      if (formatted !== undefined) sink.out(formatted);
    },
    event: (event) => sink.out(formatEvent(event)),
    ready: (summary) => sink.out(formatReady(summary)),
    failed: (message) => sink.err(`✗ npm start failed: ${message}`),
  };
}

export function formatReady(summary: ReadySummary): string {
  return [
    '',
    `Ponte is ready.`,
    `  GraphQL (HTTP and graphql-ws): ${summary.gatewayUrl}`,
    ...(summary.graphiqlUrl ? [`  GraphiQL, with example operations: ${summary.graphiqlUrl}`] : []),
    ...(summary.consoleUrl ? [`  Operator console (sign in with the operator key): ${summary.consoleUrl}`] : []),
    `  Database: ${summary.database}`,
    ...(summary.extraLines ?? []).map((line) => `  ${line}`),
    '  Ctrl-C stops every service; `npm start -- --json` prints the services’ JSON log lines instead.',
    '',
  ].join('\n');
}
