/**
 * Runs the Mercado Livre sandbox. Environment:
 * - PORT or MERCADOLIVRE_SANDBOX_PORT (default 4103), HOST (default 127.0.0.1)
 * - MERCADOLIVRE_USER_ID, MERCADOLIVRE_APP_ID, MERCADOLIVRE_CLIENT_SECRET, MERCADOLIVRE_REDIRECT_URI
 * - MERCADOLIVRE_ACCESS_TOKEN / MERCADOLIVRE_REFRESH_TOKEN: a token pair valid at start-up
 * - MERCADOLIVRE_NOTIFICATION_URL: the application's notification callback URL
 * - MERCADOLIVRE_REQUESTS_PER_HOUR (default 18000)
 */
import { portFromEnv, runSandboxMain } from '../common/run-main.ts';
import { createMercadoLivreSandbox, DEFAULT_REQUESTS_PER_HOUR } from './mercadolivre-sandbox.ts';

const env = process.env;
const numberFrom = (name: string): number | undefined => {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) {
    console.error(`${name}=${value} is not a number`);
    process.exit(1);
  }
  return parsed;
};
const perHour = numberFrom('MERCADOLIVRE_REQUESTS_PER_HOUR') ?? DEFAULT_REQUESTS_PER_HOUR;
const userId = numberFrom('MERCADOLIVRE_USER_ID');
const applicationId = numberFrom('MERCADOLIVRE_APP_ID');
const sandbox = createMercadoLivreSandbox({
  ...(userId ? { userId } : {}),
  application: {
    ...(applicationId ? { applicationId } : {}),
    ...(env['MERCADOLIVRE_CLIENT_SECRET'] ? { clientSecret: env['MERCADOLIVRE_CLIENT_SECRET'] } : {}),
    ...(env['MERCADOLIVRE_REDIRECT_URI'] ? { redirectUri: env['MERCADOLIVRE_REDIRECT_URI'] } : {}),
  },
  ...(env['MERCADOLIVRE_ACCESS_TOKEN'] ? { accessToken: env['MERCADOLIVRE_ACCESS_TOKEN'] } : {}),
  ...(env['MERCADOLIVRE_REFRESH_TOKEN'] ? { refreshToken: env['MERCADOLIVRE_REFRESH_TOKEN'] } : {}),
  ...(env['MERCADOLIVRE_NOTIFICATION_URL'] ? { notificationCallbackUrl: env['MERCADOLIVRE_NOTIFICATION_URL'] } : {}),
  rateLimit: { burst: Math.max(1, perHour / 60), perHour },
});
await runSandboxMain('mercadolivre', sandbox, portFromEnv(['PORT', 'MERCADOLIVRE_SANDBOX_PORT'], 4103));
