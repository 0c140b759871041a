import type { Transport, TransportGetSubgraphExecutorOptions } from '@graphql-mesh/transport-common';
import { createGraphQLError, type ExecutionRequest, type ExecutionResult } from '@graphql-tools/utils';
import {
  getNamedType,
  getOperationAST,
  isObjectType,
  Kind,
  OperationTypeNode,
  print,
  type DocumentNode,
  type FieldNode,
  type GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValueNode,
} from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { setTimeout as wait } from 'node:timers/promises';
import { retryDelayMs } from '../kit/backoff.ts';
import { endsOnReturn } from '../kit/outbox-relay.ts';
import type { Logger } from '../kit/logger.ts';
import { SUBGRAPH_UNAVAILABLE } from './plugins/use-subgraph-isolation.ts';

/** The argument a subgraph's subscription field takes to resume after an event (`stockChanged(after:)`). */
export const RESUME_ARGUMENT = 'after';
/** The variable and the response key the gateway adds to a subgraph subscription to follow its position. */
const RESUME_VARIABLE = 'ponteResumeAfter';
const RESUME_KEY = 'ponteResumeId';

export interface ResumableSubscriptionsOptions {
  /**
   * Connection attempts in a row, after a subgraph's socket is lost, before its subscribers are
   * told it is unavailable (the first comes at once, the next after exponential backoff).
   * @default 8 (about 25 s with the default delays)
   */
  maxAttempts?: number;
  /** @default 250 */
  baseDelayMs?: number;
  /** @default 5000 */
  maxDelayMs?: number;
  log?: Logger | undefined;
}

/**
 * The gateway's WebSocket transport to its subgraphs (`kind: 'ws'`), which resumes a subscription
 * where it left off when its socket is lost (a subgraph replica killed, a balancer restarted).
 *
 * Hive Gateway's own ws transport (@graphql-mesh/transport-ws, over graphql-ws) reconnects and
 * sends the subscription again as it was first sent: the events committed while no socket was open
 * are lost to every subscriber, who are told nothing (the replicas test lost some of a storm's
 * stock events whenever the inventory replica under a gateway was killed). Here, a subscription
 * whose subgraph field takes `after: ID` and whose events carry `id` (the inventory's
 * `stockChanged`) is sent with the id of the last event received, and the subgraph replays what
 * was committed since before going live; the gateway selects `id` itself (under its own response
 * key, removed before the event goes on), so the client's selection is unchanged. Other
 * subscriptions are sent again as they were, as before. graphql-ws still does the protocol; its
 * own retries are off because they resend the first message unchanged.
 *
 * When the subgraph stays away for `maxAttempts` connections, each subscriber gets one error with
 * `SUBGRAPH_UNAVAILABLE` and its subscription ends: it is not left open and silent.
 */
export function resumableWsTransport(options: ResumableSubscriptionsOptions = {}): Transport {
  const maxAttempts = options.maxAttempts ?? 8;
  const delays = { baseMs: options.baseDelayMs ?? 250, maxMs: options.maxDelayMs ?? 5000 };
  return {
    getSubgraphExecutor({ transportEntry, subgraph, subgraphName }: TransportGetSubgraphExecutorOptions) {
      const url = toWebSocketUrl(transportEntry.location ?? '');
      const headers = Object.fromEntries((transportEntry.headers ?? []) as Array<[string, string]>);
      const log = options.log?.child({ component: 'resumable-subscriptions', subgraph: subgraphName });
      // One socket per subgraph, opened with the first subscription and closed 3 s after the last.
      const client: Client = createClient({
        url,
        webSocketImpl: class extends WebSocket {
          constructor(address: string, protocols?: string | string[]) {
            super(address, protocols, { headers });
          }
        },
        lazy: true,
        lazyCloseTimeout: 3000,
        retryAttempts: 0,
      });
      const plans = new WeakMap<DocumentNode, ResumePlan | null>();
      const executor = (request: ExecutionRequest) => {
        const operation = getOperationAST(request.document, request.operationName);
        if (operation?.operation !== OperationTypeNode.SUBSCRIPTION) return firstResult(client, request);
        let plan = plans.get(request.document);
        if (plan === undefined) {
          plan = resumePlan(subgraph, operation, request.document);
          plans.set(request.document, plan);
        }
        return follow({ client, request, plan, maxAttempts, delays, log, subgraphName });
      };
      return Object.assign(executor, { [Symbol.asyncDispose]: () => client.dispose() });
    },
  };
}

