/**
 * What every sandbox's `main.ts` does after building: listen on the configured port, print
 * the base URL, close cleanly on SIGINT/SIGTERM, and exit non-zero if it cannot listen.
 */
import { listenHost } from '../../kit/mode.ts';
import type { SandboxServer } from './sandbox-server.ts';

export function portFromEnv(names: string[], fallback: number): number {
  for (const name of names) {
    const value = process.env[name];
    if (value === undefined || value === '') continue;
    const port = Number(value);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name}=${value} is not a valid TCP port`);
    return port;
  }
  return fallback;
}

export async function runSandboxMain(platform: string, sandbox: SandboxServer, port: number, host = listenHost()): Promise<void> {
  try {
    const url = await sandbox.listen(port, host);
    console.log(`[sandbox:${platform}] listening on ${url} (control API at ${url}/_sandbox)`);
  } catch (error) {
    console.error(`[sandbox:${platform}] cannot listen on ${host}:${port}:`, error instanceof Error ? error.message : error);
    process.exit(1);
  }
  const stop = (signal: string) => {
    console.log(`[sandbox:${platform}] ${signal} received, closing`);
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`[sandbox:${platform}] failed to close:`, error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
