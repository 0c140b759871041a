/**
 * Mercado Livre's OAuth 2.0: authorization codes, access tokens that expire after 6 hours, and
 * refresh tokens that can be used once (each refresh returns a new one).
 */
import { randomBytes } from 'node:crypto';

export const ACCESS_TOKEN_TTL_SECONDS = 6 * 60 * 60;

export interface MlApplication {
  applicationId: number;
  clientSecret: string;
  redirectUri: string;
}

export interface IssuedToken {
  accessToken: string;
  userId: number;
  applicationId: number;
  expiresAt: number;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  user_id: number;
  refresh_token: string;
}

export type TokenGrantError = { status: 400 | 401; body: { error: string; error_description: string; status: number; cause: unknown[] } };

export class MlTokenIssuer {
  readonly #accessTokens = new Map<string, IssuedToken>();
  readonly #refreshTokens = new Map<string, { userId: number; applicationId: number }>();
  readonly #codes = new Map<string, { userId: number; applicationId: number; redirectUri: string }>();
  readonly #now: () => number;
  readonly #ttlSeconds: number;

  constructor(now: () => number, ttlSeconds = ACCESS_TOKEN_TTL_SECONDS) {
    this.#now = now;
    this.#ttlSeconds = ttlSeconds;
  }

  /** Registers a token pair given out of band (the app's stored credentials at start-up). */
  preissue(accessToken: string, refreshToken: string, userId: number, applicationId: number): void {
    this.#accessTokens.set(accessToken, { accessToken, userId, applicationId, expiresAt: this.#now() + this.#ttlSeconds * 1000 });
    this.#refreshTokens.set(refreshToken, { userId, applicationId });
  }

  issueCode(userId: number, applicationId: number, redirectUri: string): string {
    const code = `TG-${randomBytes(12).toString('hex')}-${userId}`;
    this.#codes.set(code, { userId, applicationId, redirectUri });
    return code;
  }

  /** The token's owner, or why it is refused. */
  verify(accessToken: string): IssuedToken | 'invalid' | 'expired' {
    const token = this.#accessTokens.get(accessToken);
    if (!token) return 'invalid';
    if (token.expiresAt <= this.#now()) return 'expired';
    return token;
  }

  exchange(application: MlApplication, form: Record<string, string>): TokenResponse | TokenGrantError {
    if (form['client_id'] !== String(application.applicationId) || form['client_secret'] !== application.clientSecret) {
      return grantError(401, 'invalid_client', 'invalid client_id or client_secret.');
    }
    if (form['grant_type'] === 'authorization_code') {
      const code = this.#codes.get(form['code'] ?? '');
      if (!code) return grantError(400, 'invalid_grant', 'Error validating grant. Your authorization code or refresh token may be expired or it was already used');
      if (form['redirect_uri'] !== code.redirectUri) return grantError(400, 'invalid_grant', 'the redirect_uri does not match the one used in the authorization request');
      this.#codes.delete(form['code'] ?? '');
      return this.#issue(code.userId, code.applicationId);
    }
    if (form['grant_type'] === 'refresh_token') {
      const refresh = this.#refreshTokens.get(form['refresh_token'] ?? '');
      if (!refresh || refresh.applicationId !== application.applicationId) {
        return grantError(400, 'invalid_grant', 'Error validating grant. Your authorization code or refresh token may be expired or it was already used');
      }
      // Single use: the refresh token just used is spent.
      this.#refreshTokens.delete(form['refresh_token'] ?? '');
      return this.#issue(refresh.userId, refresh.applicationId);
    }
    return grantError(400, 'unsupported_grant_type', `grant_type ${form['grant_type'] ?? '(missing)'} is not supported`);
  }

  #issue(userId: number, applicationId: number): TokenResponse {
    const accessToken = `APP_USR-${applicationId}-${randomBytes(3).toString('hex')}-${randomBytes(16).toString('hex')}-${userId}`;
    const refreshToken = `TG-${randomBytes(12).toString('hex')}-${userId}`;
    this.#accessTokens.set(accessToken, { accessToken, userId, applicationId, expiresAt: this.#now() + this.#ttlSeconds * 1000 });
    this.#refreshTokens.set(refreshToken, { userId, applicationId });
    return { access_token: accessToken, token_type: 'Bearer', expires_in: this.#ttlSeconds, scope: 'offline_access read write', user_id: userId, refresh_token: refreshToken };
  }
}

function grantError(status: 400 | 401, error: string, description: string): TokenGrantError {
  return { status, body: { error, error_description: description, status, cause: [] } };
}
