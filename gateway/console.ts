import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';

/**
 * The operator console at `/console`: one page, its script and style, and the front-end
 * libraries it imports (Preact, htm, the graphql-ws browser client) served straight from
 * node_modules through an import map, so there is no build step and it works offline.
 *
 * Everything here is public on purpose, like GraphiQL's assets: none of it holds data. Every
 * datum the page shows comes through the GraphQL API with the operator's own key (which the page
 * asks for and keeps in sessionStorage), so the gateway's scopes decide what it may read or do.
 */

/** @default /console */
export const CONSOLE_PATH = '/console';

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

const JS = 'text/javascript; charset=utf-8';

function asset(body: Buffer | string, type: string): Asset {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return { body: bytes, type, etag: `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 22)}"` };
}

/** A package's ES module file, found the way Node resolves it (hoisted or not). */
function moduleFile(specifier: string): string {
  return fileURLToPath(import.meta.resolve(specifier));
}

const OWN = dirname(fileURLToPath(import.meta.url));

/** The browser's module specifiers, mapped to what the gateway serves. */
export const CONSOLE_IMPORT_MAP = {
  imports: {
    preact: `${CONSOLE_PATH}/vendor/preact.mjs`,
    'preact/hooks': `${CONSOLE_PATH}/vendor/preact-hooks.mjs`,
    htm: `${CONSOLE_PATH}/vendor/htm.mjs`,
    'graphql-ws': `${CONSOLE_PATH}/vendor/graphql-ws/client.js`,
  },
};

function vendorAssets(): Array<[string, Asset]> {
  const graphqlWs = dirname(moduleFile('graphql-ws/client'));
  // The browser client and the shared chunk it imports; none of graphql-ws's server code.
  const graphqlWsFiles = readdirSync(graphqlWs).filter((name) => name === 'client.js' || /^common-[\w-]+\.js$/.test(name));
  return [
    [`${CONSOLE_PATH}/vendor/preact.mjs`, asset(readFileSync(moduleFile('preact')), JS)],
    [`${CONSOLE_PATH}/vendor/preact-hooks.mjs`, asset(readFileSync(moduleFile('preact/hooks')), JS)],
    [`${CONSOLE_PATH}/vendor/htm.mjs`, asset(readFileSync(moduleFile('htm')), JS)],
    ...graphqlWsFiles.map((name): [string, Asset] => [`${CONSOLE_PATH}/vendor/graphql-ws/${name}`, asset(readFileSync(join(graphqlWs, name)), JS)]),
  ];
}

const importMapJson = JSON.stringify(CONSOLE_IMPORT_MAP);
/** The inline import map is the page's only inline script; the policy admits it by its hash. */
const importMapHash = createHash('sha256').update(importMapJson).digest('base64');

/**
 * The page allows only what it needs: its own origin's scripts, styles, fetches and WebSocket,
 * and no framing (clickjacking a console that replays and resolves would be a real attack).
 */
export const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src 'self' 'sha256-${importMapHash}'`,
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function page(): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Ponte · operator console</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${CONSOLE_PATH}/console.css" />
    <script type="importmap">${importMapJson}</script>
    <script type="module" src="${CONSOLE_PATH}/app.js"></script>
  </head>
  <body>
    <noscript>The operator console needs JavaScript.</noscript>
    <div id="app"></div>
  </body>
</html>`;
}

function consoleAssets(): Map<string, Asset> {
  const html = asset(page(), 'text/html; charset=utf-8');
  return new Map<string, Asset>([
    [CONSOLE_PATH, html],
    [`${CONSOLE_PATH}/`, html],
    // The page's own modules (app.js and the views it imports), by name: a file of any other kind is not served.
    ...readdirSync(join(OWN, 'console'))
      .filter((name) => name.endsWith('.js'))
      .map((name): [string, Asset] => [`${CONSOLE_PATH}/${name}`, asset(readFileSync(join(OWN, 'console', name)), JS)]),
    [`${CONSOLE_PATH}/console.css`, asset(readFileSync(join(OWN, 'console', 'console.css')), 'text/css; charset=utf-8')],
    ...vendorAssets(),
  ]);
}

/** Serves the console (a plugin: it answers only GET and HEAD under CONSOLE_PATH). */
export function useOperatorConsole(): GatewayPlugin {
  const assets = consoleAssets();
  return {
    onRequest({ url, request, endResponse, fetchAPI }) {
      if (url.pathname !== CONSOLE_PATH && !url.pathname.startsWith(`${CONSOLE_PATH}/`)) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(new fetchAPI.Response('Method not allowed', { status: 405, headers: { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' } }));
        return;
      }
      const found = assets.get(url.pathname);
      if (!found) {
        endResponse(new fetchAPI.Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } }));
        return;
      }
      const headers: Record<string, string> = {
        'content-type': found.type,
        etag: found.etag,
        // Revalidated on every load (a cheap 304), so a new release is picked up at once.
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        ...(found.type.startsWith('text/html') ? { 'content-security-policy': CONSOLE_CONTENT_SECURITY_POLICY } : {}),
      };
      if (request.headers.get('if-none-match') === found.etag) {
        endResponse(new fetchAPI.Response(null, { status: 304, headers }));
        return;
      }
      endResponse(new fetchAPI.Response(request.method === 'HEAD' ? null : new Uint8Array(found.body), { status: 200, headers }));
    },
  };
}
