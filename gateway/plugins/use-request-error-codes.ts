import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { GraphQLError } from 'graphql';

export const UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE';

/** Codes that say the request itself is wrong: HTTP 400 whatever the client accepts. */
const REQUEST_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'BAD_USER_INPUT', 'PERSISTED_QUERY_NOT_FOUND', 'OPERATION_LIMIT_EXCEEDED']);

type ErrorLike = Pick<GraphQLError, 'message' | 'locations' | 'path' | 'extensions'>;

/** graphql-js reports a variable it cannot coerce as `Variable "$x" got invalid value …` / `… was not provided.`, with no code. */
function codeFor(error: ErrorLike): string | undefined {
  const code = error.extensions?.code;
  if (typeof code === 'string') return code;
  if (/^Variable "\$[^"]+" /.test(error.message) && !error.path) return 'BAD_USER_INPUT';
  return undefined;
}

/**
 * Every error a client can cause carries an `extensions.code` and an HTTP status that says so:
 * parse (`GRAPHQL_PARSE_FAILED`), validation (`GRAPHQL_VALIDATION_FAILED`), variables that do not
 * fit their type (`BAD_USER_INPUT`), malformed JSON and missing query (`BAD_REQUEST`) answer 400;
 * a body in a content type the gateway does not read answers 415 `UNSUPPORTED_MEDIA_TYPE` (Yoga
 * answers that one with an empty body).
 */
export function useRequestErrorCodes(): GatewayPlugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || !('errors' in result) || !result.errors?.length) return;
      let changed = false;
      const errors = (result.errors as readonly ErrorLike[]).map((error) => {
        const code = codeFor(error);
        if (!code || !REQUEST_ERROR_CODES.has(code)) return error;
        // Yoga marks spec errors `http.spec`, which it answers 200 to application/json clients.
        const http = error.extensions?.http as { status?: number; spec?: boolean } | undefined;
        if (error.extensions?.code === code && http?.status && !http.spec) return error;
        changed = true;
        return { message: error.message, locations: error.locations, path: error.path, extensions: { ...error.extensions, code, http: { status: http?.status ?? 400 } } };
      });
      if (changed) setResult({ ...result, errors } as unknown as typeof result);
    },
    onResponse({ response, setResponse }) {
      if (response.status !== 415) return;
      const body = { errors: [{ message: 'Send the GraphQL request as application/json (POST) or in the query string (GET).', extensions: { code: UNSUPPORTED_MEDIA_TYPE } }] };
      setResponse(new Response(JSON.stringify(body), { status: 415, headers: { 'content-type': 'application/json; charset=utf-8' } }));
    },
  };
}
