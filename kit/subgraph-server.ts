import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApolloServer, HeaderMap, type BaseContext } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { ErrorCode, isPonteError } from './errors.ts';
import { credentialFrom, decodePrincipal, secretMatches, servicePrincipal, type ApiKeyResolver } from './identity.ts';
import { PRINCIPAL_HEADER, type Principal } from './principal.ts';
import { closeGracefully, listenOn } from './graceful-close.ts';
import type { Logger } from './logger.ts';
import { listenHost } from './mode.ts';
import { refuseNulCharacters, refuseNulCharactersOnOperation } from './string-inputs.ts';
import { METRICS_PATH, serveMetrics, type MetricsEndpoint } from './metrics.ts';
import { contextFromHeaders, contextFromTraceparent, recordFailure, SpanKind, startSpan, withSpan, type Span } from './telemetry.ts';

/** The header through which the gateway proves a request came through it. */
export const GATEWAY_SECRET_HEADER = 'x-ponte-gateway-secret';
/** @default /graphql */
export const GRAPHQL_PATH = '/graphql';
const MAX_BODY_BYTES = 1024 * 1024;

export interface HeaderGetter {
  get(name: string): string | null | undefined;
}

/**
 * A plain HTTP endpoint beside /graphql: platform webhooks, which prove themselves by signature,
 * and service-to-service calls, which prove themselves with the gateway secret.
 */
export interface HttpRoute {
  method: 'GET' | 'POST';
  path: string;
  /**
   * Refuse the request with 401 `UNAUTHENTICATED` unless it carries the gateway secret, as /graphql
   * does (internal routes only Ponte's own services may call).
   * @default false
   */
  requiresGatewaySecret?: boolean;
  handle(request: { headers: HeaderGetter; rawBody: Buffer; url: URL }): Promise<HttpRouteAnswer>;
}

/**
 * A route's answer: `body` sent as JSON, or `stream` sent as it is produced (large exports), with
 * backpressure, under the route's own `content-type`.
 */
export type HttpRouteAnswer =
  | { status: number; body?: unknown; headers?: Record<string, string>; stream?: undefined }
  | { status: number; stream: AsyncIterable<string | Buffer>; headers: Record<string, string>; body?: undefined };

export interface SubgraphServerOptions<Context extends BaseContext> {
  name: string;
  schema: GraphQLSchema;
  /**
   * Builds the per-request (or, for WebSockets, per-operation) context, with the caller the
   * request was authenticated as (undefined only when no gateway secret is configured).
   */
  context: (headers: HeaderGetter, principal: Principal | undefined) => Context | Promise<Context>;
  /** Resolves when the service can serve (database reachable); rejects with the reason otherwise. */
  readiness: () => Promise<void>;
  log: Logger;
  /**
   * Shared secret the gateway sends in `x-ponte-gateway-secret`; requests without it are
   * refused with 401 UNAUTHENTICATED. Unset disables the check (local development only).
   */
  gatewaySecret?: string | undefined;
  /**
   * Service keys: a request without the gateway secret is accepted when it carries
   * `Authorization: Bearer <key>` of a `service` principal (a platform subgraph calling the
   * inventory). Unset: only the gateway secret is accepted.
   */
  apiKeys?: ApiKeyResolver | undefined;
  /** Extra endpoints: webhook receivers, and internal routes that declare `requiresGatewaySecret`. */
  routes?: HttpRoute[];
  /** Called on shutdown after the servers stop accepting work. */
  onClose?: () => Promise<void>;
  /** `GET /metrics` (kit/metrics.ts): this instance's registry, for keys with `metrics:read`. */
  metrics?: Omit<MetricsEndpoint, 'log'>;
}

