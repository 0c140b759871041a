/**
 * Which browser origins may call the gateway (CORS). Only origins on the allowlist
 * (`PONTE_CORS_ORIGINS`, comma-separated, exact `scheme://host[:port]`), and in development also
 * any localhost origin; production with no allowlist answers no cross-origin request. Never with
 * credentials: callers authenticate with a key or token in a header, not a cookie.
 */
export interface CorsPolicy {
  origins: string[];
  allowLocalhost: boolean;
}

const LOCALHOST_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

export function parseCorsOrigins(value: string | undefined): string[] {
  const origins = (value ?? '').split(',').map((origin) => origin.trim()).filter(Boolean);
  for (const origin of origins) {
    if (origin === '*') throw new Error('PONTE_CORS_ORIGINS: "*" is not allowed; list each origin');
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      throw new Error(`PONTE_CORS_ORIGINS: "${origin}" is not an origin (scheme://host[:port])`);
    }
    if (parsed.origin !== origin) throw new Error(`PONTE_CORS_ORIGINS: "${origin}" is not an origin; did you mean "${parsed.origin}"?`);
  }
  return origins;
}

export function isAllowedOrigin(policy: CorsPolicy, origin: string): boolean {
  return policy.origins.includes(origin) || (policy.allowLocalhost && LOCALHOST_ORIGIN.test(origin));
}

/**
 * The runtime's `cors` option (Yoga's CORS, @whatwg-node/server useCors): an allowed origin gets
 * itself echoed back, without `allow-credentials`; any other gets no CORS headers at all.
 */
export function corsOptions(policy: CorsPolicy) {
  return (request: Request) => {
    const origin = request.headers.get('origin');
    if (!origin || !isAllowedOrigin(policy, origin)) return false as const;
    return { origin: [origin], credentials: false, methods: ['GET', 'POST'], maxAge: 600 };
  };
}
