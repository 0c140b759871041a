/**
 * Runs the WooCommerce sandbox. Environment:
 * - PORT or WOOCOMMERCE_SANDBOX_PORT (default 4102), HOST (default 127.0.0.1)
 * - WOOCOMMERCE_CONSUMER_KEY / WOOCOMMERCE_CONSUMER_SECRET (default ck_sandbox / cs_sandbox)
 * - WOOCOMMERCE_RESPONSE_DELAY_MS: added latency on every API call (default 0)
 * - WOOCOMMERCE_WEBHOOK_URL and WOOCOMMERCE_WEBHOOK_SECRET: if set, webhooks for order.created,
 *   order.updated and product.updated to that URL, signed with that secret
 */
import { portFromEnv, runSandboxMain } from '../common/run-main.ts';
import { createWooCommerceSandbox } from './woocommerce-sandbox.ts';

const webhookUrl = process.env['WOOCOMMERCE_WEBHOOK_URL'];
const webhookSecret = process.env['WOOCOMMERCE_WEBHOOK_SECRET'];
const sandbox = createWooCommerceSandbox({
  apiKeys: [
    {
      consumerKey: process.env['WOOCOMMERCE_CONSUMER_KEY'] ?? 'ck_sandbox',
      consumerSecret: process.env['WOOCOMMERCE_CONSUMER_SECRET'] ?? 'cs_sandbox',
      permissions: 'read_write',
    },
  ],
  responseDelayMs: Number(process.env['WOOCOMMERCE_RESPONSE_DELAY_MS'] ?? 0),
  webhooks: webhookUrl
    ? ['order.created', 'order.updated', 'product.updated'].map((topic) => ({ topic, url: webhookUrl, ...(webhookSecret ? { secret: webhookSecret } : {}) }))
    : [],
});
await runSandboxMain('woocommerce', sandbox, portFromEnv(['PORT', 'WOOCOMMERCE_SANDBOX_PORT'], 4102));
