import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { ApolloServer, HeaderMap, type BaseContext } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { ErrorCode, isPonteError } from './errors.ts';
import { closeGracefully, listenOn } from './graceful-close.ts';
import type { Logger } from './logger.ts';
import { listenHost } from './mode.ts';
import { refuseNulCharacters, refuseNulCharactersOnOperation } from './string-inputs.ts';

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
  handle(request: { headers: HeaderGetter; rawBody: Buffer; url: URL }): Promise<{ status: number; body?: unknown; headers?: Record<string, string> }>;
}

export interface SubgraphServerOptions<Context extends BaseContext> {
  name: string;
  schema: GraphQLSchema;
  /** Builds the per-request (or, for WebSockets, per-operation) context. */
  context: (headers: HeaderGetter) => Context | Promise<Context>;
  /** Resolves when the service can serve (database reachable); rejects with the reason otherwise. */
  readiness: () => Promise<void>;
  log: Logger;
  /**
   * Shared secret the gateway sends in `x-ponte-gateway-secret`; requests without it are
   * refused with 401 UNAUTHENTICATED. Unset disables the check (local development only).
   */
  gatewaySecret?: string | undefined;
  /** Extra endpoints: webhook receivers, and internal routes that declare `requiresGatewaySecret`. */
  routes?: HttpRoute[];
  /** Called on shutdown after the servers stop accepting work. */
  onClose?: () => Promise<void>;
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

function secretMatches(expected: string | undefined, given: unknown): boolean {
  if (!expected) return true;
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
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

  const wsCleanup = useServer(
    {
      schema: options.schema,
      context: (ctx) => {
        const request = (ctx.extra as { request: IncomingMessage }).request;
        return options.context({ get: (name) => headerValue(request.headers[name.toLowerCase()]) });
      },
      onOperation: (_ctx, _id, _payload, execArgs, result) => refuseNulCharactersOnOperation(execArgs, result),
      onError: (_ctx, _id, _payload, errors) => {
        log.warn({ errors }, 'subscription error');
      },
    },
    wsServer,
  );

  httpServer.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://subgraph');
    if (url.pathname !== GRAPHQL_PATH || !secretMatches(options.gatewaySecret, req.headers[GATEWAY_SECRET_HEADER])) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    wsServer.handleUpgrade(req, socket, head, (ws) => wsServer.emit('connection', ws, req));
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
    const route = options.routes?.find((candidate) => candidate.path === url.pathname && candidate.method === req.method);
    if (route) {
      if (route.requiresGatewaySecret && !secretMatches(options.gatewaySecret, req.headers[GATEWAY_SECRET_HEADER])) {
        return sendJson(res, 401, { error: { code: ErrorCode.UNAUTHENTICATED, message: `${route.path} accepts requests from Ponte's own services only` } });
      }
      const rawBody = await readRawBody(req);
      const answer = await route.handle({ headers: { get: (name) => headerValue(req.headers[name.toLowerCase()]) }, rawBody, url });
      const payload = answer.body === undefined ? '' : JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
      res.end(payload);
      return;
    }
    if (url.pathname !== GRAPHQL_PATH) return sendJson(res, 404, { errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }] });
    if (!secretMatches(options.gatewaySecret, req.headers[GATEWAY_SECRET_HEADER])) {
      return sendJson(res, 401, { errors: [{ message: `${options.name} accepts requests from the Ponte gateway only`, extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } }] });
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
      } catch {
        return sendJson(res, 400, { errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
      }
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body },
      context: async () => options.context(headers),
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