interface ResumePlan {
  /** The subscription as sent: the resume argument on its field, `id` selected under RESUME_KEY. */
  document: DocumentNode;
  /** The root field's response key, where each event's data is. */
  responseKey: string;
  /** The variable the resume point is sent in. */
  variable: string;
  /** Where the caller's own `after`, if it gave one, is read from (a literal or a variable). */
  callerAfter: ValueNode | undefined;
}

/** How a subscription is made resumable, or null when its subgraph field cannot resume. */
function resumePlan(subgraph: GraphQLSchema, operation: OperationDefinitionNode, document: DocumentNode): ResumePlan | null {
  const [selection, ...more] = operation.selectionSet.selections;
  if (!selection || more.length > 0 || selection.kind !== Kind.FIELD) return null;
  const field = subgraph.getSubscriptionType()?.getFields()[selection.name.value];
  const argument = field?.args.find((arg) => arg.name === RESUME_ARGUMENT);
  const eventType = field ? getNamedType(field.type) : undefined;
  if (!argument || getNamedType(argument.type).name !== 'ID' || !isObjectType(eventType) || !eventType.getFields()['id']) return null;
  if (!selection.selectionSet || selection.selectionSet.selections.some((s) => s.kind === Kind.FIELD && (s.alias ?? s.name).value === RESUME_KEY)) return null;
  if (operation.variableDefinitions?.some((definition) => definition.variable.name.value === RESUME_VARIABLE)) return null;

  const callerAfter = selection.arguments?.find((arg) => arg.name.value === RESUME_ARGUMENT)?.value;
  // The caller's own variable carries the resume point when it gave one; otherwise one of ours.
  const variable = callerAfter?.kind === Kind.VARIABLE ? callerAfter.name.value : RESUME_VARIABLE;
  const resumable: FieldNode = {
    ...selection,
    arguments: [
      ...(selection.arguments ?? []).filter((arg) => arg.name.value !== RESUME_ARGUMENT),
      { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: RESUME_ARGUMENT }, value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: variable } } },
    ],
    selectionSet: {
      ...selection.selectionSet,
      selections: [...selection.selectionSet.selections, { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: RESUME_KEY }, name: { kind: Kind.NAME, value: 'id' } }],
    },
  };
  const rewritten: OperationDefinitionNode = {
    ...operation,
    variableDefinitions:
      variable === RESUME_VARIABLE
        ? [
            ...(operation.variableDefinitions ?? []),
            { kind: Kind.VARIABLE_DEFINITION, variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: RESUME_VARIABLE } }, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } },
          ]
        : operation.variableDefinitions,
    selectionSet: { ...operation.selectionSet, selections: [resumable] },
  };
  return {
    document: { ...document, definitions: document.definitions.map((definition) => (definition === operation ? rewritten : definition)) },
    responseKey: (selection.alias ?? selection.name).value,
    variable,
    callerAfter,
  };
}

interface Follow {
  client: Client;
  request: ExecutionRequest;
  plan: ResumePlan | null;
  maxAttempts: number;
  delays: { baseMs: number; maxMs: number };
  log: Logger | undefined;
  subgraphName: string;
}

/**
 * One subscription to a subgraph, across as many sockets as it takes. Its return() ends it at once,
 * even while it waits for an event or for the next attempt (`endsOnReturn`: an async generator's
 * own return() would wait for the next event, on a quiet feed forever).
 */
