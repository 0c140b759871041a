/**
 * Personal data at rest: authenticated encryption (AES-256-GCM, node:crypto) under keys from the
 * environment, so a copy of the database alone reveals nothing and any change to a stored value
 * is refused rather than read.
 *
 * Keys: `PONTE_DATA_KEYS` = comma-separated `id:base64key` (32-byte keys, e.g. from
 * `openssl rand -base64 32`). The first key seals; every key listed opens. Each sealed value
 * names the key that sealed it (`<id>:<base64url(iv | ciphertext | tag)>`), so a new key can be
 * put first, the stored values re-sealed under it (`reseal`), and the old one then retired.
 *
 * node:crypto rather than a library: GCM with a random 96-bit IV per value is the whole scheme,
 * and Node ships it; a library would add a dependency around these same calls.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { isProduction } from './mode.ts';

export const DATA_KEYS_ENV = 'PONTE_DATA_KEYS';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * What `npm start` and tests seal with when PONTE_DATA_KEYS is unset. Published here, so
 * production mode refuses it (see `sealerFromEnv`).
 */
export const DEVELOPMENT_DATA_KEYS = 'dev:cG9udGUtZGV2ZWxvcG1lbnQta2V5LW5vdC1zZWNyZXQ=';

export interface DataKey {
  id: string;
  key: Buffer;
}

/** A sealed value that cannot be opened: unknown key, wrong context, or altered. Never says which byte. */
export class SealedDataError extends Error {
  readonly code = 'SEALED_DATA_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'SealedDataError';
  }
}

/** Parses `id:base64key,id2:base64key2`; throws naming the variable on any malformed entry. */
export function parseDataKeys(value: string, variable = DATA_KEYS_ENV): DataKey[] {
  const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean);
  if (entries.length === 0) throw new Error(`${variable} lists no key: expected id:base64key[,id:base64key…]`);
  const keys = entries.map((entry, index) => {
    const separator = entry.indexOf(':');
    const id = separator > 0 ? entry.slice(0, separator) : '';
    if (!KEY_ID.test(id)) throw new Error(`${variable} entry ${index + 1} needs an id of letters, digits, _ or - before ':' (id:base64key)`);
    const key = Buffer.from(entry.slice(separator + 1), 'base64');
    if (key.length !== KEY_BYTES) throw new Error(`${variable} key "${id}" must be ${KEY_BYTES} bytes in base64 (openssl rand -base64 32), got ${key.length}`);
    return { id, key };
  });
  const ids = new Set(keys.map((key) => key.id));
  if (ids.size !== keys.length) throw new Error(`${variable} lists a key id twice`);
  return keys;
}

export class Sealer {
  readonly #keys: ReadonlyMap<string, Buffer>;
  /** The key that seals. */
  readonly currentKeyId: string;

  constructor(keys: readonly DataKey[]) {
    const [first] = keys;
    if (!first) throw new Error('A sealer needs at least one key');
    this.#keys = new Map(keys.map((key) => [key.id, key.key]));
    this.currentKeyId = first.id;
  }

  /**
   * Encrypts under the current key. `context` (a table and column, say) is authenticated but not
   * stored: a value copied to another place does not open there.
   */
  seal(plaintext: string, context = ''): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.#keys.get(this.currentKeyId)!, iv);
    cipher.setAAD(Buffer.from(`${this.currentKeyId}|${context}`));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${this.currentKeyId}:${Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64url')}`;
  }

  open(sealed: string, context = ''): string {
    const separator = sealed.indexOf(':');
    const keyId = separator > 0 ? sealed.slice(0, separator) : '';
    const key = this.#keys.get(keyId);
    if (!key) throw new SealedDataError(`Sealed with key "${keyId}", which ${DATA_KEYS_ENV} does not list`);
    const bytes = Buffer.from(sealed.slice(separator + 1), 'base64url');
    if (bytes.length < IV_BYTES + TAG_BYTES) throw new SealedDataError('Sealed value is truncated');
    const decipher = createDecipheriv(ALGORITHM, key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(`${keyId}|${context}`));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SealedDataError('Sealed value failed authentication: altered, or sealed for another context');
    }
  }

  /** The id of the key a value was sealed with. */
  keyIdOf(sealed: string): string {
    return sealed.slice(0, Math.max(0, sealed.indexOf(':')));
  }

  /** The value sealed under the current key, or undefined when it already is (key rotation). */
  reseal(sealed: string, context = ''): string | undefined {
    if (this.keyIdOf(sealed) === this.currentKeyId) return undefined;
    return this.seal(this.open(sealed, context), context);
  }
}

/**
 * The sealer `PONTE_DATA_KEYS` describes. Unset: the published development key, except in
 * production mode, which refuses to start without keys of its own.
 */
export function sealerFromEnv(env: NodeJS.ProcessEnv = process.env): Sealer {
  const configured = env[DATA_KEYS_ENV]?.trim();
  if (isProduction(env)) {
    if (!configured) throw new Error(`${DATA_KEYS_ENV} must be set in production (id:base64key, e.g. "k1:$(openssl rand -base64 32)")`);
    const published = parseDataKeys(DEVELOPMENT_DATA_KEYS)[0]!;
    if (parseDataKeys(configured).some((key) => key.key.equals(published.key))) {
      throw new Error(`${DATA_KEYS_ENV} lists the published development key; generate one of your own (openssl rand -base64 32)`);
    }
  }
  return new Sealer(parseDataKeys(configured || DEVELOPMENT_DATA_KEYS));
}
