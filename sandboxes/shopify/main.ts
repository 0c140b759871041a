/**
 * Runs the Shopify sandbox. Environment:
 * - PORT or SHOPIFY_SANDBOX_PORT (default 4101), HOST (default 127.0.0.1)
 * - SHOPIFY_ACCESS_TOKEN, SHOPIFY_API_SECRET, SHOPIFY_SHOP_DOMAIN
 * - SHOPIFY_PLAN: standard | advanced | plus (default standard)
 * - SHOPIFY_WEBHOOK_URL: if set, subscribes it to orders/create, orders/cancelled,
 *   orders/fulfilled and inventory_levels/update
 * - SHOPIFY_COMPLIANCE_WEBHOOK_URL: where customers/data_request, customers/redact and shop/redact
 *   go (also settable through PUT /_sandbox/compliance-webhooks)
 */
import { portFromEnv, runSandboxMain } from '../common/run-main.ts';
import { createShopifySandbox, SHOPIFY_PLANS } from './shopify-sandbox.ts';

const plan = process.env['SHOPIFY_PLAN'] ?? 'standard';
if (!(plan in SHOPIFY_PLANS)) {
  console.error(`SHOPIFY_PLAN=${plan} is not one of ${Object.keys(SHOPIFY_PLANS).join(', ')}`);
  process.exit(1);
}
const webhookUrl = process.env['SHOPIFY_WEBHOOK_URL'];
const sandbox = createShopifySandbox({
  ...(process.env['SHOPIFY_ACCESS_TOKEN'] ? { accessToken: process.env['SHOPIFY_ACCESS_TOKEN'] } : {}),
  ...(process.env['SHOPIFY_API_SECRET'] ? { apiSecretKey: process.env['SHOPIFY_API_SECRET'] } : {}),
  ...(process.env['SHOPIFY_SHOP_DOMAIN'] ? { shopDomain: process.env['SHOPIFY_SHOP_DOMAIN'] } : {}),
  ...(process.env['SHOPIFY_COMPLIANCE_WEBHOOK_URL'] ? { complianceWebhookUrl: process.env['SHOPIFY_COMPLIANCE_WEBHOOK_URL'] } : {}),
  throttle: plan as keyof typeof SHOPIFY_PLANS,
  webhooks: webhookUrl ? ['orders/create', 'orders/cancelled', 'orders/fulfilled', 'inventory_levels/update'].map((topic) => ({ topic, url: webhookUrl })) : [],
});
await runSandboxMain('shopify', sandbox, portFromEnv(['PORT', 'SHOPIFY_SANDBOX_PORT'], 4101));
