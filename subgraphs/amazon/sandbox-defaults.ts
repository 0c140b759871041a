/**
 * The Amazon sandbox's published Login with Amazon credentials (`sandboxes/amazon/amazon-sandbox.ts`):
 * what development runs on out of the box, and what production mode refuses (`kit/secrets.ts`).
 */
export const SANDBOX_DEFAULTS = {
  LWA_CLIENT_ID: 'amzn1.application-oa2-client.sandbox',
  LWA_CLIENT_SECRET: 'amzn1.oa2-cs.v1.sandbox',
  LWA_REFRESH_TOKEN: 'Atzr|sandbox-refresh-token',
} as const;
