/**
 * Secrets from the environment. Development (`npm start`) runs out of the box on the sandboxes'
 * published values; production mode (`kit/mode.ts`) refuses to start when a secret is missing,
 * is one of those published values, or — for secrets Ponte itself makes up, such as the gateway
 * secret — is too short to resist guessing. The error names the variable, so the fix is obvious.
 */
import { isProduction } from './mode.ts';

/** The least length of a secret Ponte generates itself (256 bits of hex, or 192 of base64). */
export const MIN_OWN_SECRET_LENGTH = 32;

/** Thrown at start-up; `runService` logs it and exits non-zero. */
export class SecretConfigurationError extends Error {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(message);
    this.name = 'SecretConfigurationError';
    this.variable = variable;
  }
}

export interface RequireSecretOptions {
  /**
   * Values published anywhere (the sandboxes' credentials, docker-compose examples): never
   * accepted in production.
   */
  publicDefaults: readonly string[];
  /** What development uses when the variable is unset. @default none (the secret stays unset) */
  development?: string;
  /**
   * A secret Ponte makes up (not one a platform issues): production asks for at least
   * MIN_OWN_SECRET_LENGTH characters. @default false
   */
  ours?: boolean;
}

/**
 * The secret in `env[name]`. In development, unset falls back to `options.development`; in
 * production it must be set, must not be a published value, and must be long enough if ours.
 */
export function requireSecret(env: NodeJS.ProcessEnv, name: string, options: RequireSecretOptions & { development: string }): string;
export function requireSecret(env: NodeJS.ProcessEnv, name: string, options: RequireSecretOptions): string | undefined;
export function requireSecret(env: NodeJS.ProcessEnv, name: string, options: RequireSecretOptions): string | undefined {
  const value = env[name]?.trim() || undefined;
  if (!isProduction(env)) return value ?? options.development;
  if (!value) throw new SecretConfigurationError(name, `${name} must be set in production mode (NODE_ENV=production)`);
  if (options.publicDefaults.includes(value) || (options.development !== undefined && value === options.development)) {
    throw new SecretConfigurationError(name, `${name} is a published default value (the sandbox's or an example's); set the real secret in production mode`);
  }
  if (options.ours && value.length < MIN_OWN_SECRET_LENGTH) {
    throw new SecretConfigurationError(name, `${name} must be at least ${MIN_OWN_SECRET_LENGTH} characters in production mode (e.g. openssl rand -hex 32)`);
  }
  return value;
}

/**
 * A secret of ours that may be left unset (something else is derived instead); when set in
 * production it must be long enough and not a published value.
 */
export function optionalOwnSecret(env: NodeJS.ProcessEnv, name: string, publicDefaults: readonly string[] = []): string | undefined {
  if (!env[name]?.trim()) return undefined;
  return requireSecret(env, name, { publicDefaults, ours: true });
}

/** Values of the gateway secret shown in examples and old docker-compose files. */
export const PUBLISHED_GATEWAY_SECRETS = ['change-me-in-production'] as const;

/**
 * PONTE_GATEWAY_SECRET, which every service behind the gateway checks and the gateway sends.
 * Development may leave it unset (`npm start` makes one per run); production may not.
 */
export function gatewaySecretFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return requireSecret(env, 'PONTE_GATEWAY_SECRET', { publicDefaults: PUBLISHED_GATEWAY_SECRETS, ours: true });
}

/** Database passwords that appear in published files (the old docker-compose.yml). */
export const PUBLISHED_DATABASE_PASSWORDS = ['ponte', 'postgres', 'password'] as const;

/**
 * In production, a DATABASE_URL whose password is a published one (or absent while connecting
 * over the network) is refused. Without DATABASE_URL the embedded database is used and there is
 * no password to check.
 */
export function checkDatabaseUrl(env: NodeJS.ProcessEnv = process.env): void {
  const raw = env['DATABASE_URL']?.trim();
  if (!raw || !isProduction(env)) return;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SecretConfigurationError('DATABASE_URL', 'DATABASE_URL is not a URL (postgres://user:password@host:5432/database)');
  }
  const password = decodeURIComponent(url.password);
  if ((PUBLISHED_DATABASE_PASSWORDS as readonly string[]).includes(password)) {
    throw new SecretConfigurationError('DATABASE_URL', 'DATABASE_URL uses a published password; set POSTGRES_PASSWORD to a secret of your own in production mode');
  }
}