function follow({ client, request, plan, maxAttempts, delays, log, subgraphName }: Follow): AsyncGenerator<ExecutionResult> {
  let after = plan ? initialAfter(plan, request.variables) : undefined;
  const payload = () => ({
    query: print(plan?.document ?? request.document),
    variables: plan ? { ...request.variables, [plan.variable]: after ?? null } : request.variables,
    operationName: request.operationName,
    extensions: request.extensions,
  });

  const events = endsOnReturn(async function* (stop): AsyncGenerator<ExecutionResult> {
    let current: AsyncIterator<ExecutionResult> | undefined;
    stop.addEventListener('abort', () => void current?.return?.(), { once: true });
    let failures = 0;
    for (;;) {
      if (stop.aborted) return;
      current = client.iterate(payload())[Symbol.asyncIterator]() as AsyncIterator<ExecutionResult>;
      try {
        for (let next = await current.next(); !next.done; next = await current.next()) {
          failures = 0;
          const result = withGraphQLErrors(next.value);
          yield plan ? takePosition(result, plan, (id) => (after = id)) : result;
        }
        return;
      } catch (error) {
        // The subgraph refused the operation (GraphQL errors): its answer goes to the subscriber.
        if (Array.isArray(error)) {
          yield withGraphQLErrors({ errors: error });
          return;
        }
        if (stop.aborted) return;
        failures++;
        const reason = describe(error);
        if (!isConnectionLoss(error) || failures >= maxAttempts) {
          log?.error({ reason, failures }, 'subgraph subscription lost');
          yield { errors: [createGraphQLError(`The ${subgraphName} subgraph's subscription was lost (${reason}); subscribe again.`, { extensions: { code: SUBGRAPH_UNAVAILABLE, subgraph: subgraphName } })] };
          return;
        }
        log?.warn({ reason, failures, resumeAfter: after ?? null }, plan ? 'subgraph subscription lost: resuming' : 'subgraph subscription lost: subscribing again');
        // Aborted when the subscriber leaves meanwhile: the loop then ends at its top.
        if (failures > 1) await wait(retryDelayMs(failures - 1, delays), undefined, { signal: stop }).catch(() => undefined);
      }
    }
  });
  (request.signal ?? request.info?.signal)?.addEventListener('abort', () => void events.return(undefined), { once: true });
  return events;
}

/**
 * Errors as GraphQLError instances: the wire gives plain objects, which the gateway's error
 * handling does not recognise and masks as "Unexpected error.", so a subgraph's BAD_USER_INPUT
 * never reached the subscriber.
 */
function withGraphQLErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  const errors = (result.errors as ReadonlyArray<{ message: string; path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown> }>).map((error) =>
    error instanceof Error ? (error as GraphQLError) : createGraphQLError(error.message, { path: error.path, extensions: error.extensions ?? {} }),
  );
  return { ...result, errors };
}

/** The event with the gateway's own `id` selection taken out, its id noted as the resume point. */
function takePosition(result: ExecutionResult, plan: ResumePlan, note: (id: string) => void): ExecutionResult {
  const event = result.data?.[plan.responseKey] as Record<string, unknown> | null | undefined;
  if (!event || !(RESUME_KEY in event)) return result;
  const { [RESUME_KEY]: id, ...rest } = event;
  if (typeof id === 'string') note(id);
  return { ...result, data: { ...result.data, [plan.responseKey]: rest } };
}

function initialAfter(plan: ResumePlan, variables: Record<string, unknown> | undefined): string | undefined {
  const value = plan.callerAfter;
  if (!value) return undefined;
  if (value.kind === Kind.STRING || value.kind === Kind.INT) return value.value;
  if (value.kind === Kind.VARIABLE) {
    const given = variables?.[value.name.value];
    return given == null ? undefined : String(given);
  }
  return undefined;
}

async function firstResult(client: Client, request: ExecutionRequest): Promise<ExecutionResult> {
  const iterator = client.iterate({ query: print(request.document), variables: request.variables, operationName: request.operationName, extensions: request.extensions })[Symbol.asyncIterator]();
  try {
    const { value } = await iterator.next();
    return value as ExecutionResult;
  } finally {
    await iterator.return?.();
  }
}

/**
 * A socket that closed or never opened, as opposed to a subgraph that refused us: graphql-ws closes
 * with 4400–4499 for a bad request, a refused connection (4403) or a protocol fault, which a new
 * socket would meet again. 4499 is its own "terminated" (a frozen socket), worth a new one.
 */
function isConnectionLoss(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'number') return code < 4400 || code === 4499 || code >= 4500;
  return true;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  const event = error as { code?: unknown; reason?: unknown; type?: unknown } | null;
  if (event && typeof event.code === 'number') return `socket closed with ${event.code}${event.reason ? ` ${String(event.reason)}` : ''}`;
  if (event && typeof event.type === 'string') return `socket ${event.type}`;
  return String(error);
}

function toWebSocketUrl(location: string): string {
  return location.replace(/^http(s?):\/\//, 'ws$1://');
}
