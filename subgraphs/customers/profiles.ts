import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Database, SqlClient } from '../../kit/database.ts';
import { ErrorCode, PonteError } from '../../kit/errors.ts';
import type { Logger } from '../../kit/logger.ts';
import { redact } from '../../kit/redact.ts';
import type { Sealer } from '../../kit/sealed.ts';
import type { BlindIndex } from './blind-index.ts';
import {
  CUSTOMER_COLUMNS, fieldContext, identityContext, iso, MERGE_COLUMNS, mergeContext, PERSONAL_FIELDS, REQUEST_COLUMNS, sealedOf, sourceOf,
  type CustomerChangeRow, type CustomerRow, type DataExport, type DataSubjectRequestKind, type DataSubjectRequestRow, type FieldSource,
  type IdentifyResult, type IdentityRow, type MatchKind, type MergeRow, type PersonalField,
} from './models.ts';
import { emailMatchKey, matchValues, normaliseContact, normaliseCpf, normaliseEmail, normalisePhone, type ContactInput, type NormalisedContact } from './normalise.ts';

export interface IdentifyShopperInput {
  channel: string;
  platformCustomerId?: string | null | undefined;
  contact: ContactInput;
  observedAt: string;
  orderReference: string;
}

/** Who asks for a data-subject request or a change: their principal id, recorded. */
export interface Operator {
  id: string;
}

/** The NOTIFY channel a change is announced on (the rows are in `customer_changes`). */
export const CUSTOMER_CHANGES_CHANNEL = 'customer_changes';

/** A concurrent identification inserted an identifier between our read and our write: start over. */
class IdentityRace extends Error {}
const MAX_IDENTIFY_ATTEMPTS = 5;

/** How certain each identifier is that two profiles are one person: the most certain picks the profile an observation belongs to. */
const CERTAINTY: Record<MatchKind, number> = { PLATFORM_CUSTOMER_ID: 0, CPF: 1, EMAIL: 2, PHONE: 3 };
const MATCHED_FIELD: Partial<Record<PersonalField, MatchKind>> = { email: 'EMAIL', cpf: 'CPF', phone: 'PHONE' };
const MAX_REASON_LENGTH = 500;

const unknownCustomer = (id: string) => new PonteError(ErrorCode.UNKNOWN_CUSTOMER, `No customer ${id}`, { customerId: id });

/** Whether `observedAt` is newer than what the field holds: the latest observation wins, ties keep the current value. */
function isNewer(observedAt: string, current: FieldSource | null): boolean {
  return current === null || Date.parse(observedAt) > Date.parse(current.observedAt);
}

/**
 * An observation's time, at most now: a channel's clock ahead of ours (or a wrong date) must not
 * make a value outrank every later one, an operator's correction included.
 */
function observationTime(value: string, field: string): string {
  const time = Date.parse(value);
  if (!Number.isFinite(time)) throw new PonteError(ErrorCode.BAD_USER_INPUT, `${field} must be an ISO 8601 time`, { field });
  return new Date(Math.min(time, Date.now())).toISOString();
}

/**
 * Customer profiles: identification from channels' orders (match, merge), the operator's
 * data-subject requests (export, correction, erasure), and undoing merges. Every change runs in
 * one transaction that locks the profiles and identifiers it touches.
 */
export class CustomerProfiles {
  readonly #db: Database;
  readonly #sealer: Sealer;
  readonly #index: BlindIndex;
  readonly #log: Logger;

  constructor(deps: { db: Database; sealer: Sealer; blindIndex: BlindIndex; log: Logger }) {
    this.#db = deps.db;
    this.#sealer = deps.sealer;
    this.#index = deps.blindIndex;
    this.#log = deps.log;
  }

  get sealer(): Sealer {
    return this.#sealer;
  }

  // ————— identification —————

