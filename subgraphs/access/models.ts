import type { Role } from '../../kit/principal.ts';

/** An API key as the API shows it: never the key, never its hash. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  role: Role;
  scopes: string[];
  channels: string[] | null;
  locations: string[] | null;
  displayPrefix: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  rotatedFrom: string | null;
  /** Who the key acts as: the same across rotations; `service:<name>` for a service key. */
  principalId: string;
}

export interface CreatedApiKeyValue {
  apiKey: ApiKeyRecord;
  /** Returned once, at creation; nowhere else holds it. */
  plaintextKey: string;
}

export type AuditOperationType = 'query' | 'mutation' | 'subscription';

export interface AuditEntryRecord {
  id: string;
  occurredAt: string;
  principalId: string | null;
  principalRole: string | null;
  operationType: AuditOperationType;
  operationName: string | null;
  rootFields: string[];
  /** JSON text, redacted. */
  variables: string | null;
  outcome: string;
  durationMs: number;
  clientIp: string | null;
  userAgent: string | null;
}

export interface AuditPage {
  nodes: AuditEntryRecord[];
  endCursor: string | null;
  hasNextPage: boolean;
}
