import type { GatewayConfigBase } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';
import { ErrorCode, ERROR_HTTP_STATUS } from '../kit/errors.ts';
import type { Principal } from '../kit/principal.ts';
import type { IdentityPlugin } from './plugins/use-identity.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the runtime's option is generic over the gateway's context
type GenericAuthOptions = NonNullable<GatewayConfigBase<any>['genericAuth']>;
type ValidateUser = Extract<GenericAuthOptions, { mode: 'protect-granular' }>['validateUser'];

const satisfies = (required: string[][] | undefined, scopes: readonly string[]) =>
  !required?.length || required.some((group) => group.every((scope) => scopes.includes(scope)));

/**
 * Authorization as the SDL declares it: each field's (or type's) `@requiresScopes` and
 * `@authenticated`, imported from the federation spec in every `schema/*.graphql`, survive
 * composition (`@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)` in the
 * supergraph) and are enforced by the gateway runtime's own `genericAuth`
 * (`@envelop/generic-auth`, https://the-guild.dev/graphql/hive/docs/gateway/authorization-authentication),
 * with the Rust planner as with the JavaScript one — `gateway/authorization.test.ts` proves it.
 *
 * The whole operation is refused when any field is not allowed, before any subgraph is called:
 * a mutation never half-runs. Anonymous → UNAUTHENTICATED (401); a principal without the scope
 * → FORBIDDEN (403), naming the field and the scopes it needs.
 */
export function authorizationOptions(identity: IdentityPlugin): GenericAuthOptions {
  const validateUser: ValidateUser = ({ user, fieldNode, parentType, field, fieldAuthArgs, typeAuthArgs, fieldScopes, typeScopes, userScopes, path }) => {
    const protectedField = fieldAuthArgs || typeAuthArgs || fieldScopes?.length || typeScopes?.length;
    if (!protectedField) return undefined;
    const coordinate = `${parentType.name}.${field.name}`;
    if (!user) {
      return new GraphQLError(`${coordinate} requires authentication: send an API key or a token in Authorization: Bearer`, {
        nodes: [fieldNode],
        path,
        extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: ERROR_HTTP_STATUS.UNAUTHENTICATED } },
      });
    }
    if (satisfies(typeScopes, userScopes) && satisfies(fieldScopes, userScopes)) return undefined;
    const required = [...(typeScopes ?? []), ...(fieldScopes ?? [])].map((group) => group.join(' and ')).join(' or ');
    return new GraphQLError(`${coordinate} requires scope ${required}`, {
      nodes: [fieldNode],
      path,
      extensions: { code: ErrorCode.FORBIDDEN, http: { status: ERROR_HTTP_STATUS.FORBIDDEN }, field: coordinate },
    });
  };
  return {
    mode: 'protect-granular',
    contextFieldName: 'principal',
    resolveUserFn: (context: Record<string, unknown>) => identity.principalOf(context),
    extractScopes: (user: Principal | undefined) => user?.scopes ?? [],
    validateUser,
    // Refuse the operation as a whole: Hive Router's planner cannot plan a document emptied of
    // its refused fields, and a mutation must not run part of what was asked.
    rejectUnauthenticated: true,
    // The runtime's typing only names the default field (`currentUser`); the plugin takes any.
  } as unknown as GenericAuthOptions;
}
