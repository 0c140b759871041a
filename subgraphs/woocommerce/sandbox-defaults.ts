/**
 * The WooCommerce sandbox's published credentials (`sandboxes/woocommerce/woocommerce-sandbox.ts`):
 * what development runs on out of the box, and what production mode refuses (`kit/secrets.ts`).
 */
export const SANDBOX_DEFAULTS = {
  WOOCOMMERCE_CONSUMER_KEY: 'ck_sandbox',
  WOOCOMMERCE_CONSUMER_SECRET: 'cs_sandbox',
} as const;
