/**
 * WooCommerce REST API authentication: consumer key/secret by HTTP Basic or query string, or
 * OAuth 1.0a one-legged request signing (HMAC-SHA1 or HMAC-SHA256, key = secret + "&"),
 * with WooCommerce's timestamp window and nonce replay check. Error codes and messages are
 * WooCommerce's own.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { header } from '../common/http.ts';
import type { SandboxRequest } from '../common/http.ts';

export interface WooApiKey {
  consumerKey: string;
  consumerSecret: string;
  permissions: 'read' | 'write' | 'read_write';
}

export type WooAuthResult = { ok: true; key: WooApiKey } | { ok: false; status: 401; code: string; message: string } | { ok: false; anonymous: true };

/** WooCommerce rejects OAuth timestamps older than this. */
export const OAUTH_TIMESTAMP_WINDOW_SECONDS = 15 * 60;

/** RFC 3986 percent-encoding, as OAuth 1.0a requires. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The OAuth 1.0a signature base string of a request (RFC 5849 §3.4.1). */
export function signatureBaseString(method: string, baseUrl: string, params: Array<[string, string]>): string {
  const normalised = params
    .filter(([key]) => key !== 'oauth_signature')
    .map(([key, value]) => [percentEncode(key), percentEncode(value)] as const)
    .sort(([leftKey, leftValue], [rightKey, rightValue]) => (leftKey === rightKey ? compareStrings(leftValue, rightValue) : compareStrings(leftKey, rightKey)))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  return `${method.toUpperCase()}&${percentEncode(baseUrl)}&${percentEncode(normalised)}`;
}

export function oauthSignature(algorithm: 'sha1' | 'sha256', baseString: string, consumerSecret: string): string {
  return createHmac(algorithm, `${percentEncode(consumerSecret)}&`).update(baseString).digest('base64');
}

export class WooAuthenticator {
  readonly #keys: WooApiKey[];
  readonly #now: () => number;
  readonly #usedNonces = new Map<string, number>();

  constructor(keys: WooApiKey[], now: () => number) {
    this.#keys = keys;
    this.#now = now;
  }

  authenticate(request: SandboxRequest): WooAuthResult {
    const authorization = header(request, 'authorization');
    if (authorization?.startsWith('Basic ')) {
      const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
      const separator = decoded.indexOf(':');
      return this.#checkSecret(decoded.slice(0, separator), decoded.slice(separator + 1));
    }
    const query = request.url.searchParams;
    if (query.has('consumer_key') && query.has('consumer_secret')) return this.#checkSecret(query.get('consumer_key') ?? '', query.get('consumer_secret') ?? '');
    const oauthParams = this.#oauthParams(request);
    if (oauthParams) return this.#checkOAuth(request, oauthParams);
    return { ok: false, anonymous: true };
  }

  #checkSecret(consumerKey: string, consumerSecret: string): WooAuthResult {
    const key = this.#keys.find((candidate) => candidate.consumerKey === consumerKey);
    if (!key) return fail('Consumer key is invalid.');
    if (!safeEqual(key.consumerSecret, consumerSecret)) return fail('Consumer secret is invalid.');
    return { ok: true, key };
  }

  /** OAuth parameters come from the query string or an `Authorization: OAuth ...` header. */
  #oauthParams(request: SandboxRequest): Map<string, string> | undefined {
    const params = new Map<string, string>();
    for (const [key, value] of request.url.searchParams) if (key.startsWith('oauth_')) params.set(key, value);
    const authorization = header(request, 'authorization');
    if (authorization?.startsWith('OAuth ')) {
      for (const match of authorization.slice(6).matchAll(/([a-z_]+)="([^"]*)"/g)) params.set(match[1] as string, decodeURIComponent(match[2] as string));
    }
    return params.size > 0 ? params : undefined;
  }

  #checkOAuth(request: SandboxRequest, oauth: Map<string, string>): WooAuthResult {
    const required = ['oauth_consumer_key', 'oauth_timestamp', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method'];
    const missing = required.filter((name) => !oauth.get(name));
    if (missing.length > 0) return fail(`Missing OAuth parameter(s) ${missing.join(', ')}`);
    const key = this.#keys.find((candidate) => candidate.consumerKey === oauth.get('oauth_consumer_key'));
    if (!key) return fail('Consumer key is invalid.');

    const method = oauth.get('oauth_signature_method');
    if (method !== 'HMAC-SHA1' && method !== 'HMAC-SHA256') return fail('Invalid signature - signature method is invalid.');
    // PHP's $_GET keeps the last value of a repeated key, and WooCommerce signs over $_GET:
    // the official JS client repeats its query parameters among the OAuth ones, so this matters.
    const query = new Map<string, string>(request.url.searchParams);
    for (const [name, value] of oauth) if (!query.has(name)) query.set(name, value);
    const params: Array<[string, string]> = [...query];
    // The client signs the address it called; the Host header tells which one that was.
    const baseUrl = `http://${header(request, 'host') ?? request.url.host}${request.path}`;
    const expected = oauthSignature(method === 'HMAC-SHA1' ? 'sha1' : 'sha256', signatureBaseString(request.method, baseUrl, params), key.consumerSecret);
    if (!safeEqual(expected, (oauth.get('oauth_signature') ?? '').replace(/ /g, '+'))) return fail('Invalid signature - provided signature does not match.');

    const timestamp = Number(oauth.get('oauth_timestamp'));
    const nowSeconds = Math.floor(this.#now() / 1000);
    if (!Number.isFinite(timestamp) || timestamp < nowSeconds - OAUTH_TIMESTAMP_WINDOW_SECONDS) return fail('Invalid timestamp.');
    const nonceKey = `${key.consumerKey}:${oauth.get('oauth_nonce')}`;
    if (this.#usedNonces.has(nonceKey)) return fail('Invalid nonce - nonce has already been used.');
    this.#usedNonces.set(nonceKey, timestamp);
    this.#forgetOldNonces(nowSeconds);
    return { ok: true, key };
  }

  #forgetOldNonces(nowSeconds: number): void {
    for (const [nonce, timestamp] of this.#usedNonces) if (timestamp < nowSeconds - OAUTH_TIMESTAMP_WINDOW_SECONDS) this.#usedNonces.delete(nonce);
  }
}

function fail(message: string): WooAuthResult {
  return { ok: false, status: 401, code: 'woocommerce_rest_authentication_error', message };
}

function safeEqual(left: string, right: string): boolean {
  const a = Buffer.from(left);
  const b = Buffer.from(right);
  return a.length === b.length && timingSafeEqual(a, b);
}

function compareStrings(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
