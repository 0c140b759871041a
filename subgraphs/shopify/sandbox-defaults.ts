/**
 * The Shopify sandbox's published credentials (`sandboxes/shopify/shopify-sandbox.ts`): what
 * development runs on out of the box, and what production mode refuses (`kit/secrets.ts`).
 */
export const SANDBOX_DEFAULTS = {
  SHOPIFY_ACCESS_TOKEN: 'shpat_sandbox_access_token',
  SHOPIFY_API_SECRET: 'shopify-sandbox-client-secret',
} as const;
