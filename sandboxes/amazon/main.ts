/**
 * Runs the Amazon SP-API sandbox (and its Login with Amazon stand-in at /auth/o2/token).
 * Environment:
 * - PORT or AMAZON_SANDBOX_PORT (default 4104), HOST (default 127.0.0.1)
 * - AMAZON_SELLER_ID, AMAZON_MARKETPLACE_ID (default Brazil, A2Q3Y263D00KWC)
 * - LWA_CLIENT_ID, LWA_CLIENT_SECRET, LWA_REFRESH_TOKEN: credentials the LWA stand-in accepts
 * - AMAZON_ACCESS_TOKEN: an access token valid from start-up
 */
import { portFromEnv, runSandboxMain } from '../common/run-main.ts';
import { createAmazonSandbox } from './amazon-sandbox.ts';

const env = process.env;
const sandbox = createAmazonSandbox({
  ...(env['AMAZON_SELLER_ID'] ? { sellerId: env['AMAZON_SELLER_ID'] } : {}),
  ...(env['AMAZON_MARKETPLACE_ID'] ? { marketplaceId: env['AMAZON_MARKETPLACE_ID'] } : {}),
  ...(env['AMAZON_ACCESS_TOKEN'] ? { accessToken: env['AMAZON_ACCESS_TOKEN'] } : {}),
  lwa: {
    ...(env['LWA_CLIENT_ID'] ? { clientId: env['LWA_CLIENT_ID'] } : {}),
    ...(env['LWA_CLIENT_SECRET'] ? { clientSecret: env['LWA_CLIENT_SECRET'] } : {}),
    ...(env['LWA_REFRESH_TOKEN'] ? { refreshToken: env['LWA_REFRESH_TOKEN'] } : {}),
  },
});
await runSandboxMain('amazon', sandbox, portFromEnv(['PORT', 'AMAZON_SANDBOX_PORT'], 4104));
