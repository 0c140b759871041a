import { randomBytes, randomUUID } from 'node:crypto';
import type { Database, SqlClient } from '../../kit/database.ts';
import { ErrorCode, PonteError } from '../../kit/errors.ts';
import { hashApiKey } from '../../kit/api-key-resolver.ts';
import { ROLE_SCOPES, ROLES, type Principal, type Role } from '../../kit/principal.ts';
import type { ApiKeyRecord, CreatedApiKeyValue } from './models.ts';

/**
 * API keys: made here, stored as their SHA-256 hash only.
 *
 * Why SHA-256 and not bcrypt/argon2: those are for passwords, which people choose and which can
 * be guessed from a dictionary, so each guess is made expensive. A Ponte key is 256 random bits
 * (crypto.randomBytes): no dictionary, no guessing, so a slow hash adds no protection, while the
 * key is verified on every request (a deliberately slow hash there would cost ~50-100 ms of CPU
 * per call). This is what GitHub, Stripe and others do for their tokens; OWASP's password storage
 * advice does not apply to high-entropy secrets.
 */
const KEY_RANDOM_BYTES = 32;
/** Characters of the random part kept in the clear, so people can tell keys apart (2^36 of 2^256). */
const DISPLAY_RANDOM_CHARS = 6;
const MAX_NAME_LENGTH = 100;
const MAX_LIMITS = 100;
const CODE_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/** Rotation grace: up to 30 days. */
export const MAX_GRACE_SECONDS = 30 * 24 * 3600;
/**
 * Roles that must be held to some channels or locations: a partner acts for one business, not the
 * merchant. A service key may be held to its channel (a platform subgraph's) or to none: the orders,
 * customers and insights services work across every channel, and their role's scopes bound them.
 */
const LIMITED_ROLES: readonly Role[] = ['partner'];

/** A fresh key, `ponte_<role>_<43 base64url characters>`, and its non-secret prefix. */
export function generateApiKey(role: Role): { plaintextKey: string; displayPrefix: string; keyHash: string } {
  const random = randomBytes(KEY_RANDOM_BYTES).toString('base64url');
  const plaintextKey = `ponte_${role}_${random}`;
  return { plaintextKey, displayPrefix: `ponte_${role}_${random.slice(0, DISPLAY_RANDOM_CHARS)}`, keyHash: hashApiKey(plaintextKey) };
}

export interface NewApiKey {
  name: string;
  role: string;
  scopes?: readonly string[] | null | undefined;
  channels?: readonly string[] | null | undefined;
  locations?: readonly string[] | null | undefined;
  expiresAt?: string | null | undefined;
}

interface ValidKey {
  name: string;
  role: Role;
  scopes: string[];
  channels: string[] | null;
  locations: string[] | null;
  expiresAt: Date | null;
}

function badInput(message: string, field: string): PonteError {
  return new PonteError(ErrorCode.BAD_USER_INPUT, message, { field });
}

function validCodes(values: readonly string[] | null | undefined, field: string): string[] | null {
  if (values === null || values === undefined) return null;
  if (values.length === 0) throw badInput(`${field} must list at least one code, or be left out for all`, field);
  if (values.length > MAX_LIMITS) throw badInput(`${field} may list at most ${MAX_LIMITS} codes`, field);
  for (const value of values) {
    if (typeof value !== 'string' || !CODE_PATTERN.test(value)) throw badInput(`${field}: "${String(value).slice(0, 80)}" is not a code (lower-case letters, digits, . _ -)`, field);
  }
  return [...new Set(values)].sort();
}

/** Checks a new key's fields; throws BAD_USER_INPUT naming the field. */
export function validateNewApiKey(input: NewApiKey, now = new Date()): ValidKey {
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name.length < 1 || name.length > MAX_NAME_LENGTH) throw badInput(`name must be 1 to ${MAX_NAME_LENGTH} characters`, 'name');
  if (/[\u0000-\u001f\u007f]/.test(name)) throw badInput('name must not contain control characters', 'name');
  if (!(ROLES as readonly string[]).includes(input.role)) throw badInput(`role must be one of ${ROLES.join(', ')}; got "${String(input.role).slice(0, 40)}"`, 'role');
  const role = input.role as Role;
  const allowed = ROLE_SCOPES[role];
  let scopes: string[] = [...allowed];
  if (input.scopes !== null && input.scopes !== undefined) {
    const outside = input.scopes.filter((scope) => !allowed.includes(scope as never));
    if (outside.length > 0) throw badInput(`a ${role} key cannot hold ${outside.join(', ')}; its role allows ${allowed.join(', ')}`, 'scopes');
    if (input.scopes.length === 0) throw badInput('scopes must list at least one scope, or be left out for all of the role\'s', 'scopes');
    scopes = allowed.filter((scope) => input.scopes!.includes(scope));
  }
  const channels = validCodes(input.channels, 'channels');
  const locations = validCodes(input.locations, 'locations');
  if (LIMITED_ROLES.includes(role) && !channels && !locations) throw badInput(`a ${role} key must be limited to some channels or locations`, 'channels');
  let expiresAt: Date | null = null;
  if (input.expiresAt !== null && input.expiresAt !== undefined) {
    expiresAt = new Date(input.expiresAt);
    if (!/^\d{4}-\d{2}-\d{2}/.test(input.expiresAt) || Number.isNaN(expiresAt.getTime())) throw badInput('expiresAt must be an ISO 8601 time', 'expiresAt');
    if (expiresAt <= now) throw badInput('expiresAt must be in the future', 'expiresAt');
  }
  return { name, role, scopes, channels, locations, expiresAt };
}

