import type { Logger } from './logger.ts';
import { startTelemetry } from './telemetry.ts';

/**
 * The "listen" half of every service: starts it, exits non-zero if it cannot, and on SIGINT or
 * SIGTERM closes it (finishing in-flight work) before exiting.
 */
export async function runService(log: Logger, start: () => Promise<() => Promise<void>>): Promise<void> {
  let close: (() => Promise<void>) | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    try {
      await close?.();
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  try {
    // Traces (OTEL_* variables) are set up before the service makes its first span, and flushed last.
    const stopTelemetry = await startTelemetry(String(log.bindings()['service'] ?? 'service'));
    const closeService = await start();
    close = async () => {
      try {
        await closeService();
      } finally {
        await stopTelemetry();
      }
    };
  } catch (error) {
    log.fatal({ err: error }, 'failed to start');
    process.exit(1);
  }
}
