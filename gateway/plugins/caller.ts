import type { IncomingMessage } from 'node:http';
import type { Principal } from '../../kit/principal.ts';

/**
 * Who a limit counts against: the principal the identity plugin put on the context
 * (`context.principal`, kit/principal.ts), or, without one, the client's address. The gateway
 * does not trust `x-forwarded-for`: behind a proxy, run identity so callers are told apart.
 */
export function callerKey(context: unknown): string {
  const candidate = context as { principal?: Pick<Principal, 'id'>; req?: IncomingMessage } | undefined;
  const principal = candidate?.principal?.id;
  if (principal) return `principal:${principal}`;
  return `ip:${candidate?.req?.socket?.remoteAddress ?? 'unknown'}`;
}
