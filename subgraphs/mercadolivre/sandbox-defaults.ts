/**
 * The Mercado Livre sandbox's published application and seller (`sandboxes/mercadolivre/`):
 * what development runs on out of the box, and what production mode refuses (`kit/secrets.ts`).
 */
const USER_ID = '1234567890';
const APPLICATION_ID = '5512345678901234';

export const SANDBOX_DEFAULTS = {
  MERCADOLIVRE_USER_ID: USER_ID,
  MERCADOLIVRE_APP_ID: APPLICATION_ID,
  MERCADOLIVRE_CLIENT_SECRET: 'ml-sandbox-client-secret',
  MERCADOLIVRE_ACCESS_TOKEN: `APP_USR-${APPLICATION_ID}-sandbox-${USER_ID}`,
  MERCADOLIVRE_REFRESH_TOKEN: `TG-sandbox-refresh-${USER_ID}`,
} as const;
