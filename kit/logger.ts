import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stdout, one line per event. Each component takes a child logger
 * with its own `component` field, so a log search can follow one subgraph or one plugin.
 * @default level from LOG_LEVEL (trace, debug, info, warn or error: the values the gateway
 * runtime's own logger also accepts), else `info`; nothing under tests unless LOG_LEVEL is set
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info')): Logger {
  return pino({ level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}
