import type { Database } from '../../kit/database.ts';
import { ErrorCode, PonteError } from '../../kit/errors.ts';
import type { Logger } from '../../kit/logger.ts';
import { PRINCIPAL_HEADER, type Principal } from '../../kit/principal.ts';
import type { HeaderGetter } from '../../kit/subgraph-server.ts';
import { AuditLog } from './audit.ts';
import { ApiKeyStore } from './keys.ts';

export interface AccessContext {
  db: Database;
  keys: ApiKeyStore;
  audit: AuditLog;
  /** The caller, as the gateway resolved it (trusted: the gateway secret proved the request's origin). */
  principal: Principal | undefined;
  log: Logger;
}

/** The `x-ponte-principal` header the gateway forwards; absent or unreadable means anonymous. */
export function principalFromHeaders(headers: HeaderGetter): Principal | undefined {
  const raw = headers.get(PRINCIPAL_HEADER);
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<Principal>;
    if (typeof parsed.id !== 'string' || typeof parsed.role !== 'string' || !Array.isArray(parsed.scopes)) return undefined;
    return parsed as Principal;
  } catch {
    return undefined;
  }
}

/**
 * Every field of this subgraph is for administrators. The gateway checks `@requiresScopes`
 * first; this is the same rule where the data is, so a gateway misconfigured without its
 * identity plugin still cannot hand out keys.
 */
export function requireAdmin(context: AccessContext): Principal {
  const principal = context.principal;
  if (!principal) throw new PonteError(ErrorCode.UNAUTHENTICATED, 'API keys and the audit log need an admin credential');
  if (!principal.scopes.includes('admin')) throw new PonteError(ErrorCode.FORBIDDEN, `${principal.id} lacks the admin scope`, { principal: principal.id });
  return principal;
}

export function createAccessContext(deps: { db: Database; log: Logger }, principal: Principal | undefined): AccessContext {
  return { ...deps, keys: new ApiKeyStore(deps.db), audit: new AuditLog(deps.db), principal };
}
