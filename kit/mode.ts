/**
 * Production mode: `NODE_ENV=production` or `PONTE_MODE=production`. In it every service refuses
 * to start with a missing secret or one of the sandbox's published defaults, binds only the host
 * it is told to, and the gateway turns introspection, suggestions and GraphiQL off.
 */
export function isProduction(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV === 'production' || env.PONTE_MODE === 'production';
}

/** Where a service listens unless HOST says otherwise: loopback, so nothing is exposed by accident. */
export const DEFAULT_HOST = '127.0.0.1';

export function listenHost(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOST?.trim() || DEFAULT_HOST;
}
