export type MatchKind = 'EMAIL' | 'CPF' | 'PHONE' | 'PLATFORM_CUSTOMER_ID';
export type CustomerStatus = 'ACTIVE' | 'MERGED' | 'ERASED';

/** The personal fields of a profile, each sealed in its own column with its own source. */
export const PERSONAL_FIELDS = ['name', 'email', 'phone', 'cpf', 'address'] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

/** Who set a field and when (plain: not personal). */
export interface FieldSource {
  kind: 'CHANNEL' | 'OPERATOR';
  channel?: string | null;
  operator?: string | null;
  /** ISO 8601. */
  observedAt: string;
}

/** A profile row as stored: values sealed, opened only by the resolvers that show them. */
export interface CustomerRow {
  id: string;
  status: CustomerStatus;
  mergedInto: string | null;
  nameSealed: string | null;
  nameSource: FieldSource | null;
  emailSealed: string | null;
  emailSource: FieldSource | null;
  phoneSealed: string | null;
  phoneSource: FieldSource | null;
  cpfSealed: string | null;
  cpfSource: FieldSource | null;
  addressSealed: string | null;
  addressSource: FieldSource | null;
  createdAt: string;
  updatedAt: string;
  erasedAt: string | null;
}

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
export const iso = ISO;

export const CUSTOMER_COLUMNS = `id, status, merged_into AS "mergedInto",
  name_sealed AS "nameSealed", name_source AS "nameSource", email_sealed AS "emailSealed", email_source AS "emailSource",
  phone_sealed AS "phoneSealed", phone_source AS "phoneSource", cpf_sealed AS "cpfSealed", cpf_source AS "cpfSource",
  address_sealed AS "addressSealed", address_source AS "addressSource",
  ${ISO('created_at')} AS "createdAt", ${ISO('updated_at')} AS "updatedAt", ${ISO('erased_at')} AS "erasedAt"`;

export function sealedOf(row: CustomerRow, field: PersonalField): string | null {
  return row[`${field}Sealed`];
}
export function sourceOf(row: CustomerRow, field: PersonalField): FieldSource | null {
  return row[`${field}Source`];
}

/** The authenticated context of a sealed profile field: a value copied to another profile or column does not open. */
export const fieldContext = (customerId: string, field: PersonalField) => `customers:${customerId}:${field}`;
export const identityContext = (identityId: number | string) => `customer_identities:${identityId}:platform_customer_id`;
export const mergeContext = (survivorId: string, absorbedId: string) => `customer_merges:${survivorId}:${absorbedId}`;

export interface IdentityRow {
  id: number;
  customerId: string;
  channel: string;
  platformCustomerIdSealed: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
}

export interface MergeRow {
  id: string;
  survivorId: string;
  absorbedId: string;
  matchedOn: MatchKind[];
  survivorMatchedOn: MatchKind[];
  channel: string;
  mergedAt: string;
  undoneAt: string | null;
  undoneBy: string | null;
}

export const MERGE_COLUMNS = `id::text AS id, survivor_id AS "survivorId", absorbed_id AS "absorbedId", matched_on AS "matchedOn",
  survivor_matched_on AS "survivorMatchedOn", channel, ${ISO('merged_at')} AS "mergedAt", ${ISO('undone_at')} AS "undoneAt", undone_by AS "undoneBy"`;

export type DataSubjectRequestKind = 'ACCESS' | 'CORRECTION' | 'ERASURE' | 'UNMERGE';

export interface DataSubjectRequestRow {
  id: string;
  kind: DataSubjectRequestKind;
  customerId: string;
  operator: string;
  reason: string | null;
  at: string;
  outcome: Record<string, unknown>;
}

export const REQUEST_COLUMNS = `id::text AS id, kind, customer_id AS "customerId", operator, reason, ${ISO('at')} AS at, outcome`;

export interface CustomerChangeRow {
  id: string;
  kind: 'CUSTOMER_ERASED' | 'CUSTOMERS_MERGED' | 'CUSTOMERS_UNMERGED';
  customerId: string;
  otherCustomerId: string | null;
  occurredAt: string;
}

export interface IdentifyResult {
  customerId: string | null;
  outcome: 'CREATED' | 'MATCHED' | 'MERGED' | 'REPLAYED' | 'ERASED' | 'UNIDENTIFIABLE';
  matchedOn: MatchKind[];
  mergedCustomerIds: string[];
  rejected: Array<{ field: string; reason: string }>;
}

export interface DataExport {
  request: DataSubjectRequestRow;
  data: Record<string, unknown>;
}