interface ApiKeyRow {
  id: string;
  name: string;
  role: Role;
  scopes: string[];
  channels: string[] | null;
  locations: string[] | null;
  display_prefix: string;
  created_at: Date;
  created_by: string;
  revoked_at: Date | null;
  expires_at: Date | null;
  last_used_at: Date | null;
  rotated_from: string | null;
  principal_id: string;
}

const COLUMNS = 'id, name, role, scopes, channels, locations, display_prefix, created_at, created_by, revoked_at, expires_at, last_used_at, rotated_from, principal_id';
const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    scopes: row.scopes,
    channels: row.channels,
    locations: row.locations,
    displayPrefix: row.display_prefix,
    createdAt: iso(row.created_at)!,
    createdBy: row.created_by,
    revokedAt: iso(row.revoked_at),
    expiresAt: iso(row.expires_at),
    lastUsedAt: iso(row.last_used_at),
    rotatedFrom: row.rotated_from,
    principalId: row.principal_id,
  };
}

/** Whether a key authenticates now. */
export function isActive(key: Pick<ApiKeyRecord, 'revokedAt' | 'expiresAt'>, now = Date.now()): boolean {
  return key.revokedAt === null && (key.expiresAt === null || Date.parse(key.expiresAt) > now);
}

/** The principal a key stands for (kit/principal.ts). */
export function principalOf(key: ApiKeyRecord): Principal {
  return {
    // Stable across rotations, `service:<name>` for a platform's key (migration 002).
    id: key.principalId,
    name: key.name,
    role: key.role,
    scopes: key.scopes,
    ...(key.channels ? { channels: key.channels } : {}),
    ...(key.locations ? { locations: key.locations } : {}),
  };
}

/** A key the development bootstrap registers by hash (its plaintext stays in data/dev-credentials.json). */
export interface BootstrapKey {
  name: string;
  role: string;
  channels?: string[] | null;
  locations?: string[] | null;
  keyHash: string;
  /** The key's non-secret prefix, shown in `apiKeys`. */
  displayPrefix?: string;
}

