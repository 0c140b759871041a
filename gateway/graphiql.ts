import { createHash } from 'node:crypto';
import * as bundle from '@graphql-yoga/render-graphiql/graphiql';
import type { GatewayConfigBase, GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { GraphiQLOptions } from 'graphql-yoga';

/**
 * GraphiQL at the gateway's GraphQL path (a browser's GET with `accept: text/html`), for
 * development: off in production mode, where introspection is off too.
 *
 * The runtime's own page loads GraphiQL from unpkg.com, so it is blank without the internet.
 * `@graphql-yoga/render-graphiql` carries the same GraphiQL (Yoga's, the one Hive Gateway ships)
 * as strings, for offline use (https://the-guild.dev/graphql/yoga-server/docs/features/graphiql#offline-usage;
 * the runtime hands `renderGraphiQL` to Yoga: @graphql-hive/gateway-runtime dist/index.d.ts).
 * Its own `renderGraphiQL` inlines all of it into every page (about 9 MB); here the script, the
 * style and Monaco's editor workers are served from the gateway under GRAPHIQL_ASSETS_PATH
 * instead, with a content hash in the name so a browser caches them for good.
 */

/** @default /graphiql/ */
export const GRAPHIQL_ASSETS_PATH = '/graphiql/';

interface Asset {
  body: string;
  type: string;
}

function versioned(name: string, extension: string, body: string, type: string): [string, Asset] {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return [`${GRAPHIQL_ASSETS_PATH}${name}.${hash}.${extension}`, { body, type }];
}

const ASSETS = new Map<string, Asset>([
  versioned('graphiql', 'js', bundle.js, 'text/javascript; charset=utf-8'),
  versioned('graphiql', 'css', bundle.css, 'text/css; charset=utf-8'),
  versioned('editor.worker', 'js', bundle.editorWorkerService, 'text/javascript; charset=utf-8'),
  versioned('json.worker', 'js', bundle.jsonWorker, 'text/javascript; charset=utf-8'),
  versioned('graphql.worker', 'js', bundle.graphqlWorker, 'text/javascript; charset=utf-8'),
]);
const [SCRIPT, STYLE, EDITOR_WORKER, JSON_WORKER, GRAPHQL_WORKER] = [...ASSETS.keys()] as [string, string, string, string, string];

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
/** JSON inside a <script>: `<` escaped so no string in it can close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** The page: what `@graphql-yoga/render-graphiql` renders, with the assets linked instead of inlined. */
export function renderLocalGraphiQL(options: GraphiQLOptions & { endpoint?: string }): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(options.title ?? 'GraphiQL')}</title>
    <link rel="icon" href="${escapeHtml(options.favicon ?? bundle.favicon)}" />
    <link rel="stylesheet" href="${STYLE}" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run GraphiQL.</noscript>
    <div id="root"></div>
    <script>
      self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (moduleId, label) => (${scriptJson({ editorWorkerService: EDITOR_WORKER, json: JSON_WORKER, graphql: GRAPHQL_WORKER })})[label] };
    </script>
    <script src="${SCRIPT}"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${scriptJson(options)});
    </script>
  </body>
</html>`;
}

/** Serves GraphiQL's script, style and workers from the gateway (a plugin: it only answers GETs under GRAPHIQL_ASSETS_PATH). */
export function useGraphiQLAssets(): GatewayPlugin {
  return {
    onRequest({ url, request, endResponse, fetchAPI }) {
      if (request.method !== 'GET' || !url.pathname.startsWith(GRAPHIQL_ASSETS_PATH)) return;
      const asset = ASSETS.get(url.pathname);
      endResponse(
        asset
          ? new fetchAPI.Response(asset.body, { status: 200, headers: { 'content-type': asset.type, 'cache-control': 'public, max-age=31536000, immutable' } })
          : new fetchAPI.Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } }),
      );
    },
  };
}

/** One ready operation per kind of caller, each in its own tab. */
export const GRAPHIQL_EXAMPLE_TABS: ReadonlyArray<{ query: string; variables?: string; headers?: string }> = [
  {
    query: `# Storefront: a product page, joined from the inventory and catalog subgraphs.
query StorefrontProducts {
  products(first: 5) {
    nodes {
      sku
      title
      price { amountInCents currency }
      totalAvailable
      availability(channel: "shopify-br") { quantity }
    }
  }
}
`,
  },
  {
    query: `# Partner: reserve stock for an order. Repeating the idempotency key replays the first answer.
mutation PartnerReserve($key: String!) {
  reserveStock(input: {
    idempotencyKey: $key
    channel: "shopify-br"
    orderReference: "graphiql-1"
    lines: [{ sku: "CAM-BASICA-M", quantity: 1 }]
  }) {
    reservation { id status lines { sku quantity location { id } } }
    levels { onHand committed available }
    replayed
  }
}
`,
    variables: JSON.stringify({ key: 'graphiql-order-1' }, null, 2),
    headers: JSON.stringify({ authorization: 'Bearer <the partner key npm start printed>' }, null, 2),
  },
  {
    query: `# Internal apps: live stock changes (over graphql-ws). Run a mutation in another tab to see one.
subscription StockChanges {
  stockChanged(channel: "mercado-livre") {
    sku
    kind
    occurredAt
    product { title }
    level { location { id } onHand committed available }
    channelAvailability { channel { id } quantity }
  }
}
`,
  },
  {
    query: `# Operator: compare what Shopify's listings show with what Ponte pushed, and push the drift again.
mutation OperatorReconcile {
  reconcileShopifyListings { sku expected actual }
}

query OperatorSyncStatus {
  shopifyListingSync { pending synced dead deadLetters { sku lastError } }
  shopifyOrderExceptions { orderId lineId sku quantity code message }
}
`,
    headers: JSON.stringify({ authorization: 'Bearer <the operator key npm start printed>' }, null, 2),
  },
];

/** The runtime options that serve GraphiQL (or turn it off); with it on, add `useGraphiQLAssets()` to the plugins. */
export function graphiqlOptions(enabled: boolean): Pick<GatewayConfigBase<Record<string, unknown>>, 'graphiql' | 'renderGraphiQL'> {
  if (!enabled) return { graphiql: false };
  return {
    graphiql: {
      title: 'Ponte GraphiQL',
      defaultTabs: GRAPHIQL_EXAMPLE_TABS.map((tab) => ({ query: tab.query, variables: tab.variables ?? null, headers: tab.headers ?? null })),
      // Subscriptions go over graphql-ws, which the gateway serves on its GraphQL path.
      subscriptionsProtocol: 'WS',
    },
    renderGraphiQL: renderLocalGraphiQL,
  };
}
