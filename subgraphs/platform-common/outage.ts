import type { Logger } from '../../kit/logger.ts';
import type { PlatformReachability } from './alerts.ts';
import type { Inbox } from './inbox.ts';
import type { StockSync } from './stock-sync.ts';

/** How often a failing platform is probed with one cheap call. */
export const DEFAULT_OUTAGE_PROBE_INTERVAL_MS = 2000;

export interface OutageRecoveryOptions {
  reachability: PlatformReachability;
  inbox: Inbox;
  stockSync: StockSync | null | undefined;
  log: Logger;
  /** As the log names it: "Shopify answers again". */
  platformLabel: string;
  /**
   * One cheap call to the platform, made every `probeIntervalMs` while its calls fail, so that its
   * recovery is seen while everything else waits out its backoff. None where the platform's rate
   * limit makes even that costly (Amazon: its order poll and listing pushes see it).
   */
  probe?: (() => Promise<unknown>) | undefined;
  /** @default DEFAULT_OUTAGE_PROBE_INTERVAL_MS (2 s) */
  probeIntervalMs?: number | undefined;
}

/**
 * After a platform's outage, what failed for the outage — the inbox's order messages and channel
 * sync's listing pushes — goes as soon as a call to the platform succeeds again, instead of after
 * its backoff (up to 5 minutes for a message), and is not tried meanwhile. Returns what stops the probe.
 */
export function wakeAfterOutages(options: OutageRecoveryOptions): () => void {
  const { reachability, inbox, stockSync, log, platformLabel } = options;
  reachability.onRecovery((outage) => {
    log.info({ failures: outage.failures, downMs: Date.now() - outage.since }, `${platformLabel} answers again`);
    void inbox.platformRecovered().catch((error: unknown) => log.warn({ err: error }, `could not wake the messages waiting for ${platformLabel}`));
    void stockSync?.platformRecovered().catch((error: unknown) => log.warn({ err: error }, `could not wake the listing pushes waiting for ${platformLabel}`));
  });
  return options.probe ? reachability.probeWhileFailing(options.probe, options.probeIntervalMs ?? DEFAULT_OUTAGE_PROBE_INTERVAL_MS) : () => {};
}
