import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { createMercadoLivreSandbox, type MercadoLivreSandbox, type MercadoLivreSandboxOptions } from '../../sandboxes/mercadolivre/mercadolivre-sandbox.ts';
import { createMercadoLivreSubgraph, mercadolivreSdl, type MercadoLivreSubgraph, type MercadoLivreSubgraphOptions } from '../../subgraphs/mercadolivre/index.ts';
import type { Logger } from '../../kit/logger.ts';
import { startPonte, type RunningPonte } from './ponte.ts';
import { platformSubgraph } from './platform-subgraph.ts';

/** The subgraph's `platform` options for a sandbox: its seller, application and pre-issued tokens. */
export function sandboxPlatform(sandbox: MercadoLivreSandbox): MercadoLivreSubgraphOptions['platform'] {
  return {
    baseUrl: sandbox.url,
    userId: String(sandbox.userId),
    applicationId: String(sandbox.application.applicationId),
    clientSecret: sandbox.application.clientSecret,
    accessToken: sandbox.accessToken,
    refreshToken: sandbox.refreshToken,
  };
}

export interface MercadoLivreBesidePonte {
  sandbox: MercadoLivreSandbox;
  control: SandboxControlClient;
  ponte: RunningPonte;
  ml: MercadoLivreSubgraph;
  /** The subgraph's notification callback, where the sandbox sends its notifications. */
  notificationUrl: string;
  close(): Promise<void>;
}

/**
 * A Mercado Livre sandbox, and Ponte with the Mercado Livre subgraph reading it, the sandbox's
 * notifications pointed at the subgraph. `subgraph` adds to (or overrides) the subgraph's options.
 */
export async function startMercadoLivreBesidePonte(options: {
  log: Logger;
  /** The test database's name (a prefix). */
  database: string;
  sandbox?: MercadoLivreSandboxOptions;
  subgraph?: Partial<Omit<MercadoLivreSubgraphOptions, 'database' | 'log' | 'platform' | 'inventoryUrl'>>;
}): Promise<MercadoLivreBesidePonte> {
  const sandbox = createMercadoLivreSandbox(options.sandbox);
  const control = new SandboxControlClient(await sandbox.listen());
  let started: { ml: MercadoLivreSubgraph; notificationUrl: string } | undefined;
  const ponte = await startPonte({
    extraSubgraphs: [
      platformSubgraph({
        name: 'mercadolivre',
        sdl: mercadolivreSdl(),
        database: options.database,
        create: ({ database, inventoryUrl, gatewaySecret, serviceKey }) =>
          createMercadoLivreSubgraph({ database, log: options.log, gatewaySecret, serviceKey, inventoryUrl, platform: sandboxPlatform(sandbox), ...options.subgraph }),
        started: ({ subgraph, url }) => {
          started = { ml: subgraph, notificationUrl: new URL(subgraph.notificationsPath, url).toString() };
          sandbox.notificationCallbackUrl = started.notificationUrl;
        },
      }),
    ],
  }).catch(async (error: unknown) => {
    await sandbox.close();
    throw error;
  });
  return {
    sandbox,
    control,
    ponte,
    ...started!,
    async close() {
      await ponte.close();
      await sandbox.close();
    },
  };
}