  /**
   * The profile of the shopper on a channel's order. Matches on any identifier (platform
   * customer id, CPF, e-mail, phone, through the blind index); several profiles matched by one
   * observation are merged; none makes a new one. Safe to repeat (same order, same answer) and
   * to run from several replicas at once (the identifiers' unique key, and a retry on conflict).
   * `newCustomerId` names a new profile (the demo seed only).
   */
  async identify(input: IdentifyShopperInput, options: { newCustomerId?: string } = {}): Promise<IdentifyResult> {
    const prepared = this.#prepare(input, options);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#db.transaction((tx) => this.#identifyOnce(tx, { ...prepared, values: [...prepared.values] }).then((result) => ({ ...result, rejected: prepared.rejected })));
      } catch (error) {
        if (error instanceof IdentityRace && attempt < MAX_IDENTIFY_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  /**
   * Several identifications, in order, in one transaction: the same matching and merging as
   * `identify`, without a commit each (loading the demo shoppers on PGlite).
   */
  async identifyAll(inputs: ReadonlyArray<{ input: IdentifyShopperInput; newCustomerId?: string }>): Promise<IdentifyResult[]> {
    const prepared = inputs.map(({ input, newCustomerId }) => this.#prepare(input, newCustomerId === undefined ? {} : { newCustomerId }));
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#db.transaction(async (tx) => {
          const results: IdentifyResult[] = [];
          for (const each of prepared) results.push({ ...(await this.#identifyOnce(tx, { ...each, values: [...each.values] })), rejected: each.rejected });
          return results;
        });
      } catch (error) {
        if (error instanceof IdentityRace && attempt < MAX_IDENTIFY_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  #prepare(input: IdentifyShopperInput, options: { newCustomerId?: string }) {
    const channel = input.channel.trim();
    const orderReference = input.orderReference.trim();
    if (!channel) throw new PonteError(ErrorCode.BAD_USER_INPUT, 'channel must not be empty', { field: 'channel' });
    if (!orderReference) throw new PonteError(ErrorCode.BAD_USER_INPUT, 'orderReference must not be empty', { field: 'orderReference' });
    const observedAt = observationTime(input.observedAt, 'observedAt');
    const { contact, rejected } = normaliseContact(input.contact);
    const platformId = input.platformCustomerId?.trim() || undefined;
    const values = matchValues(contact, platformId ? { channel, id: platformId } : undefined)
      .map((value) => ({ ...value, digest: this.#index.digest(value.kind, value.value) }))
      // One lock order for every transaction: two identifications never wait on each other in a circle.
      .sort((a, b) => (a.kind + a.digest < b.kind + b.digest ? -1 : 1));
    return { channel, orderReference, observedAt, contact, platformId, values, newCustomerId: options.newCustomerId, rejected };
  }

  async #identifyOnce(
    tx: SqlClient,
    input: {
      channel: string; orderReference: string; observedAt: string; contact: NormalisedContact; platformId: string | undefined;
      values: Array<{ kind: MatchKind; value: string; digest: string }>; newCustomerId: string | undefined;
    },
  ): Promise<Omit<IdentifyResult, 'rejected'>> {
    const [identified] = await tx.query<{ customerId: string; status: string }>(
      `SELECT i.customer_id AS "customerId", c.status FROM customer_identifications i JOIN customers c ON c.id = i.customer_id
        WHERE i.channel = $1 AND i.order_reference = $2`,
      [input.channel, input.orderReference],
    );
    // An order identified before its customer was erased: nothing of the person comes back.
    if (identified?.status === 'ERASED') return { customerId: null, outcome: 'ERASED', matchedOn: [], mergedCustomerIds: [] };
    if (input.values.length === 0 && !identified) return { customerId: null, outcome: 'UNIDENTIFIABLE', matchedOn: [], mergedCustomerIds: [] };

    const found = input.values.length === 0 ? [] : await tx.query<{ kind: MatchKind; digest: string; customerId: string }>(
      `SELECT b.kind, b.digest, b.customer_id AS "customerId"
         FROM customer_blind_indexes b JOIN unnest($1::text[], $2::text[]) AS wanted(kind, digest) ON b.kind = wanted.kind AND b.digest = wanted.digest
        ORDER BY b.kind, b.digest FOR UPDATE OF b`,
      [input.values.map((value) => value.kind), input.values.map((value) => value.digest)],
    );
    const identifiedRoot = identified ? await this.#rootOf(tx, identified.customerId) : undefined;
    const candidateIds = [...new Set([...found.map((row) => row.customerId), ...(identifiedRoot ? [identifiedRoot] : [])])].sort();
    const candidates = candidateIds.length === 0 ? [] : await tx.query<CustomerRow>(
      `SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
      [candidateIds],
    );
    if (identifiedRoot && !candidates.some((row) => row.id === identifiedRoot && row.status === 'ACTIVE')) {
      return { customerId: null, outcome: 'ERASED', matchedOn: [], mergedCustomerIds: [] };
    }
    // Merged or erased by another transaction between reading the identifiers and locking the profiles: look again.
    if (candidates.some((row) => row.status !== 'ACTIVE')) throw new IdentityRace();
    const matchedOn = [...new Set(found.map((row) => row.kind))];

    let survivor: CustomerRow;
    let outcome: IdentifyResult['outcome'];
    const mergedCustomerIds: string[] = [];
    const mergeIds: number[] = [];
    let changed = false;
    if (candidates.length === 0) {
      survivor = await this.#createProfile(tx, input.newCustomerId ?? `cus_${randomUUID()}`);
      outcome = 'CREATED';
      changed = true;
    } else {
      // The observation belongs to the profile its most certain identifier found (the order's own, when replayed).
      const certaintyOf = (id: string) => Math.min(...found.filter((row) => row.customerId === id).map((row) => CERTAINTY[row.kind]), id === identifiedRoot ? -1 : Infinity);
      const ranked = [...candidates].sort((a, b) => certaintyOf(a.id) - certaintyOf(b.id) || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
      survivor = ranked[0]!;
      const blocked = await this.#blockedWith(tx, survivor.id, ranked.slice(1).map((row) => row.id));
      const kindsOf = (id: string) => found.filter((row) => row.customerId === id).map((row) => row.kind);
      for (const absorbed of ranked.slice(1)) {
        if (blocked.has(absorbed.id)) continue;
        const merged = await this.#merge(tx, survivor, absorbed, { channel: input.channel, matchedOn: kindsOf(absorbed.id), survivorMatchedOn: kindsOf(survivor.id) });
        survivor = merged.survivor;
        mergeIds.push(merged.mergeId);
        mergedCustomerIds.push(absorbed.id);
      }
      outcome = mergedCustomerIds.length > 0 ? 'MERGED' : identified ? 'REPLAYED' : 'MATCHED';
      changed = mergedCustomerIds.length > 0;
      // Identifiers that found a profile kept apart from this one stay with it.
      for (const row of found) if (blocked.has(row.customerId)) input.values = input.values.filter((value) => value.digest !== row.digest || value.kind !== row.kind);
    }

    changed = (await this.#observe(tx, survivor, input.contact, { kind: 'CHANNEL', channel: input.channel, observedAt: input.observedAt })) || changed;
    if (mergeIds.length > 0) {
      // The observation that merged is part of the merge: undoing it undoes what it set too.
      await tx.query(
        `UPDATE customer_merges m SET survivor_after_sources = jsonb_build_object('name', c.name_source, 'email', c.email_source, 'phone', c.phone_source, 'cpf', c.cpf_source, 'address', c.address_source)
           FROM customers c WHERE c.id = m.survivor_id AND m.id = ANY($1::bigint[])`,
        [mergeIds],
      );
    }
    const known = new Set(found.filter((row) => row.customerId === survivor.id || mergedCustomerIds.includes(row.customerId)).map((row) => `${row.kind}:${row.digest}`));
    const missing = input.values.filter((value) => !known.has(`${value.kind}:${value.digest}`));
    if (missing.length > 0) {
      const inserted = await tx.query(
        `INSERT INTO customer_blind_indexes (kind, digest, customer_id) SELECT kind, digest, $3 FROM unnest($1::text[], $2::text[]) AS v(kind, digest)
         ON CONFLICT (kind, digest) DO NOTHING RETURNING kind`,
        [missing.map((value) => value.kind), missing.map((value) => value.digest), survivor.id],
      );
      // Another replica indexed one of them since we looked: look again, from the start.
      if (inserted.length !== missing.length) throw new IdentityRace();
      changed = true;
    }
    changed = (await this.#recordIdentity(tx, survivor.id, input)) || changed;
    await tx.query(
      'INSERT INTO customer_identifications (channel, order_reference, customer_id) VALUES ($1, $2, $3) ON CONFLICT (channel, order_reference) DO NOTHING',
      [input.channel, input.orderReference, survivor.id],
    );
    if (changed) await tx.query('UPDATE customers SET updated_at = now() WHERE id = $1', [survivor.id]);
    if (outcome === 'REPLAYED' && changed) outcome = 'MATCHED';
    return { customerId: survivor.id, outcome, matchedOn, mergedCustomerIds };
  }

  /** The active profile a (possibly merged) profile now belongs to. */
  async #rootOf(client: SqlClient, id: string): Promise<string> {
    let current = id;
    for (let hops = 0; hops < 64; hops++) {
      const [row] = await client.query<{ mergedInto: string | null; status: string }>('SELECT merged_into AS "mergedInto", status FROM customers WHERE id = $1', [current]);
      if (!row || row.status !== 'MERGED' || !row.mergedInto) return current;
      current = row.mergedInto;
    }
    return current;
  }

  async #createProfile(tx: SqlClient, id: string): Promise<CustomerRow> {
    const [row] = await tx.query<CustomerRow>(`INSERT INTO customers (id) VALUES ($1) ON CONFLICT (id) DO NOTHING RETURNING ${CUSTOMER_COLUMNS}`, [id]);
    if (!row) throw new PonteError(ErrorCode.BAD_USER_INPUT, `Customer id ${id} is taken`, { customerId: id });
    return row;
  }

  async #blockedWith(client: SqlClient, id: string, others: string[]): Promise<Set<string>> {
    if (others.length === 0) return new Set();
    const rows = await client.query<{ other: string }>(
      `SELECT CASE WHEN customer_a = $1 THEN customer_b ELSE customer_a END AS other FROM customer_merge_blocks
        WHERE (customer_a = $1 AND customer_b = ANY($2::text[])) OR (customer_b = $1 AND customer_a = ANY($2::text[]))`,
      [id, others],
    );
    return new Set(rows.map((row) => row.other));
  }

  #open<T = string>(row: CustomerRow, field: PersonalField): T | null {
    const sealed = sealedOf(row, field);
    if (sealed === null) return null;
    const text = this.#sealer.open(sealed, fieldContext(row.id, field));
    return (field === 'address' ? JSON.parse(text) : text) as T;
  }

  /** Opens a profile's personal field for a resolver (null when absent). */
  openField<T = string>(row: CustomerRow, field: PersonalField): T | null {
    return this.#open<T>(row, field);
  }

  async #setField(tx: SqlClient, customerId: string, field: PersonalField, value: unknown, source: FieldSource | null): Promise<void> {
    const sealed = value === null || value === undefined ? null : this.#sealer.seal(typeof value === 'string' ? value : JSON.stringify(value), fieldContext(customerId, field));
    await tx.query(`UPDATE customers SET ${field}_sealed = $2, ${field}_source = $3::jsonb WHERE id = $1`, [customerId, sealed, source === null ? null : JSON.stringify(source)]);
  }

  /** Applies one observation: each field it carries replaces the profile's when newer. Returns whether anything changed. */
  async #observe(tx: SqlClient, row: CustomerRow, contact: NormalisedContact, source: FieldSource): Promise<boolean> {
    const newer = PERSONAL_FIELDS.filter((field) => contact[field] !== undefined && isNewer(source.observedAt, sourceOf(row, field)));
    if (newer.length === 0) return false;
    // The same value observed later still moves its source on (a channel confirming it); one statement for all.
    await tx.query(
      `UPDATE customers SET ${newer.map((field, index) => `${field}_sealed = $${index + 3}, ${field}_source = $2::jsonb`).join(', ')} WHERE id = $1`,
      [row.id, JSON.stringify(source), ...newer.map((field) => this.#sealer.seal(field === 'address' ? JSON.stringify(contact[field]) : (contact[field] as string), fieldContext(row.id, field)))],
    );
    return newer.some((field) => !isDeepStrictEqual(this.#open<unknown>(row, field), contact[field]));
  }

  async #recordIdentity(tx: SqlClient, customerId: string, input: { channel: string; platformId: string | undefined; observedAt: string; values: Array<{ kind: MatchKind; digest: string }> }): Promise<boolean> {
    const platformDigest = input.values.find((value) => value.kind === 'PLATFORM_CUSTOMER_ID')?.digest;
    if (input.platformId && platformDigest) {
      const [existing] = await tx.query<{ id: number }>(
        `UPDATE customer_identities SET first_seen_at = least(first_seen_at, $3::timestamptz), last_seen_at = greatest(last_seen_at, $3::timestamptz)
          WHERE channel = $1 AND platform_digest = $2 RETURNING id`,
        [input.channel, platformDigest, input.observedAt],
      );
      if (existing) return false;
      const [inserted] = await tx.query<{ id: number }>(
        `INSERT INTO customer_identities (customer_id, channel, platform_digest, first_seen_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)
         ON CONFLICT (channel, platform_digest) WHERE platform_digest IS NOT NULL DO NOTHING RETURNING id`,
        [customerId, input.channel, platformDigest, input.observedAt],
      );
      if (!inserted) throw new IdentityRace();
      await tx.query('UPDATE customer_identities SET platform_customer_id_sealed = $2 WHERE id = $1', [inserted.id, this.#sealer.seal(input.platformId, identityContext(inserted.id))]);
      return true;
    }
    const touched = await tx.query(
      `UPDATE customer_identities SET first_seen_at = least(first_seen_at, $3::timestamptz), last_seen_at = greatest(last_seen_at, $3::timestamptz)
        WHERE customer_id = $1 AND channel = $2 AND platform_digest IS NULL RETURNING id`,
      [customerId, input.channel, input.observedAt],
    );
    if (touched.length > 0) return false;
    await tx.query('INSERT INTO customer_identities (customer_id, channel, first_seen_at, last_seen_at) VALUES ($1, $2, $3, $3)', [customerId, input.channel, input.observedAt]);
    return true;
  }

  /** The profile's fields, opened: what a merge snapshot keeps. */
  #fieldsOf(row: CustomerRow): Record<PersonalField, { value: unknown; source: FieldSource | null }> {
    return Object.fromEntries(PERSONAL_FIELDS.map((field) => [field, { value: this.#open<unknown>(row, field), source: sourceOf(row, field) }])) as Record<PersonalField, { value: unknown; source: FieldSource | null }>;
  }

  async #merge(tx: SqlClient, survivor: CustomerRow, absorbed: CustomerRow, why: { channel: string; matchedOn: MatchKind[]; survivorMatchedOn: MatchKind[] }): Promise<{ survivor: CustomerRow; mergeId: number }> {
    const before = this.#fieldsOf(survivor);
    // Each field: whichever profile observed it last.
    for (const field of PERSONAL_FIELDS) {
      const theirs = sourceOf(absorbed, field);
      if (sealedOf(absorbed, field) === null || theirs === null || !isNewer(theirs.observedAt, sourceOf(survivor, field))) continue;
      await this.#setField(tx, survivor.id, field, this.#open<unknown>(absorbed, field), theirs);
    }
    const movedIndexes = await tx.query<{ kind: string; digest: string }>('UPDATE customer_blind_indexes SET customer_id = $1 WHERE customer_id = $2 RETURNING kind, digest', [survivor.id, absorbed.id]);
    const movedIdentities = await tx.query<{ id: number }>('UPDATE customer_identities SET customer_id = $1 WHERE customer_id = $2 RETURNING id', [survivor.id, absorbed.id]);
    await tx.query(`UPDATE customers SET status = 'MERGED', merged_into = $2, updated_at = now() WHERE id = $1`, [absorbed.id, survivor.id]);
    const [after] = await tx.query<CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id = $1`, [survivor.id]);
    const [merge] = await tx.query<{ id: number }>(
      `INSERT INTO customer_merges (survivor_id, absorbed_id, matched_on, survivor_matched_on, channel, moved_indexes, moved_identities, survivor_before_sealed, survivor_after_sources)
       VALUES ($1, $2, $3::text[], $4::text[], $5, $6::jsonb, $7::bigint[], $8, $9::jsonb) RETURNING id`,
      [
        survivor.id, absorbed.id, why.matchedOn, why.survivorMatchedOn, why.channel, JSON.stringify(movedIndexes), movedIdentities.map((row) => row.id),
        this.#sealer.seal(JSON.stringify(before), mergeContext(survivor.id, absorbed.id)),
        JSON.stringify(Object.fromEntries(PERSONAL_FIELDS.map((field) => [field, sourceOf(after!, field)]))),
      ],
    );
    await this.#announce(tx, 'CUSTOMERS_MERGED', survivor.id, absorbed.id);
    this.#log.info({ survivorId: survivor.id, absorbedId: absorbed.id, matchedOn: why.matchedOn, channel: why.channel }, 'customer profiles merged');
    return { survivor: after!, mergeId: merge!.id };
  }

  async #announce(tx: SqlClient, kind: CustomerChangeRow['kind'], customerId: string, otherCustomerId: string | null): Promise<void> {
    await tx.query('INSERT INTO customer_changes (kind, customer_id, other_customer_id) VALUES ($1, $2, $3)', [kind, customerId, otherCustomerId]);
    await tx.query(`SELECT pg_notify('${CUSTOMER_CHANGES_CHANNEL}', $1)`, [customerId]);
  }

  // ————— reads —————

  async load(ids: readonly string[]): Promise<Array<CustomerRow | null>> {
    const rows = await this.#db.query<CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id = ANY($1::text[])`, [ids]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** Profiles found by an exact normalised e-mail, CPF or phone. */
  async search(search: { email?: string | null; cpf?: string | null; phone?: string | null }): Promise<CustomerRow[]> {
    const given = (['email', 'cpf', 'phone'] as const).filter((field) => search[field] !== null && search[field] !== undefined);
    if (given.length !== 1) throw new PonteError(ErrorCode.BAD_USER_INPUT, 'search by exactly one of email, cpf or phone', { field: 'search' });
    const field = given[0]!;
    const raw = search[field]!;
    const value = field === 'email' ? normaliseEmail(raw) : field === 'cpf' ? normaliseCpf(raw) : normalisePhone(raw);
    if (!value) throw new PonteError(ErrorCode.BAD_USER_INPUT, `search.${field} is not a valid ${field}`, { field: `search.${field}` });
    const kind = MATCHED_FIELD[field]!;
    const digest = this.#index.digest(kind, field === 'email' ? emailMatchKey(value) : value);
    return this.#db.query<CustomerRow>(
      `SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id IN (SELECT customer_id FROM customer_blind_indexes WHERE kind = $1 AND digest = $2)`,
      [kind, digest],
    );
  }

  async identities(customerIds: readonly string[]): Promise<IdentityRow[]> {
    return this.#db.query<IdentityRow>(
      `SELECT id, customer_id AS "customerId", channel, platform_customer_id_sealed AS "platformCustomerIdSealed",
              ${iso('first_seen_at')} AS "firstSeenAt", ${iso('last_seen_at')} AS "lastSeenAt"
         FROM customer_identities WHERE customer_id = ANY($1::text[]) ORDER BY first_seen_at, id`,
      [customerIds],
    );
  }

  openPlatformCustomerId(identity: IdentityRow): string | null {
    return identity.platformCustomerIdSealed === null ? null : this.#sealer.open(identity.platformCustomerIdSealed, identityContext(identity.id));
  }

  async merges(customerIds: readonly string[]): Promise<MergeRow[]> {
    return this.#db.query<MergeRow>(`SELECT ${MERGE_COLUMNS} FROM customer_merges WHERE survivor_id = ANY($1::text[]) OR absorbed_id = ANY($1::text[]) ORDER BY customer_merges.id DESC`, [customerIds]);
  }

  async requests(filter: { customerId?: string | null; first: number }): Promise<DataSubjectRequestRow[]> {
    return this.#db.query<DataSubjectRequestRow>(
      `SELECT ${REQUEST_COLUMNS} FROM data_subject_requests WHERE ($1::text IS NULL OR customer_id = $1) ORDER BY data_subject_requests.id DESC LIMIT $2`,
      [filter.customerId ?? null, filter.first],
    );
  }

  async changes(after: string | null | undefined, first: number): Promise<CustomerChangeRow[]> {
    return this.#db.query<CustomerChangeRow>(
      `SELECT id::text AS id, kind, customer_id AS "customerId", other_customer_id AS "otherCustomerId", ${iso('occurred_at')} AS "occurredAt"
         FROM customer_changes WHERE id > $1 ORDER BY customer_changes.id LIMIT $2`,
      [after ? Number(after) : 0, first],
    );
  }

  // ————— data-subject requests —————

  async #record(tx: SqlClient, kind: DataSubjectRequestKind, customerId: string, operator: Operator, reason: string | null | undefined, outcome: Record<string, unknown>): Promise<DataSubjectRequestRow> {
    // The reason is the operator's free text: e-mail addresses and CPFs in it are removed before it is kept.
    const kept = reason?.trim() ? String(redact(reason.trim().slice(0, MAX_REASON_LENGTH))) : null;
    const [row] = await tx.query<DataSubjectRequestRow>(
      `INSERT INTO data_subject_requests (kind, customer_id, operator, reason, outcome) VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING ${REQUEST_COLUMNS}`,
      [kind, customerId, operator.id, kept, JSON.stringify(outcome)],
    );
    this.#log.info({ requestId: row!.id, kind, customerId, operator: operator.id }, 'data-subject request recorded');
    return row!;
  }

  async #lockedProfile(tx: SqlClient, id: string): Promise<CustomerRow> {
    const [row] = await tx.query<CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id = $1 FOR UPDATE`, [id]);
    if (!row) throw unknownCustomer(id);
    return row;
  }

  /**
   * Access and portability: everything held about the person, as JSON (a merged profile's
   * request covers the profile it is merged into, and every profile merged into that one).
   */
  async exportData(id: string, operator: Operator, reason?: string | null): Promise<DataExport> {
    return this.#db.transaction(async (tx) => {
      await this.#lockedProfile(tx, id);
      const root = await this.#rootOf(tx, id);
      const group = await this.#mergedGroup(tx, root);
      const rows = await tx.query<CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id = ANY($1::text[]) ORDER BY created_at, id`, [group]);
      const identities = await tx.query<IdentityRow>(
        `SELECT id, customer_id AS "customerId", channel, platform_customer_id_sealed AS "platformCustomerIdSealed", ${iso('first_seen_at')} AS "firstSeenAt", ${iso('last_seen_at')} AS "lastSeenAt"
           FROM customer_identities WHERE customer_id = ANY($1::text[]) ORDER BY first_seen_at, id`,
        [group],
      );
      const orders = await tx.query<{ channel: string; orderReference: string; identifiedAt: string }>(
        `SELECT channel, order_reference AS "orderReference", ${iso('identified_at')} AS "identifiedAt" FROM customer_identifications WHERE customer_id = ANY($1::text[]) ORDER BY identified_at, channel, order_reference`,
        [group],
      );
      const merges = await tx.query<MergeRow>(`SELECT ${MERGE_COLUMNS} FROM customer_merges WHERE survivor_id = ANY($1::text[]) OR absorbed_id = ANY($1::text[]) ORDER BY customer_merges.id`, [group]);
      const requests = await tx.query<DataSubjectRequestRow>(`SELECT ${REQUEST_COLUMNS} FROM data_subject_requests WHERE customer_id = ANY($1::text[]) ORDER BY data_subject_requests.id`, [group]);
      const profile = (row: CustomerRow) => ({
        id: row.id,
        status: row.status,
        mergedInto: row.mergedInto,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
        erasedAt: row.erasedAt,
        ...Object.fromEntries(PERSONAL_FIELDS.map((field) => [field, sealedOf(row, field) === null ? null : { value: this.#open<unknown>(row, field), source: sourceOf(row, field) }])),
      });
      const data = {
        exportedAt: new Date().toISOString(),
        customerId: root,
        profiles: rows.map(profile),
        identities: identities.map((identity) => ({ customerId: identity.customerId, channel: identity.channel, platformCustomerId: this.openPlatformCustomerId(identity), firstSeenAt: identity.firstSeenAt, lastSeenAt: identity.lastSeenAt })),
        orders,
        merges,
        dataSubjectRequests: requests,
      };
      const request = await this.#record(tx, 'ACCESS', root, operator, reason, { profiles: rows.length, identities: identities.length, orders: orders.length });
      return { request, data: { ...data, requestId: request.id } };
    });
  }

  /** The profile and every profile merged into it (while the merges stand), transitively. */
  async #mergedGroup(client: SqlClient, root: string): Promise<string[]> {
    const rows = await client.query<{ id: string }>(
      `WITH RECURSIVE grp(id) AS (SELECT $1::text UNION SELECT c.id FROM customers c JOIN grp ON c.merged_into = grp.id WHERE c.status = 'MERGED')
       SELECT id FROM grp`,
      [root],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Correction: each field given replaces the profile's, sourced to the operator now (so it
   * stands until a channel reports a later change). A corrected identifier's old blind index
   * goes (it was wrong); the new one must not be another profile's.
   */
  async correct(id: string, fields: ContactInput, operator: Operator, reason: string): Promise<CustomerRow> {
    const { contact, rejected } = normaliseContact(fields);
    if (rejected.length > 0) throw new PonteError(ErrorCode.BAD_USER_INPUT, `Cannot correct: ${rejected.map((each) => `${each.field} is ${each.reason}`).join('; ')}`, { fields: rejected.map((each) => each.field) });
    const given = PERSONAL_FIELDS.filter((field) => contact[field] !== undefined);
    if (given.length === 0) throw new PonteError(ErrorCode.BAD_USER_INPUT, 'Give at least one field to correct', { field: 'fields' });
    return this.#db.transaction(async (tx) => {
      const row = await this.#lockedProfile(tx, id);
      if (row.status !== 'ACTIVE') throw new PonteError(ErrorCode.CUSTOMER_NOT_ACTIVE, `Customer ${id} is ${row.status.toLowerCase()}${row.mergedInto ? ` into ${row.mergedInto}` : ''}; correct the active profile`, { customerId: id, status: row.status });
      const source: FieldSource = { kind: 'OPERATOR', operator: operator.id, observedAt: new Date().toISOString() };
      for (const field of given) {
        const kind = MATCHED_FIELD[field];
        if (kind) {
          const old = this.#open<string>(row, field);
          if (old !== null) await tx.query('DELETE FROM customer_blind_indexes WHERE kind = $1 AND digest = $2 AND customer_id = $3', [kind, this.#index.digest(kind, field === 'email' ? emailMatchKey(old) : old), id]);
          const value = contact[field] as string;
          const digest = this.#index.digest(kind, field === 'email' ? emailMatchKey(value) : value);
          await tx.query('INSERT INTO customer_blind_indexes (kind, digest, customer_id) VALUES ($1, $2, $3) ON CONFLICT (kind, digest) DO NOTHING', [kind, digest, id]);
          const [owner] = await tx.query<{ customerId: string }>('SELECT customer_id AS "customerId" FROM customer_blind_indexes WHERE kind = $1 AND digest = $2', [kind, digest]);
          if (owner?.customerId !== id) throw new PonteError(ErrorCode.BAD_USER_INPUT, `The corrected ${field} belongs to customer ${owner?.customerId}`, { field, customerId: owner?.customerId });
        }
        await this.#setField(tx, id, field, contact[field], source);
      }
      await tx.query('UPDATE customers SET updated_at = now() WHERE id = $1', [id]);
      await this.#record(tx, 'CORRECTION', id, operator, reason, { fields: given });
      const [updated] = await tx.query<CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id = $1`, [id]);
      return updated!;
    });
  }

  /**
   * Erasure: the person's profile (with every profile merged into it) keeps its id as a tombstone
   * and loses every personal field, blind index and platform customer id, and what merges kept of
   * it. Orders keep their totals; `customerErased` tells the orders subgraph to drop its link.
   */
  async erase(id: string, operator: Operator, reason: string): Promise<DataSubjectRequestRow> {
    return this.#db.transaction(async (tx) => {
      const row = await this.#lockedProfile(tx, id);
      if (row.status === 'ERASED') throw new PonteError(ErrorCode.CUSTOMER_NOT_ACTIVE, `Customer ${id} was erased already`, { customerId: id, status: row.status });
      const root = await this.#rootOf(tx, id);
      const group = await this.#mergedGroup(tx, root);
      const members = await tx.query<CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`, [group]);
      const fields = PERSONAL_FIELDS.map((field) => `${field}_sealed = NULL, ${field}_source = NULL`).join(', ');
      await tx.query(`UPDATE customers SET ${fields}, status = 'ERASED', merged_into = NULL, erased_at = now(), updated_at = now() WHERE id = ANY($1::text[])`, [group]);
      const indexes = await tx.query('DELETE FROM customer_blind_indexes WHERE customer_id = ANY($1::text[]) RETURNING kind', [group]);
      const platformIds = await tx.query(
        'UPDATE customer_identities SET platform_customer_id_sealed = NULL, platform_digest = NULL WHERE customer_id = ANY($1::text[]) AND platform_digest IS NOT NULL RETURNING id',
        [group],
      );
      await tx.query(
        `UPDATE customer_merges SET survivor_before_sealed = NULL, moved_indexes = '[]'::jsonb, survivor_after_sources = '{}'::jsonb
          WHERE survivor_id = ANY($1::text[]) OR absorbed_id = ANY($1::text[])`,
        [group],
      );
      const [orders] = await tx.query<{ count: number }>('SELECT count(*)::int AS count FROM customer_identifications WHERE customer_id = ANY($1::text[])', [group]);
      for (const customerId of group) await this.#announce(tx, 'CUSTOMER_ERASED', customerId, null);
      return this.#record(tx, 'ERASURE', root, operator, reason, {
        profilesErased: group,
        fieldsErased: PERSONAL_FIELDS.filter((field) => members.some((member) => sealedOf(member, field) !== null)),
        blindIndexesDestroyed: indexes.length,
        platformCustomerIdsDestroyed: platformIds.length,
        ordersUnlinked: orders!.count,
      });
    });
  }

  /**
   * Undoes a merge: the absorbed profile is active again with its own fields, identifiers and
   * identities; the survivor's fields go back to what they were before it, except those a later
   * observation or correction changed since. The two are kept apart from then on.
   */
  async unmerge(mergeId: string, operator: Operator, reason: string): Promise<[CustomerRow, CustomerRow]> {
    if (!/^\d+$/.test(mergeId)) throw new PonteError(ErrorCode.UNKNOWN_MERGE, `No merge ${mergeId}`, { mergeId });
    return this.#db.transaction(async (tx) => {
      const [merge] = await tx.query<MergeRow & { movedIndexes: Array<{ kind: string; digest: string }>; movedIdentities: number[]; survivorBeforeSealed: string | null; survivorAfterSources: Record<string, FieldSource | null> }>(
        `SELECT ${MERGE_COLUMNS}, moved_indexes AS "movedIndexes", moved_identities AS "movedIdentities", survivor_before_sealed AS "survivorBeforeSealed",
                survivor_after_sources AS "survivorAfterSources" FROM customer_merges WHERE id = $1 FOR UPDATE`,
        [mergeId],
      );
      if (!merge) throw new PonteError(ErrorCode.UNKNOWN_MERGE, `No merge ${mergeId}`, { mergeId });
      if (merge.undoneAt) throw new PonteError(ErrorCode.MERGE_NOT_UNDOABLE, `Merge ${mergeId} was undone already`, { mergeId });
      const [first, second] = [merge.survivorId, merge.absorbedId].sort();
      const locked = await tx.query<CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id IN ($1, $2) ORDER BY id FOR UPDATE`, [first, second]);
      const survivor = locked.find((row) => row.id === merge.survivorId)!;
      const absorbed = locked.find((row) => row.id === merge.absorbedId)!;
      if (survivor.status !== 'ACTIVE' || absorbed.status !== 'MERGED' || absorbed.mergedInto !== survivor.id || merge.survivorBeforeSealed === null) {
        throw new PonteError(ErrorCode.MERGE_NOT_UNDOABLE, `Merge ${mergeId} cannot be undone: customer ${survivor.id} is ${survivor.status.toLowerCase()}, ${absorbed.id} is ${absorbed.status.toLowerCase()}`, { mergeId });
      }
      const before = JSON.parse(this.#sealer.open(merge.survivorBeforeSealed, mergeContext(survivor.id, absorbed.id))) as Record<PersonalField, { value: unknown; source: FieldSource | null }>;
      const restored: PersonalField[] = [];
      for (const field of PERSONAL_FIELDS) {
        if (!isDeepStrictEqual(sourceOf(survivor, field), merge.survivorAfterSources[field] ?? null)) continue;
        if (isDeepStrictEqual(sourceOf(survivor, field), before[field].source)) continue;
        await this.#setField(tx, survivor.id, field, before[field].value, before[field].source);
        restored.push(field);
      }
      const indexes = await tx.query(
        `UPDATE customer_blind_indexes b SET customer_id = $1 FROM jsonb_to_recordset($3::jsonb) AS moved(kind text, digest text)
          WHERE b.kind = moved.kind AND b.digest = moved.digest AND b.customer_id = $2 RETURNING b.kind`,
        [absorbed.id, survivor.id, JSON.stringify(merge.movedIndexes)],
      );
      const identities = await tx.query('UPDATE customer_identities SET customer_id = $1 WHERE id = ANY($3::bigint[]) AND customer_id = $2 RETURNING id', [absorbed.id, survivor.id, merge.movedIdentities]);
      await tx.query(`UPDATE customers SET status = 'ACTIVE', merged_into = NULL, updated_at = now() WHERE id = $1`, [absorbed.id]);
      await tx.query('UPDATE customers SET updated_at = now() WHERE id = $1', [survivor.id]);
      await tx.query('UPDATE customer_merges SET undone_at = now(), undone_by = $2 WHERE id = $1', [mergeId, operator.id]);
      await tx.query('INSERT INTO customer_merge_blocks (customer_a, customer_b) VALUES ($1, $2) ON CONFLICT DO NOTHING', [first, second]);
      await this.#announce(tx, 'CUSTOMERS_UNMERGED', survivor.id, absorbed.id);
      await this.#record(tx, 'UNMERGE', survivor.id, operator, reason, { mergeId, absorbedId: absorbed.id, fieldsRestored: restored, blindIndexesReturned: indexes.length, identitiesReturned: identities.length });
      const rows = await tx.query<CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id IN ($1, $2)`, [survivor.id, absorbed.id]);
      return [rows.find((row) => row.id === survivor.id)!, rows.find((row) => row.id === absorbed.id)!];
    });
  }

  // ————— keys —————

  /**
   * Re-seals every value not under the current data key (key rotation, docs/privacy.md).
   * Each row is written only if it did not change meanwhile. Returns how many values moved.
   */
  async resealAll(): Promise<number> {
    const current = `${this.#sealer.currentKeyId}:%`;
    let moved = 0;
    for (const field of PERSONAL_FIELDS) {
      const rows = await this.#db.query<{ id: string; sealed: string }>(`SELECT id, ${field}_sealed AS sealed FROM customers WHERE ${field}_sealed IS NOT NULL AND ${field}_sealed NOT LIKE $1`, [current]);
      for (const row of rows) {
        const resealed = this.#sealer.reseal(row.sealed, fieldContext(row.id, field));
        if (!resealed) continue;
        moved += (await this.#db.query(`UPDATE customers SET ${field}_sealed = $2 WHERE id = $1 AND ${field}_sealed = $3 RETURNING id`, [row.id, resealed, row.sealed])).length;
      }
    }
    const identities = await this.#db.query<{ id: number; sealed: string }>('SELECT id, platform_customer_id_sealed AS sealed FROM customer_identities WHERE platform_customer_id_sealed NOT LIKE $1', [current]);
    for (const row of identities) {
      const resealed = this.#sealer.reseal(row.sealed, identityContext(row.id));
      if (resealed) moved += (await this.#db.query('UPDATE customer_identities SET platform_customer_id_sealed = $2 WHERE id = $1 AND platform_customer_id_sealed = $3 RETURNING id', [row.id, resealed, row.sealed])).length;
    }
    const merges = await this.#db.query<{ id: string; survivorId: string; absorbedId: string; sealed: string }>(
      'SELECT id::text AS id, survivor_id AS "survivorId", absorbed_id AS "absorbedId", survivor_before_sealed AS sealed FROM customer_merges WHERE survivor_before_sealed NOT LIKE $1',
      [current],
    );
    for (const row of merges) {
      const resealed = this.#sealer.reseal(row.sealed, mergeContext(row.survivorId, row.absorbedId));
      if (resealed) moved += (await this.#db.query('UPDATE customer_merges SET survivor_before_sealed = $2 WHERE id = $1 AND survivor_before_sealed = $3 RETURNING id', [row.id, resealed, row.sealed])).length;
    }
    if (moved > 0) this.#log.info({ moved, keyId: this.#sealer.currentKeyId }, 'sealed customer data moved to the current data key');
    return moved;
  }

  /**
   * Makes every blind-index digest again when PONTE_BLIND_INDEX_KEY changed (its fingerprint is
   * stored): from each profile's current e-mail, CPF and phone and its identities' platform ids.
   * Identifiers a profile was seen with before its current ones are not kept under the new key.
   */
  async reindexIfKeyChanged(): Promise<boolean> {
    const fingerprint = this.#index.fingerprint();
    return this.#db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`ponte-customers-reindex:${this.#db.schema}`]);
      const [stored] = await tx.query<{ value: string }>(`SELECT value FROM customer_settings WHERE name = 'blind_index_key'`);
      if (stored?.value === fingerprint) return false;
      await tx.query(`INSERT INTO customer_settings (name, value) VALUES ('blind_index_key', $1) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value`, [fingerprint]);
      if (!stored) return false;
      await tx.query('DELETE FROM customer_blind_indexes');
      const rows = await tx.query<CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE status <> 'ERASED' ORDER BY created_at, id`);
      const ownDigests = new Map<string, Array<{ kind: MatchKind; digest: string }>>();
      for (const row of rows) {
        const contact: NormalisedContact = {};
        for (const field of ['email', 'cpf', 'phone'] as const) {
          const value = this.#open<string>(row, field);
          if (value !== null) contact[field] = value;
        }
        ownDigests.set(row.id, matchValues(contact, undefined).map((value) => ({ kind: value.kind, digest: this.#index.digest(value.kind, value.value) })));
      }
      const identities = await tx.query<IdentityRow>(
        `SELECT id, customer_id AS "customerId", channel, platform_customer_id_sealed AS "platformCustomerIdSealed", '' AS "firstSeenAt", '' AS "lastSeenAt" FROM customer_identities WHERE platform_customer_id_sealed IS NOT NULL`,
      );
      const identityDigest = new Map<number, string>();
      for (const identity of identities) {
        const digest = this.#index.digest('PLATFORM_CUSTOMER_ID', `${identity.channel}:${this.openPlatformCustomerId(identity)}`);
        identityDigest.set(identity.id, digest);
        await tx.query('UPDATE customer_identities SET platform_digest = $2 WHERE id = $1', [identity.id, digest]);
        await tx.query(`INSERT INTO customer_blind_indexes (kind, digest, customer_id) VALUES ('PLATFORM_CUSTOMER_ID', $1, $2) ON CONFLICT DO NOTHING`, [digest, identity.customerId]);
      }
      for (const row of rows) {
        const owner = row.status === 'MERGED' ? await this.#rootOf(tx, row.id) : row.id;
        for (const value of ownDigests.get(row.id)!) {
          await tx.query('INSERT INTO customer_blind_indexes (kind, digest, customer_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [value.kind, value.digest, owner]);
        }
      }
      // Standing merges give back, on unmerge, what the absorbed profile itself holds under the new key.
      const standing = await tx.query<{ id: string; absorbedId: string; movedIdentities: number[] }>(
        `SELECT id::text AS id, absorbed_id AS "absorbedId", moved_identities AS "movedIdentities" FROM customer_merges WHERE undone_at IS NULL AND survivor_before_sealed IS NOT NULL`,
      );
      for (const merge of standing) {
        const moved = [
          ...(ownDigests.get(merge.absorbedId) ?? []),
          ...merge.movedIdentities.flatMap((identityId) => (identityDigest.has(Number(identityId)) ? [{ kind: 'PLATFORM_CUSTOMER_ID' as const, digest: identityDigest.get(Number(identityId))! }] : [])),
        ];
        await tx.query('UPDATE customer_merges SET moved_indexes = $2::jsonb WHERE id = $1', [merge.id, JSON.stringify(moved)]);
      }
      this.#log.info({ profiles: rows.length }, 'customer blind indexes made again under the new PONTE_BLIND_INDEX_KEY');
      return true;
    });
  }
}
