import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { DocumentNode } from 'graphql';

/**
 * Every request for the same operation executes the same document object, so that what is
 * cached per document — the query planner's plans, the response cache's rewritten document, the
 * entity cache's fetch plans — is reused instead of made again on every request.
 *
 * The runtime's field authorization (`genericAuth`, @envelop/generic-auth on
 * @envelop/extended-validation 7) re-walks the document before each execution and returns a new
 * copy of it (`args.document = visit(...)`, then `removeEmptyOrUnusedNodes`). Those caches are
 * WeakMaps keyed by the document, so each request missed them all: in the storefront mix
 * (`npm run bench`) every request was planned afresh. With `rejectUnauthenticated: true`
 * (gateway/authorization.ts) a document that reaches execution had every field authorized, so
 * the copy holds exactly what was parsed and validated: execution gets the parsed document back.
 * Operations only; subscriptions keep the copy (the fan-out keys them by their text anyway).
 */
export function useStableDocuments(): GatewayPlugin {
  const validated = new WeakMap<object, DocumentNode>();
  return {
    onValidate({ context, params }) {
      validated.set(context, params.documentAST);
    },
    onExecute({ args }) {
      const parsed = validated.get(args.contextValue as object);
      if (parsed && args.document !== parsed) args.document = parsed;
    },
  };
}
