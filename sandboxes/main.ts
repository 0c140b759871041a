/**
 * Runs all four sandboxes in one process (ports 4101–4104 unless SHOPIFY_SANDBOX_PORT,
 * WOOCOMMERCE_SANDBOX_PORT, MERCADOLIVRE_SANDBOX_PORT or AMAZON_SANDBOX_PORT say otherwise).
 * Each platform's own main.ts reads that platform's credentials and webhook targets.
 */
import { listenHost } from '../kit/mode.ts';
import { portFromEnv } from './common/run-main.ts';
import { DEFAULT_SANDBOX_PORTS, startSandboxes } from './index.ts';

try {
  const running = await startSandboxes({
    // HOST (default 127.0.0.1): the control API is unauthenticated, so loopback unless told otherwise.
    host: listenHost(),
    ports: {
      shopify: portFromEnv(['SHOPIFY_SANDBOX_PORT'], DEFAULT_SANDBOX_PORTS.shopify),
      woocommerce: portFromEnv(['WOOCOMMERCE_SANDBOX_PORT'], DEFAULT_SANDBOX_PORTS.woocommerce),
      mercadolivre: portFromEnv(['MERCADOLIVRE_SANDBOX_PORT'], DEFAULT_SANDBOX_PORTS.mercadolivre),
      amazon: portFromEnv(['AMAZON_SANDBOX_PORT'], DEFAULT_SANDBOX_PORTS.amazon),
    },
  });
  for (const [platform, url] of Object.entries(running.urls)) console.log(`[sandbox:${platform}] listening on ${url}`);
  const stop = () => {
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error('[sandboxes] cannot start:', error instanceof Error ? error.message : error);
  process.exit(1);
}
