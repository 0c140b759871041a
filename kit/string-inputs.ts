import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, visit, type ASTNode, type DocumentNode, type ExecutionArgs } from 'graphql';
import { ErrorCode } from './errors.ts';

/**
 * PostgreSQL's text type cannot hold the NUL character (U+0000): a string carrying one, stored or
 * merely compared in SQL, fails with "invalid byte sequence" and surfaced as INTERNAL_SERVER_ERROR.
 * No SKU, id, reference or reason has a use for it, so every subgraph refuses it before execution,
 * in variables and in literals alike, with BAD_USER_INPUT naming where it was.
 */
const NUL = '\u0000';

/** The path of the first string holding a NUL in `value` (`input.lines[0].sku`), if any. */
export function nulCharacterPath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? path || '(value)' : undefined;
  if (Array.isArray(value)) {
    for (const [index, each] of value.entries()) {
      const found = nulCharacterPath(each, `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, each] of Object.entries(value)) {
      if (key.includes(NUL)) return path ? `${path}.${key}` : key;
      const found = nulCharacterPath(each, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return undefined;
}

/** The argument (and input field) whose literal string holds a NUL, if any. */
export function nulCharacterInDocument(document: DocumentNode): string | undefined {
  let found: string | undefined;
  visit(document, {
    StringValue(node, _key, parent, _path, ancestors) {
      if (found || !node.value.includes(NUL)) return;
      const names = ([...ancestors, parent] as ReadonlyArray<ASTNode | ReadonlyArray<ASTNode> | undefined>)
        .filter((ancestor) => ancestor !== undefined)
        .filter((ancestor): ancestor is ASTNode => !Array.isArray(ancestor) && 'kind' in ancestor)
        .flatMap((ancestor) => (ancestor.kind === Kind.ARGUMENT || ancestor.kind === Kind.OBJECT_FIELD ? [ancestor.name.value] : []));
      found = names.join('.') || '(literal)';
    },
  });
  return found;
}

function nulCharacterError(where: string): GraphQLError {
  return new GraphQLError(`${where} contains a NUL character (\\u0000), which no Ponte input accepts`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, field: where, http: { status: 400 } },
  });
}

/** For Apollo Server: refuses an operation with a NUL anywhere in its strings, before it runs. */
export function refuseNulCharacters(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        // Documented as the place for validation that needs the parsed operation; the error
        // stops execution, and `http.status` sets the response status.
        // https://www.apollographql.com/docs/apollo-server/integrations/plugins-event-reference#didresolveoperation
        async didResolveOperation({ request, document }) {
          const where = nulCharacterPath(request.variables ?? {}) ?? nulCharacterInDocument(document);
          if (where) throw nulCharacterError(where);
        },
      };
    },
  };
}

/**
 * The same check for graphql-ws, as its `onOperation` hook: graphql-js has set the subscription up
 * but not started it (an async generator's body runs on the first read), so a refused operation is
 * closed before it reads anything and answered with the error instead.
 * https://the-guild.dev/graphql/ws/docs/server/interfaces/ServerOptions (onOperation)
 */
export function refuseNulCharactersOnOperation(execArgs: Pick<ExecutionArgs, 'document' | 'variableValues'>, result: unknown): { errors: GraphQLError[] } | undefined {
  const where = nulCharacterPath(execArgs.variableValues ?? {}) ?? nulCharacterInDocument(execArgs.document);
  if (!where) return undefined;
  const iterator = result as { return?: () => unknown } | null;
  if (iterator && typeof iterator.return === 'function') void Promise.resolve(iterator.return()).catch(() => {});
  return { errors: [nulCharacterError(where)] };
}
