/**
 * HTTP plumbing shared by every sandbox: a request shape that handlers can read without
 * touching node:http, a response shape they return, and a small path router.
 *
 * Handlers return a `SandboxResponse` instead of writing to the socket so that the server
 * can log every call (status, rate-limit verdict) in one place.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface SandboxRequest {
  method: string;
  url: URL;
  /** Path without the query string, e.g. `/items/MLB1234567890`. */
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** Path parameters captured by the router (`:id` segments), already URI-decoded. */
  params: Record<string, string>;
}

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON unless it is a string or Buffer. `undefined` sends no body. */
  body?: unknown;
  /** Set when the call was refused (or throttled) by the platform's rate limit. */
  rateLimited?: boolean;
}

/** Thrown by handlers to answer with a platform-shaped error body. */
export class SandboxHttpError extends Error {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;

  constructor(status: number, body: unknown, headers: Record<string, string> = {}) {
    super(`HTTP ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`);
    this.name = 'SandboxHttpError';
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SandboxResponse {
  return { status, body, headers };
}

/** First value of a header, whatever its case in the request. */
export function header(request: Pick<SandboxRequest, 'headers'>, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Parses the body as JSON; `undefined` for an empty body, throws `SyntaxError` on bad JSON. */
export function parseJsonBody(request: Pick<SandboxRequest, 'rawBody'>): unknown {
  if (request.rawBody.length === 0) return undefined;
  return JSON.parse(request.rawBody.toString('utf8'));
}

/** Parses `application/x-www-form-urlencoded` or JSON, as token endpoints accept both. */
export function parseFormOrJson(request: Pick<SandboxRequest, 'rawBody' | 'headers'>): Record<string, string> {
  const text = request.rawBody.toString('utf8');
  const contentType = header(request, 'content-type') ?? '';
  if (contentType.includes('application/json')) {
    const parsed: unknown = text ? JSON.parse(text) : {};
    const fields: Record<string, string> = {};
    if (parsed && typeof parsed === 'object') {
      for (const [key, value] of Object.entries(parsed)) fields[key] = String(value);
    }
    return fields;
  }
  return Object.fromEntries(new URLSearchParams(text));
}

/** A route's answer: a `SandboxResponse` by default; a platform may route to plain bodies instead. */
export type RouteHandler<Context, Result = SandboxResponse> = (request: SandboxRequest, context: Context) => Promise<Result> | Result;

interface Route<Context, Result> {
  method: string;
  segments: string[];
  handler: RouteHandler<Context, Result>;
}

/**
 * Matches `METHOD /literal/:param` patterns. Routes are tried in the order they were added;
 * `match` tells apart "no such path" (404) from "path exists, wrong method" (405), because
 * platforms answer those two differently.
 */
export class Router<Context, Result = SandboxResponse> {
  readonly #routes: Route<Context, Result>[] = [];

  add(method: string, pattern: string, handler: RouteHandler<Context, Result>): this {
    this.#routes.push({ method: method.toUpperCase(), segments: splitPath(pattern), handler });
    return this;
  }

  match(method: string, path: string): { handler: RouteHandler<Context, Result>; params: Record<string, string> } | 'method-not-allowed' | undefined {
    const segments = splitPath(path);
    let pathMatched = false;
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      pathMatched = true;
      if (route.method === method.toUpperCase()) return { handler: route.handler, params };
    }
    return pathMatched ? 'method-not-allowed' : undefined;
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment.length > 0);
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let index = 0; index < pattern.length; index++) {
    const expected = pattern[index] as string;
    const value = actual[index] as string;
    if (expected.startsWith(':')) {
      try {
        params[expected.slice(1)] = decodeURIComponent(value);
      } catch {
        return undefined;
      }
    } else if (expected !== value) {
      return undefined;
    }
  }
  return params;
}
