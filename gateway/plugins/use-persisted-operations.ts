import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { createGraphQLError } from '@graphql-tools/utils';
import type { Role } from '../../kit/principal.ts';
import { refuseRequest } from './refusal.ts';

export const PERSISTED_QUERY_NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND';
export const PERSISTED_QUERY_REQUIRED = 'PERSISTED_QUERY_REQUIRED';
/** Storefronts run a fixed set of pages; internal apps and partners write their own queries. */
export const DEFAULT_PERSISTED_ONLY_ROLES: Role[] = ['storefront'];

export interface PersistedOperationsOptions {
  /** Operation hash (sha256 hex, as Apollo's and Hive's clients send) → document. */
  operations: Record<string, string>;
  /** @default DEFAULT_PERSISTED_ONLY_ROLES (storefront) */
  persistedOnlyRoles?: Role[];
}

/** Reads the allowlist file: a JSON object of operation hash → GraphQL document. */
export function readPersistedOperations(file: string): Record<string, string> {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${file}: expected a JSON object of operation hash → document`);
  for (const [hash, document] of Object.entries(parsed)) {
    if (typeof document !== 'string' || document.trim() === '') throw new Error(`${file}: the document for ${hash} is not a GraphQL string`);
  }
  return parsed as Record<string, string>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * An allowlist of persisted operations. Any caller may send an operation by its hash
 * (`extensions.persistedQuery.sha256Hash`, or `documentId`) instead of its text; callers whose
 * role is in `persistedOnlyRoles` may run nothing else — a query whose text is not on the list is
 * refused with `PERSISTED_QUERY_REQUIRED` (403). Reads `context.principal` (identity runs first).
 */
export function usePersistedOperations(options: PersistedOperationsOptions): GatewayPlugin {
  const operations = new Map(Object.entries(options.operations));
  if (operations.size === 0) throw new Error('usePersistedOperations: the allowlist is empty');
  const allowedTexts = new Set([...operations.values()].map(sha256));
  const persistedOnly = new Set<string>(options.persistedOnlyRoles ?? DEFAULT_PERSISTED_ONLY_ROLES);
  const refuse = (code: string, message: string, status: number) => ({ errors: [createGraphQLError(message, { extensions: { code, http: { status } } })] });

  const seen = new WeakSet<object>();
  /** Over graphql-ws there is no onParams to check: a persisted-only caller may not run operations there. */
  const refuseOverWebSocket = (context: object, stop: (result: never) => void) => {
    if (seen.has(context)) return;
    const role = (context as { principal?: { role?: string } }).principal?.role;
    if (role && persistedOnly.has(role)) stop(refuse(PERSISTED_QUERY_REQUIRED, `A ${role} caller may only run persisted operations, over HTTP.`, 403) as never);
  };

  return {
    onExecute({ args, setResultAndStopExecution }) {
      refuseOverWebSocket(args.contextValue as object, setResultAndStopExecution);
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      refuseOverWebSocket(args.contextValue as object, setResultAndStopExecution);
    },
    onParams({ params, setParams, setResult, context }) {
      seen.add(context);
      const extensions = params.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined;
      const hash = extensions?.persistedQuery?.sha256Hash ?? (params as { documentId?: unknown }).documentId;
      if (typeof hash === 'string') {
        const document = operations.get(hash);
        if (!document) return refuseRequest(context, setResult, refuse(PERSISTED_QUERY_NOT_FOUND, `No persisted operation ${hash}.`, 400));
        return setParams({ ...params, query: document });
      }
      const role = (context as { principal?: { role?: string } }).principal?.role;
      if (role && persistedOnly.has(role) && !(params.query && allowedTexts.has(sha256(params.query)))) {
        refuseRequest(context, setResult, refuse(PERSISTED_QUERY_REQUIRED, `A ${role} caller may only run persisted operations; send extensions.persistedQuery.sha256Hash.`, 403));
      }
    },
  };
}