/** API keys in the access schema. Every write is one statement or one transaction. */
export class ApiKeyStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async list(options: { includeRevoked?: boolean } = {}): Promise<ApiKeyRecord[]> {
    const rows = await this.#db.query<ApiKeyRow>(
      `SELECT ${COLUMNS} FROM api_keys WHERE $1::boolean OR revoked_at IS NULL ORDER BY created_at DESC, id DESC`,
      [options.includeRevoked === true],
    );
    return rows.map(toRecord);
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const [row] = await this.#db.query<ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE id = $1`, [id]);
    return row && toRecord(row);
  }

  async create(input: NewApiKey, createdBy: string): Promise<CreatedApiKeyValue> {
    const valid = validateNewApiKey(input);
    return this.#insert(this.#db, valid, createdBy, null);
  }

  async #insert(db: SqlClient, valid: ValidKey, createdBy: string, rotatedFrom: string | null): Promise<CreatedApiKeyValue> {
    const { plaintextKey, displayPrefix, keyHash } = generateApiKey(valid.role);
    const [row] = await db.query<ApiKeyRow>(
      `INSERT INTO api_keys (id, name, role, scopes, channels, locations, key_hash, display_prefix, created_by, expires_at, rotated_from)
       VALUES ($1, $2, $3, $4::text[], $5::text[], $6::text[], $7, $8, $9, $10, $11)
       RETURNING ${COLUMNS}`,
      [randomUUID(), valid.name, valid.role, valid.scopes, valid.channels, valid.locations, keyHash, displayPrefix, createdBy, valid.expiresAt, rotatedFrom],
    );
    return { apiKey: toRecord(row!), plaintextKey };
  }

  /** Stops a key at once; a key already revoked is returned as it is. */
  async revoke(id: string): Promise<ApiKeyRecord> {
    const [row] = await this.#db.query<ApiKeyRow>(
      `WITH revoked AS (UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING ${COLUMNS})
       SELECT ${COLUMNS} FROM revoked UNION ALL SELECT ${COLUMNS} FROM api_keys WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM revoked)`,
      [id],
    );
    if (!row) throw new PonteError(ErrorCode.UNKNOWN_API_KEY, `No API key with id "${id.slice(0, 80)}"`, { id });
    return toRecord(row);
  }

  /**
   * A successor with the same name, role, scopes, limits and expiry; the old key's expiry is
   * brought forward to now + grace. One transaction: either both happen or neither.
   */
  async rotate(id: string, graceSeconds: number, createdBy: string): Promise<CreatedApiKeyValue> {
    if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > MAX_GRACE_SECONDS) {
      throw badInput(`graceSeconds must be a whole number from 0 to ${MAX_GRACE_SECONDS}, got ${graceSeconds}`, 'graceSeconds');
    }
    return this.#db.transaction(async (tx) => {
      // The row lock makes two rotations of one key take turns; the second then finds a successor.
      const [old] = await tx.query<ApiKeyRow & { unexpired: boolean; rotated: boolean }>(
        `SELECT ${COLUMNS}, (expires_at IS NULL OR expires_at > now()) AS unexpired,
                EXISTS (SELECT 1 FROM api_keys successor WHERE successor.rotated_from = api_keys.id) AS rotated
           FROM api_keys WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!old) throw new PonteError(ErrorCode.UNKNOWN_API_KEY, `No API key with id "${id.slice(0, 80)}"`, { id });
      const why = old.revoked_at ? 'revoked' : !old.unexpired ? 'expired' : old.rotated ? 'already rotated' : undefined;
      if (why) throw new PonteError(ErrorCode.API_KEY_NOT_ACTIVE, `API key "${id}" is ${why} and cannot be rotated`, { id });
      await tx.query(`UPDATE api_keys SET expires_at = LEAST(COALESCE(expires_at, 'infinity'), now() + make_interval(secs => $2)) WHERE id = $1`, [id, graceSeconds]);
      // The successor keeps the key's own expiry, not the grace period's.
      return this.#insert(tx, { name: old.name, role: old.role, scopes: old.scopes, channels: old.channels, locations: old.locations, expiresAt: old.expires_at }, createdBy, old.id);
    });
  }

  /**
   * The principal for a key hash when the key is active, and marks it used (at most once a
   * minute, so a busy key does not write on every lookup). One statement.
   */
  async resolve(keyHash: string): Promise<{ principal: Principal; expiresAt: string | null } | undefined> {
    const [row] = await this.#db.query<ApiKeyRow>(
      `WITH found AS (
         SELECT ${COLUMNS} FROM api_keys
          WHERE key_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
       ), touched AS (
         UPDATE api_keys SET last_used_at = now()
          WHERE id IN (SELECT id FROM found) AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
       )
       SELECT * FROM found`,
      [keyHash],
    );
    if (!row) return undefined;
    const key = toRecord(row);
    return { principal: principalOf(key), expiresAt: key.expiresAt };
  }

  /**
   * Registers development keys by hash (scripts/start.ts). Re-running updates their role, scopes
   * and limits but never revives a key an admin revoked. Never called in production mode.
   */
  async upsertBootstrapKeys(keys: readonly BootstrapKey[]): Promise<number> {
    const valid = keys.map((key) => {
      if (!/^[0-9a-f]{64}$/.test(key.keyHash)) throw badInput(`bootstrap key "${key.name}": keyHash must be SHA-256 hex`, 'keyHash');
      return { ...validateNewApiKey(key), keyHash: key.keyHash, displayPrefix: key.displayPrefix?.slice(0, 40) ?? `ponte_${key.role}_…` };
    });
    await this.#db.transaction(async (tx) => {
      for (const key of valid) {
        await tx.query(
          `INSERT INTO api_keys (id, name, role, scopes, channels, locations, key_hash, display_prefix, created_by)
           VALUES ($1, $2, $3, $4::text[], $5::text[], $6::text[], $7, $8, 'bootstrap')
           ON CONFLICT (key_hash) DO UPDATE SET name = EXCLUDED.name, display_prefix = EXCLUDED.display_prefix, role = EXCLUDED.role, scopes = EXCLUDED.scopes,
             channels = EXCLUDED.channels, locations = EXCLUDED.locations`,
          [randomUUID(), key.name, key.role, key.scopes, key.channels, key.locations, key.keyHash, key.displayPrefix],
        );
      }
    });
    return valid.length;
  }
}
