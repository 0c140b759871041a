import { pino, type Logger } from 'pino';
import { activeTraceIds } from './telemetry.ts';

export type { Logger };

/**
 * Fields that carry a platform's payload or a person's data. Log calls name ids, never these;
 * should one slip into a log call anyway (an order body, an error's response), pino replaces it.
 */
export const PERSONAL_LOG_FIELDS = ['payload', 'body', 'rawBody', 'customer', 'buyer', 'contact', 'email', 'phone', 'cpf', 'address', 'billing', 'shipping', 'note'] as const;

/**
 * An error as logged: its kind, message, code, status and stack (and its cause's), never the
 * other properties an error may carry (a response body, a request's payload).
 */
function errorForLog(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return error;
  const { code, status } = error as Error & { code?: unknown; status?: unknown };
  return {
    type: error.name,
    message: error.message,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(typeof status === 'number' ? { status } : {}),
    stack: error.stack,
    ...(error.cause !== undefined && depth < 3 ? { cause: errorForLog(error.cause, depth + 1) } : {}),
  };
}

/**
 * Structured JSON logs on stdout, one line per event. Each component takes a child logger
 * with its own `component` field, so a log search can follow one subgraph or one plugin.
 * @default level from LOG_LEVEL (trace, debug, info, warn or error: the values the gateway
 * runtime's own logger also accepts), else `info`; nothing under tests unless LOG_LEVEL is set.
 * A line written while a span is active carries its `traceId` and `spanId`.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'), destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: errorForLog },
    // The trace and span a line was written in, so a log search and a trace viewer meet.
    mixin: () => activeTraceIds() ?? {},
    redact: { paths: PERSONAL_LOG_FIELDS.flatMap((field) => [field, `*.${field}`]), censor: '[personal data redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
