import type { SqlClient } from '../../kit/database.ts';
import { ErrorCode, PonteError } from '../../kit/errors.ts';
import { redact } from '../../kit/redact.ts';
import type { AuditEntryRecord, AuditOperationType, AuditPage } from './models.ts';

/** What the gateway sends for each recorded request (gateway/plugins/use-audit.ts). */
export interface AuditEntryInput {
  occurredAt: string;
  principalId?: string | null;
  principalRole?: string | null;
  operationType: AuditOperationType;
  operationName?: string | null;
  rootFields?: string[];
  variables?: unknown;
  outcome: string;
  durationMs: number;
  clientIp?: string | null;
  userAgent?: string | null;
}

export interface AuditLogFilter {
  principal?: string | null;
  operation?: string | null;
  outcome?: string | null;
  since?: string | null;
  until?: string | null;
}

/** At most this many entries per POST /internal/audit. */
export const MAX_AUDIT_BATCH = 500;
export const MAX_AUDIT_PAGE = 200;
/** Variables larger than this (as JSON) are stored as a marker: the audit log is not a data store. */
const MAX_VARIABLES_BYTES = 16 * 1024;
const OPERATION_TYPES: readonly AuditOperationType[] = ['query', 'mutation', 'subscription'];

function badInput(message: string, field: string): PonteError {
  return new PonteError(ErrorCode.BAD_USER_INPUT, message, { field });
}

const text = (value: unknown, max: number): string | null => (typeof value === 'string' && value.length > 0 ? value.slice(0, max) : null);

function isoTime(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(Date.parse(value))) throw badInput(`${field} must be an ISO 8601 time`, field);
  return new Date(value).toISOString();
}

interface ValidEntry {
  occurred_at: string;
  principal_id: string | null;
  principal_role: string | null;
  operation_type: AuditOperationType;
  operation_name: string | null;
  root_fields: string[];
  variables: unknown;
  outcome: string;
  duration_ms: number;
  client_ip: string | null;
  user_agent: string | null;
}

/**
 * Checks a batch from the gateway: the whole batch is refused (BAD_USER_INPUT) if one entry is
 * malformed, so nothing is half-written. Variables are redacted again here, whatever the sender did.
 */
export function parseAuditBatch(body: unknown): ValidEntry[] {
  const entries = (body as { entries?: unknown } | null)?.entries;
  if (!Array.isArray(entries) || entries.length === 0) throw badInput('body must be {"entries": [...]} with at least one entry', 'entries');
  if (entries.length > MAX_AUDIT_BATCH) throw badInput(`at most ${MAX_AUDIT_BATCH} entries per batch`, 'entries');
  return entries.map((raw: unknown, index) => {
    const entry = (raw ?? {}) as Record<string, unknown>;
    const at = `entries[${index}]`;
    if (!OPERATION_TYPES.includes(entry['operationType'] as AuditOperationType)) throw badInput(`${at}.operationType must be query, mutation or subscription`, 'operationType');
    const outcome = text(entry['outcome'], 200);
    if (!outcome) throw badInput(`${at}.outcome is required`, 'outcome');
    const duration = entry['durationMs'];
    if (typeof duration !== 'number' || !Number.isFinite(duration) || duration < 0) throw badInput(`${at}.durationMs must be a number of milliseconds`, 'durationMs');
    const rootFields = Array.isArray(entry['rootFields']) ? entry['rootFields'].filter((field): field is string => typeof field === 'string').slice(0, 50).map((field) => field.slice(0, 200)) : [];
    let variables: unknown = entry['variables'] === undefined ? null : redact(entry['variables']);
    if (variables !== null && JSON.stringify(variables).length > MAX_VARIABLES_BYTES) variables = { '[truncated]': true };
    return {
      occurred_at: isoTime(entry['occurredAt'], `${at}.occurredAt`),
      principal_id: text(entry['principalId'], 300),
      principal_role: text(entry['principalRole'], 40),
      operation_type: entry['operationType'] as AuditOperationType,
      operation_name: text(entry['operationName'], 200),
      root_fields: rootFields,
      variables,
      outcome,
      duration_ms: Math.min(Math.round(duration), 2_147_483_647),
      client_ip: text(entry['clientIp'], 100),
      user_agent: text(entry['userAgent'], 500),
    };
  });
}