export interface SubgraphServer {
  readonly apollo: ApolloServer<BaseContext>;
  readonly httpServer: Server;
  /**
   * Listens on `port` (0 picks a free one) and `host` (default `listenHost()`: HOST, else
   * 127.0.0.1); resolves to the GraphQL URL at the address really bound.
   */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/** The principal of a request that proves it came from the gateway but names no caller: the gateway's own stock feed. */
export const GATEWAY_PRINCIPAL: Principal = servicePrincipal('gateway');

type Authentication = { principal: Principal | undefined } | { refused: string };

/**
 * Who sent a request to a subgraph. With the gateway secret: the principal the gateway verified
 * (`x-ponte-principal`), or the gateway itself when it names none. Without it: a service key in
 * `Authorization: Bearer`, which must resolve to a `service` principal — other roles go through
 * the gateway, where their scopes are checked. Anything else is refused.
 */
async function authenticate(headers: HeaderGetter, options: { name: string; gatewaySecret?: string | undefined; apiKeys?: ApiKeyResolver | undefined }): Promise<Authentication> {
  const fromGateway = !options.gatewaySecret || secretMatches(options.gatewaySecret, headers.get(GATEWAY_SECRET_HEADER));
  const forwarded = headers.get(PRINCIPAL_HEADER);
  if (fromGateway && forwarded) {
    const principal = decodePrincipal(forwarded);
    return principal ? { principal } : { refused: `${PRINCIPAL_HEADER} is not a valid principal` };
  }
  const credential = credentialFrom(headers);
  if (credential && options.apiKeys) {
    const principal = await options.apiKeys.resolve(credential);
    if (principal?.role === 'service') return { principal };
    if (!fromGateway) return { refused: principal ? `${options.name} accepts service keys only; call it through the Ponte gateway` : 'Invalid service key' };
  }
  if (fromGateway) return { principal: options.gatewaySecret ? GATEWAY_PRINCIPAL : undefined };
  return { refused: `${options.name} accepts requests from the Ponte gateway or a Ponte service only` };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

async function readBody(req: IncomingMessage): Promise<string> {
  return (await readRawBody(req)).toString('utf8');
}

async function readRawBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw Object.assign(new Error('Request body too large'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * An Apollo Server subgraph on Node's http module, with graphql-ws on the same path for
 * subscriptions, health endpoints, and the gateway secret checked on every request.
 * Built here, listened on by each subgraph's `main.ts`, and by tests on port 0.
 */
export async function createSubgraphServer<Context extends BaseContext>(options: SubgraphServerOptions<Context>): Promise<SubgraphServer> {
  const log = options.log.child({ component: 'http' });
  const httpServer = createServer();
  const wsServer = new WebSocketServer({ noServer: true });
  const development = process.env.NODE_ENV === 'development';

  const apollo = new ApolloServer<BaseContext>({
    schema: options.schema,
    includeStacktraceInErrorResponses: development,
    // Ponte's gateway does not read Apollo's federated traces; computing them costs every request.
    plugins: [ApolloServerPluginInlineTraceDisabled(), refuseNulCharacters()],
    formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
      const original = unwrapResolverError(error);
      if (isPonteError(original) || formatted.extensions?.['code'] !== ErrorCode.INTERNAL_SERVER_ERROR) return formatted;
      // Unexpected: log the cause, tell the caller only that it happened.
      log.error({ err: original, path: formatted.path }, 'unexpected error in resolver');
      return development ? formatted : { message: 'Internal server error', path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
    },
  });
  await apollo.start();

  // The principal each WebSocket was authenticated as on upgrade, for its operations' contexts.
  const socketPrincipals = new WeakMap<IncomingMessage, Principal | undefined>();
  // One socket carries many operations, so the gateway sends each one's `traceparent` in the
  // subscribe message's extensions; the span covers setting the operation up.
  const operationSpans = new WeakMap<object, Map<string, Span>>();
  const endOperationSpan = (ctx: object, id: string, error?: unknown) => {
    const span = operationSpans.get(ctx)?.get(id);
    if (!span) return;
    operationSpans.get(ctx)!.delete(id);
    if (error) recordFailure(span, error);
    span.end();
  };
  const wsCleanup = useServer(
    {
      schema: options.schema,
      onSubscribe: (ctx, id, payload) => {
        const traceparent = payload.extensions?.['traceparent'];
        const span = startSpan(`graphql-ws ${payload.operationName ?? 'operation'}`, {
          kind: SpanKind.SERVER,
          parent: contextFromTraceparent(typeof traceparent === 'string' ? traceparent : undefined),
          attributes: { 'ponte.service': options.name, 'graphql.operation.name': payload.operationName ?? '' },
        });
        if (!operationSpans.has(ctx)) operationSpans.set(ctx, new Map());
        operationSpans.get(ctx)!.set(id, span);
      },
      context: (ctx) => {
        const request = (ctx.extra as { request: IncomingMessage }).request;
        return options.context({ get: (name) => headerValue(request.headers[name.toLowerCase()]) }, socketPrincipals.get(request));
      },
      onOperation: (ctx, id, _payload, execArgs, result) => {
        endOperationSpan(ctx, id);
        return refuseNulCharactersOnOperation(execArgs, result);
      },
      onError: (ctx, id, _payload, errors) => {
        endOperationSpan(ctx, id, errors[0]);
        log.warn({ errors }, 'subscription error');
      },
      onComplete: (ctx, id) => endOperationSpan(ctx, id),
    },
    wsServer,
  );

  httpServer.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://subgraph');
    const refuse = () => socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    if (url.pathname !== GRAPHQL_PATH) return refuse();
    authenticate({ get: (name) => headerValue(req.headers[name.toLowerCase()]) }, options).then(
      (authentication) => {
        if ('refused' in authentication) return refuse();
        socketPrincipals.set(req, authentication.principal);
        wsServer.handleUpgrade(req, socket, head, (ws) => wsServer.emit('connection', ws, req));
      },
      (error: unknown) => {
        log.error({ err: error }, 'cannot authenticate a WebSocket upgrade');
        socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      },
    );
  });

  httpServer.on('request', (req, res) => {
    void handle(req, res).catch((error: unknown) => {
      const status = (error as { status?: number }).status ?? 500;
      if (status >= 500) log.error({ err: error }, 'request failed');
      if (!res.headersSent) sendJson(res, status, { errors: [{ message: status === 413 ? 'Request body too large' : 'Internal server error', extensions: { code: status === 413 ? 'PAYLOAD_TOO_LARGE' : ErrorCode.INTERNAL_SERVER_ERROR } }] });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://subgraph');
    if (url.pathname === '/healthcheck') return sendJson(res, 200, { status: 'ok', service: options.name });
    if (url.pathname === '/readiness') {
      try {
        await options.readiness();
        return sendJson(res, 200, { status: 'ready', service: options.name });
      } catch (error) {
        return sendJson(res, 503, { status: 'unavailable', service: options.name, reason: (error as Error).message });
      }
    }
    if (url.pathname === METRICS_PATH && options.metrics) return serveMetrics(req, res, { ...options.metrics, log });
    // Everything past the health checks continues the caller's trace (`traceparent`), or starts one.
    const headerOf = (name: string) => headerValue(req.headers[name]);
    await withSpan(
      `${req.method ?? 'GET'} ${url.pathname}`,
      { kind: SpanKind.SERVER, parent: contextFromHeaders(headerOf), attributes: { 'ponte.service': options.name, 'http.request.method': req.method ?? 'GET', 'url.path': url.pathname } },
      async (span) => {
        await serve(req, res, url, span);
        span.setAttribute('http.response.status_code', res.statusCode);
      },
    );
  }

  async function serve(req: IncomingMessage, res: ServerResponse, url: URL, span: Span): Promise<void> {
    const route = options.routes?.find((candidate) => candidate.path === url.pathname && candidate.method === req.method);
    if (route) {
      if (route.requiresGatewaySecret && options.gatewaySecret && !secretMatches(options.gatewaySecret, headerValue(req.headers[GATEWAY_SECRET_HEADER]))) {
        return sendJson(res, 401, { error: { code: ErrorCode.UNAUTHENTICATED, message: `${route.path} accepts requests from Ponte's own services only` } });
      }
      const rawBody = await readRawBody(req);
      const answer = await route.handle({ headers: { get: (name) => headerValue(req.headers[name.toLowerCase()]) }, rawBody, url });
      if (answer.stream) {
        res.writeHead(answer.status, answer.headers);
        // A failure once the first bytes are out cannot become an error status: the connection is cut instead.
        await pipeline(Readable.from(answer.stream), res);
        return;
      }
      const payload = answer.body === undefined ? '' : JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
      res.end(payload);
      return;
    }
    if (url.pathname !== GRAPHQL_PATH) return sendJson(res, 404, { errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }] });
    const authentication = await authenticate({ get: (name) => headerValue(req.headers[name.toLowerCase()]) }, options);
    if ('refused' in authentication) {
      return sendJson(res, 401, { errors: [{ message: authentication.refused, extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } }] });
    }

    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    let body: unknown = undefined;
    if (req.method === 'POST') {
      const raw = await readBody(req);
      try {
        body = raw.length > 0 ? JSON.parse(raw) : undefined;
        const operationName = (body as { operationName?: unknown } | undefined)?.operationName;
        if (typeof operationName === 'string') span.setAttribute('graphql.operation.name', operationName);
      } catch {
        return sendJson(res, 400, { errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
      }
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body },
      context: async () => options.context(headers, authentication.principal),
    });
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  return {
    apollo,
    httpServer,
    listen: (port = 0, host = listenHost()) => listenOn(httpServer, port, host, GRAPHQL_PATH),
    async close() {
      await closeGracefully(httpServer, wsServer, () => wsCleanup.dispose());
      await apollo.stop();
      await options.onClose?.();
    },
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
