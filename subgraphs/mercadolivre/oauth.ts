import type { PlatformFetch } from '../platform-common/platform-fetch.ts';
import type { Database } from '../../kit/database.ts';
import type { Logger } from '../../kit/logger.ts';

export interface MercadoLivreApplication {
  /** The application's id in Mercado Livre's application manager (also `client_id`). */
  applicationId: string;
  clientSecret: string;
}

export interface MercadoLivreTokenPair {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms; null when the pair came from configuration and its age is unknown. */
  expiresAt: number | null;
}

export interface MercadoLivreTokensOptions {
  db: Database;
  /** API base URL; the token endpoint is `POST {baseUrl}/oauth/token`. */
  baseUrl: string;
  application: MercadoLivreApplication;
  /** The pair the seller's authorization produced; used only until a refreshed pair is stored. */
  initial: { accessToken: string; refreshToken: string };
  fetch: PlatformFetch;
  log: Logger;
  now?: () => number;
}

/** The row in `platform_state` holding the current pair. */
export const TOKEN_STATE_NAME = 'mercadolivre:oauth';
/** Refresh this long before expiry, so a request never leaves with a token about to lapse. */
const REFRESH_MARGIN_MS = 10 * 60_000;

export class MercadoLivreAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MercadoLivreAuthError';
  }
}

/**
 * Mercado Livre's OAuth tokens: access tokens last 6 hours and each refresh token works once,
 * so the pair is persisted after every refresh (a restart with the old refresh token would be
 * locked out) and refreshing happens under a row lock, so two replicas never spend the same
 * refresh token.
 */
export class MercadoLivreTokens {
  readonly #options: MercadoLivreTokensOptions;
  readonly #log: Logger;
  readonly #now: () => number;
  #current: MercadoLivreTokenPair | undefined;
  #refreshing: Promise<string> | undefined;

  constructor(options: MercadoLivreTokensOptions) {
    if (!options.application.applicationId || !options.application.clientSecret) throw new Error('Mercado Livre needs the application id and client secret');
    this.#options = options;
    this.#log = options.log.child({ component: 'oauth' });
    this.#now = options.now ?? Date.now;
  }

  /** A token to send now; refreshes first when it is about to expire. */
  async accessToken(): Promise<string> {
    const pair = this.#current ?? (await this.#load());
    if (pair.expiresAt !== null && pair.expiresAt - REFRESH_MARGIN_MS <= this.#now()) return this.refresh(pair.accessToken);
    return pair.accessToken;
  }

  /**
   * Replaces `rejected` (a token the API refused or that is expiring) with a fresh one. When
   * another request or replica already replaced it, that newer token is returned instead.
   */
  refresh(rejected: string): Promise<string> {
    this.#refreshing ??= this.#refreshLocked(rejected).finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #load(): Promise<MercadoLivreTokenPair> {
    const { initial } = this.#options;
    await this.#options.db.query('INSERT INTO platform_state (name, value) VALUES ($1, $2::jsonb) ON CONFLICT (name) DO NOTHING', [
      TOKEN_STATE_NAME,
      JSON.stringify({ accessToken: initial.accessToken, refreshToken: initial.refreshToken, expiresAt: null } satisfies MercadoLivreTokenPair),
    ]);
    const [row] = await this.#options.db.query<{ value: MercadoLivreTokenPair }>('SELECT value FROM platform_state WHERE name = $1', [TOKEN_STATE_NAME]);
    this.#current = row!.value;
    return this.#current;
  }

  async #refreshLocked(rejected: string): Promise<string> {
    const pair = await this.#options.db.transaction(async (tx) => {
      const [row] = await tx.query<{ value: MercadoLivreTokenPair }>('SELECT value FROM platform_state WHERE name = $1 FOR UPDATE', [TOKEN_STATE_NAME]);
      if (!row) throw new MercadoLivreAuthError('No Mercado Livre token pair is stored: the seller must authorize the application');
      const stored = row.value;
      const fresh = stored.expiresAt === null || stored.expiresAt - REFRESH_MARGIN_MS > this.#now();
      if (stored.accessToken !== rejected && fresh) return stored;
      const next = await this.#exchange(stored.refreshToken);
      await tx.query('UPDATE platform_state SET value = $2::jsonb, updated_at = now() WHERE name = $1', [TOKEN_STATE_NAME, JSON.stringify(next)]);
      this.#log.info({ expiresAt: new Date(next.expiresAt!).toISOString() }, 'Mercado Livre access token refreshed');
      return next;
    });
    this.#current = pair;
    return pair.accessToken;
  }

  async #exchange(refreshToken: string): Promise<MercadoLivreTokenPair> {
    const { baseUrl, application } = this.#options;
    const response = await this.#options.fetch(`${baseUrl}/oauth/token`, {
      method: 'POST',
      operation: 'oauth',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: application.applicationId, client_secret: application.clientSecret, refresh_token: refreshToken }).toString(),
    });
    const body = (await response.json().catch(() => ({}))) as { access_token?: string; refresh_token?: string; expires_in?: number; error?: string; error_description?: string };
    if (!response.ok || !body.access_token || !body.refresh_token) {
      // invalid_grant means the refresh token was spent or revoked: only the seller can fix that.
      throw new MercadoLivreAuthError(`Mercado Livre refused to refresh the access token (HTTP ${response.status} ${body.error ?? ''}: ${body.error_description ?? 'no description'})`);
    }
    return { accessToken: body.access_token, refreshToken: body.refresh_token, expiresAt: this.#now() + (body.expires_in ?? 21_600) * 1000 };
  }
}
