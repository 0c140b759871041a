/**
 * Runs all four sandboxes in one process (ports 4101–4104 unless SHOPIFY_SANDBOX_PORT,
 * WOOCOMMERCE_SANDBOX_PORT, MERCADOLIVRE_SANDBOX_PORT or AMAZON_SANDBOX_PORT say otherwise).
 * The credentials the subgraphs are given (SHOPIFY_ACCESS_TOKEN, SHOPIFY_API_SECRET,
 * WOOCOMMERCE_CONSUMER_KEY/SECRET, MERCADOLIVRE_CLIENT_SECRET/ACCESS_TOKEN/REFRESH_TOKEN,
 * LWA_CLIENT_ID/SECRET/REFRESH_TOKEN) are accepted here too when set, so a deployment with
 * secrets of its own (docker-compose.yml) still runs against the sandboxes; unset, each sandbox
 * keeps its published values. Each platform's own main.ts reads more (webhook targets, plans).
 */
import { listenHost } from '../kit/mode.ts';
import { portFromEnv } from './common/run-main.ts';
import { DEFAULT_SANDBOX_PORTS, startSandboxes } from './index.ts';

const env = process.env;
const set = <Value>(name: string, wrap: (value: string) => Value): Value | Record<string, never> => (env[name] ? wrap(env[name]) : {});

try {
  const running = await startSandboxes({
    shopify: { ...set('SHOPIFY_ACCESS_TOKEN', (accessToken) => ({ accessToken })), ...set('SHOPIFY_API_SECRET', (apiSecretKey) => ({ apiSecretKey })) },
    ...(env['WOOCOMMERCE_CONSUMER_KEY'] && env['WOOCOMMERCE_CONSUMER_SECRET']
      ? { woocommerce: { apiKeys: [{ consumerKey: env['WOOCOMMERCE_CONSUMER_KEY'], consumerSecret: env['WOOCOMMERCE_CONSUMER_SECRET'], permissions: 'read_write' as const }] } }
      : {}),
    mercadolivre: {
      application: { ...set('MERCADOLIVRE_CLIENT_SECRET', (clientSecret) => ({ clientSecret })) },
      ...set('MERCADOLIVRE_ACCESS_TOKEN', (accessToken) => ({ accessToken })),
      ...set('MERCADOLIVRE_REFRESH_TOKEN', (refreshToken) => ({ refreshToken })),
    },
    amazon: {
      lwa: {
        ...set('LWA_CLIENT_ID', (clientId) => ({ clientId })),
        ...set('LWA_CLIENT_SECRET', (clientSecret) => ({ clientSecret })),
        ...set('LWA_REFRESH_TOKEN', (refreshToken) => ({ refreshToken })),
      },
    },
    // HOST (default 127.0.0.1): the control API is unauthenticated, so loopback unless told otherwise.
    host: listenHost(),
    // Each start re-seeds the sandboxes in memory, while Ponte's databases remember the order ids
    // they applied: ids must not come round again (Amazon's are random already).
    uniqueOrderIds: true,
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