/** A stored entry: what was written, with its id and Date-typed time as the driver returns them. */
interface AuditRow extends Omit<ValidEntry, 'occurred_at'> {
  id: number;
  occurred_at: Date;
}

const encodeCursor = (id: number) => Buffer.from(`audit:${id}`).toString('base64url');
function decodeCursor(cursor: string): number {
  const match = /^audit:(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw badInput('after is not a cursor this query returned', 'after');
  return Number(match[1]);
}

/** The append-only audit log (its table refuses UPDATE and DELETE; see migrations/001_access.sql). */
export class AuditLog {
  readonly #db: SqlClient;

  constructor(db: SqlClient) {
    this.#db = db;
  }

  /** Writes a checked batch in one statement. */
  async append(entries: readonly ValidEntry[]): Promise<number> {
    const rows = await this.#db.query<{ count: number }>(
      `WITH written AS (
         INSERT INTO audit_log (occurred_at, principal_id, principal_role, operation_type, operation_name, root_fields, variables, outcome, duration_ms, client_ip, user_agent)
         SELECT e.occurred_at, e.principal_id, e.principal_role, e.operation_type, e.operation_name,
                ARRAY(SELECT jsonb_array_elements_text(e.root_fields)), e.variables, e.outcome, e.duration_ms, e.client_ip, e.user_agent
           FROM jsonb_to_recordset($1::jsonb) AS e(occurred_at timestamptz, principal_id text, principal_role text, operation_type text,
                operation_name text, root_fields jsonb, variables jsonb, outcome text, duration_ms integer, client_ip text, user_agent text)
         RETURNING 1)
       SELECT count(*)::int AS count FROM written`,
      [JSON.stringify(entries)],
    );
    return rows[0]?.count ?? 0;
  }

  /** Newest recorded first; `after` is the previous page's endCursor. */
  async page(filter: AuditLogFilter, first: number, after: string | null): Promise<AuditPage> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_AUDIT_PAGE) throw badInput(`first must be from 1 to ${MAX_AUDIT_PAGE}, got ${first}`, 'first');
    const before = after ? decodeCursor(after) : null;
    const since = filter.since ? isoTime(filter.since, 'since') : null;
    const until = filter.until ? isoTime(filter.until, 'until') : null;
    const rows = await this.#db.query<AuditRow>(
      `SELECT id, occurred_at, principal_id, principal_role, operation_type, operation_name, root_fields, variables, outcome, duration_ms, client_ip, user_agent
         FROM audit_log
        WHERE ($1::bigint IS NULL OR id < $1)
          AND ($2::text IS NULL OR principal_id = $2)
          AND ($3::text IS NULL OR operation_name = $3 OR $3 = ANY (root_fields))
          AND ($4::text IS NULL OR outcome = $4 OR $4 = ANY (string_to_array(outcome, ',')))
          AND ($5::timestamptz IS NULL OR occurred_at >= $5)
          AND ($6::timestamptz IS NULL OR occurred_at < $6)
        ORDER BY id DESC
        LIMIT $7`,
      [before, filter.principal ?? null, filter.operation ?? null, filter.outcome ?? null, since, until, first + 1],
    );
    const page = rows.slice(0, first);
    return {
      nodes: page.map((row) => ({
        id: String(row.id),
        occurredAt: new Date(row.occurred_at).toISOString(),
        principalId: row.principal_id,
        principalRole: row.principal_role,
        operationType: row.operation_type,
        operationName: row.operation_name,
        rootFields: row.root_fields,
        variables: row.variables === null ? null : JSON.stringify(row.variables),
        outcome: row.outcome,
        durationMs: row.duration_ms,
        clientIp: row.client_ip,
        userAgent: row.user_agent,
      }) satisfies AuditEntryRecord),
      endCursor: page.length > 0 ? encodeCursor(page[page.length - 1]!.id) : null,
      hasNextPage: rows.length > first,
    };
  }
}
