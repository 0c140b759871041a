import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The types every platform subgraph declares alike (order exceptions, alerts, shipment confirmations, money). */
export const PLATFORM_COMMON_SDL_PATH = fileURLToPath(new URL('../../schema/platform-common.graphql', import.meta.url));

/**
 * A platform subgraph's SDL as it serves it: its own schema file (its `@link` imports, its fields)
 * followed by the shared one, so that the shared types are written once and cannot drift apart
 * between platforms (federation needs each subgraph to declare the shareable types it resolves).
 */
export function platformSdl(ownSdlPath: string): string {
  return `${readFileSync(ownSdlPath, 'utf8')}\n${readFileSync(PLATFORM_COMMON_SDL_PATH, 'utf8')}`;
}
