import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { createGraphQLError } from '@graphql-tools/utils';
import { callerKey } from './caller.ts';

export const TOO_MANY_SUBSCRIPTIONS = 'TOO_MANY_SUBSCRIPTIONS';
/** An internal app follows a few feeds per socket; 5,000 on one socket were accepted before. */
export const DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION = 20;
/** Across all of one caller's sockets (or one address, for callers without a principal). */
export const DEFAULT_MAX_SUBSCRIPTIONS_PER_PRINCIPAL = 100;

export interface SubscriptionLimitsOptions {
  /** @default DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION (20) */
  maxPerConnection?: number;
  /** @default DEFAULT_MAX_SUBSCRIPTIONS_PER_PRINCIPAL (100) */
  maxPerPrincipal?: number;
}

/**
 * Caps the subscriptions open at once on one connection (a graphql-ws socket; over HTTP, one
 * request) and per caller (`context.principal.id`, or the client's address). A subscription past
 * either cap is refused with `TOO_MANY_SUBSCRIPTIONS`; its slot comes back when it ends.
 */
export function useSubscriptionLimits(options: SubscriptionLimitsOptions = {}): GatewayPlugin & { open(): number } {
  const maxPerConnection = options.maxPerConnection ?? DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION;
  const maxPerPrincipal = options.maxPerPrincipal ?? DEFAULT_MAX_SUBSCRIPTIONS_PER_PRINCIPAL;
  for (const [name, value] of Object.entries({ maxPerConnection, maxPerPrincipal })) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`useSubscriptionLimits: ${name} must be a positive integer, got ${value}`);
  }
  const perConnection = new WeakMap<object, number>();
  const perPrincipal = new Map<string, number>();
  let open = 0;

  return {
    onSubscribe({ args, setResultAndStopExecution }) {
      const context = args.contextValue as { socket?: object; request?: object };
      const connection = context.socket ?? context.request ?? context;
      const principal = callerKey(context);
      const onConnection = perConnection.get(connection) ?? 0;
      const ofPrincipal = perPrincipal.get(principal) ?? 0;
      const refusal =
        onConnection >= maxPerConnection ? `at most ${maxPerConnection} subscriptions per connection` : ofPrincipal >= maxPerPrincipal ? `at most ${maxPerPrincipal} subscriptions per caller` : undefined;
      if (refusal) {
        setResultAndStopExecution({ errors: [createGraphQLError(`Too many subscriptions: ${refusal}; end one first.`, { extensions: { code: TOO_MANY_SUBSCRIPTIONS } })] });
        return;
      }
      perConnection.set(connection, onConnection + 1);
      perPrincipal.set(principal, ofPrincipal + 1);
      open++;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        open--;
        perConnection.set(connection, (perConnection.get(connection) ?? 1) - 1);
        const left = (perPrincipal.get(principal) ?? 1) - 1;
        if (left > 0) perPrincipal.set(principal, left);
        else perPrincipal.delete(principal);
      };
      return {
        onSubscribeResult({ result }) {
          // A subscription refused at once (validation, authorization) answers a single result.
          if (!(typeof result === 'object' && result !== null && Symbol.asyncIterator in result)) {
            release();
            return;
          }
          return { onEnd: release };
        },
        onSubscribeError: release,
      };
    },
    open: () => open,
  };
}
