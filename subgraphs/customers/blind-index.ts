/**
 * Keyed blind indexes: how a sealed e-mail, CPF or phone is found without being readable. Each
 * identifier is stored as HMAC-SHA256(key, kind ":" normalised value); equal values give equal
 * digests, and without the key a digest cannot be checked against guesses (a plain hash of a CPF
 * could: there are only 10^9 of them). The key is not a data key: a copy of the database and of
 * PONTE_DATA_KEYS still cannot be searched without it, and rotating one does not touch the other.
 */
import { createHmac } from 'node:crypto';
import { requireSecret } from '../../kit/secrets.ts';
import type { MatchKind } from './models.ts';

export const BLIND_INDEX_KEY_ENV = 'PONTE_BLIND_INDEX_KEY';

/**
 * What `npm start` and tests index with when PONTE_BLIND_INDEX_KEY is unset. Published here, so
 * production mode refuses it.
 */
export const DEVELOPMENT_BLIND_INDEX_KEY = 'ponte-development-blind-index-key-not-secret';

export class BlindIndex {
  readonly #key: Buffer;

  constructor(key: string) {
    if (!key) throw new Error('A blind index needs a key');
    this.#key = Buffer.from(key, 'utf8');
  }

  digest(kind: MatchKind, value: string): string {
    return createHmac('sha256', this.#key).update(`${kind}:${value}`, 'utf8').digest('base64url');
  }

  /**
   * Names the key without revealing it: stored beside the digests, so a service started with
   * another key knows every digest must be made again (`reindex`).
   */
  fingerprint(): string {
    return createHmac('sha256', this.#key).update('ponte-blind-index-fingerprint', 'utf8').digest('base64url').slice(0, 16);
  }
}

/**
 * PONTE_BLIND_INDEX_KEY: any secret of at least 32 characters (`openssl rand -base64 32`).
 * Development falls back to the published key; production refuses it, or none.
 */
export function blindIndexFromEnv(env: NodeJS.ProcessEnv = process.env): BlindIndex {
  return new BlindIndex(requireSecret(env, BLIND_INDEX_KEY_ENV, { publicDefaults: [DEVELOPMENT_BLIND_INDEX_KEY], development: DEVELOPMENT_BLIND_INDEX_KEY, ours: true }));
}
