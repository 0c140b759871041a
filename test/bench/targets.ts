import { randomBytes } from 'node:crypto';
import { composeSupergraph, ponteSubgraphs, type SubgraphDefinition } from '../../gateway/compose.ts';
import { GATEWAY_SECRET_HEADER } from '../../kit/subgraph-server.ts';
import { encodePrincipal, principalFor } from '../../kit/identity.ts';
import { PRINCIPAL_HEADER } from '../../kit/principal.ts';
import { startChild, type Child } from './children.ts';
import { PRODUCT_PAGE_SHARE, READS_PER_WRITE, storefrontMix, type Mix } from './storefront-mix.ts';

/** The storefront read: 20 products with stock, channel availability and a catalog field. */
export const STOREFRONT_QUERY =
  'query Storefront { products(first: 20) { nodes { sku title stockLevels { location { id } onHand available } channelAvailability { channel { id } quantity } } } }';
/** The same read minus the catalog field: what the inventory subgraph alone can answer. */
export const INVENTORY_QUERY =
  'query Storefront { products(first: 20) { nodes { sku stockLevels { location { id } onHand available } channelAvailability { channel { id } quantity } } } }';
export const PRODUCTS_PER_PAGE = 20;

export const TARGET_IDS = ['ponte', 'ponteNoCache', 'ponteNoSecurity', 'ponteNoDedup', 'apollo', 'direct', 'ponteMix', 'apolloMix', 'directMix'] as const;
export type TargetId = (typeof TARGET_IDS)[number];

export interface Target {
  id: TargetId;
  label: string;
  url: string;
  headers: Record<string, string>;
  /** The JSON request body, sent unchanged on every request. */
  body: string;
  /**
   * A header the load generator sets to a different value on each connection (the others send
   * `headers` unchanged on every connection).
   */
  perConnectionHeader?: string;
  /** Whether the response must carry the catalog's `title`. */
  expectsTitle: boolean;
  /**
   * The realistic mix (storefront-mix.ts): these bodies in turn instead of `body`, and one stock
   * write per READS_PER_WRITE reads, each checked by reading its SKU back at once.
   */
  mix?: Mix & { withCatalog: boolean };
  /** The process that serves the target (the subgraphs child for `direct`). */
  server: Child;
  /** How the target runs, for the report. */
  how: string;
}

export interface System {
  subgraphs: Child;
  gateways: Child[];
  targets: Target[];
}

const requestBody = (query: string) => JSON.stringify({ query });
/** Who the writes of the realistic mix are, where no gateway authenticates them (Apollo, direct). */
export const BENCH_WRITER = principalFor('operator', { id: 'bench:writer', name: 'bench-writer' });
const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

/**
 * Starts the subgraphs, composes the supergraph from their URLs (Ponte's own composition, as
 * production does), then the three gateways in parallel, each in a process of its own.
 */
export async function startSystem(planner: 'rust' | 'javascript', catalogSkus: number): Promise<System> {
  // One secret per run: the subgraphs refuse anything that did not come through a gateway (or the bench).
  const gatewaySecret = randomBytes(16).toString('hex');
  const subgraphs = await startChild('subgraphs', './subgraphs.child.ts', { type: 'start', gatewaySecret, catalogSkus });
  const inventoryUrl = subgraphs.urls.inventory!;
  const subgraphDefinitions = ponteSubgraphs({ INVENTORY_URL: inventoryUrl, CATALOG_URL: subgraphs.urls.catalog! });
  const supergraphSdl = composeSupergraph(subgraphDefinitions);

  // Security plugins (limits, rate limit, and whatever else the gateway's `security` option
  // governs, such as identity) are on everywhere except in "security off", which is otherwise the
  // same as "cache off": the two side by side give their cost per request.
  const [ponte, ponteNoCache, ponteNoSecurity, apollo] = await Promise.all([
    startChild('ponte-gateway', './ponte-gateway.child.ts', { type: 'start', gatewaySecret, supergraphSdl, planner, responseCache: true, security: true }),
    startChild('ponte-gateway-nocache', './ponte-gateway.child.ts', { type: 'start', gatewaySecret, supergraphSdl, planner, responseCache: false, security: true }),
    startChild('ponte-gateway-nosecurity', './ponte-gateway.child.ts', { type: 'start', gatewaySecret, supergraphSdl, planner, responseCache: false, security: false }),
    // @apollo/gateway refuses a supergraph with `for: SECURITY` features (only Apollo's router
    // enforces them): it gets the same subgraphs without their @requiresScopes, and no auth.
    startChild('apollo-gateway', './apollo-gateway.child.ts', { type: 'start', gatewaySecret, supergraphSdl: composeSupergraph(withoutAuthorization(subgraphDefinitions)) }),
  ]);

  const gatewayHow = (child: Child, extra: string) => `${child.description}; own process (pid ${child.pid}); ${extra}`;
  // Hive Gateway's subgraph executor (@graphql-tools/executor-http) shares one upstream fetch
  // among identical in-flight queries by default, and Ponte does not turn that off; inbound
  // (client-side) deduplication is an opt-in Ponte does not enable.
  const hiveDedup = "Hive in-flight dedup: subgraph fetches ON (executor-http default), inbound requests OFF (Hive default)";
  // Ponte's gateway authenticates every request (see ponte-gateway.child.ts for the keys).
  const PONTE_HEADERS = { ...JSON_HEADERS, authorization: 'Bearer bench-operator' };
  const targets: Target[] = [
    { id: 'ponte', label: 'Ponte gateway, cache on', url: ponte.urls.gateway!, headers: PONTE_HEADERS, body: requestBody(STOREFRONT_QUERY), expectsTitle: true, server: ponte, how: gatewayHow(ponte, hiveDedup) },
    { id: 'ponteNoCache', label: 'Ponte gateway, cache off', url: ponteNoCache.urls.gateway!, headers: PONTE_HEADERS, body: requestBody(STOREFRONT_QUERY), expectsTitle: true, server: ponteNoCache, how: gatewayHow(ponteNoCache, hiveDedup) },
    {
      id: 'ponteNoSecurity',
      label: 'Ponte, cache off, security plugins off',
      url: ponteNoSecurity.urls.gateway!,
      headers: JSON_HEADERS,
      body: requestBody(STOREFRONT_QUERY),
      expectsTitle: true,
      server: ponteNoSecurity,
      how: gatewayHow(ponteNoSecurity, `${hiveDedup}; the same as "cache off" but for the security plugins`),
    },
    {
      id: 'ponteNoDedup',
      label: 'Ponte, cache off, no dedup',
      url: ponteNoCache.urls.gateway!,
      headers: PONTE_HEADERS,
      perConnectionHeader: 'authorization',
      body: requestBody(STOREFRONT_QUERY),
      expectsTitle: true,
      server: ponteNoCache,
      // Ponte sends the caller's principal to every subgraph fetch, and Hive keys its in-flight
      // deduplication on those headers: one API key per connection means no two client requests
      // share a fetch, as with 20 different users. Same process and settings as "cache off".
      how: gatewayHow(ponteNoCache, 'same process as "cache off"; a different API key per connection, its principal propagated to subgraphs, so Hive\'s in-flight dedup of subgraph fetches never matches across connections'),
    },
    { id: 'apollo', label: '@apollo/gateway', url: apollo.urls.gateway!, headers: JSON_HEADERS, body: requestBody(STOREFRONT_QUERY), expectsTitle: true, server: apollo, how: gatewayHow(apollo, 'no deduplication of subgraph fetches') },
    {
      id: 'direct',
      label: 'inventory subgraph direct',
      url: inventoryUrl,
      headers: { ...JSON_HEADERS, [GATEWAY_SECRET_HEADER]: gatewaySecret },
      body: requestBody(INVENTORY_QUERY),
      expectsTitle: false,
      server: subgraphs,
      how: `${subgraphs.description}; own process (pid ${subgraphs.pid}); query without \`title\`, no gateway, no cache`,
    },
  ];
  // The realistic mix through the normal configuration of each: Ponte (cache on), Apollo, direct.
  const federatedMix = { ...storefrontMix(catalogSkus, true), withCatalog: true };
  const directMix = { ...storefrontMix(catalogSkus, false), withCatalog: false };
  const mixHow = `${catalogSkus} SKUs; product pages ${Math.round(PRODUCT_PAGE_SHARE * 100)} %, listing pages (12/24/48 per page) the rest, Zipf popularity (s = 1); 1 write per ${READS_PER_WRITE} reads`;
  targets.push(
    { ...targets.find((target) => target.id === 'ponte')!, id: 'ponteMix', label: 'MIX Ponte gateway, cache on', mix: federatedMix, body: federatedMix.bodies[0]!, how: `${gatewayHow(ponte, hiveDedup)}; ${mixHow}` },
    { ...targets.find((target) => target.id === 'apollo')!, id: 'apolloMix', label: 'MIX @apollo/gateway', mix: federatedMix, body: federatedMix.bodies[0]!, how: `${gatewayHow(apollo, 'no deduplication of subgraph fetches')}; ${mixHow}` },
    {
      ...targets.find((target) => target.id === 'direct')!,
      id: 'directMix',
      label: 'MIX inventory subgraph direct',
      // Writes straight to the inventory name their caller as a gateway would.
      headers: { ...JSON_HEADERS, [GATEWAY_SECRET_HEADER]: gatewaySecret, [PRINCIPAL_HEADER]: encodePrincipal(BENCH_WRITER) },
      mix: directMix,
      body: directMix.bodies[0]!,
      how: `${subgraphs.description}; own process (pid ${subgraphs.pid}); queries without title or price; ${mixHow}`,
    },
  );
  return { subgraphs, gateways: [ponte, ponteNoCache, ponteNoSecurity, apollo], targets };
}

export interface StorefrontProduct {
  sku: string;
  title?: string;
  stockLevels: Array<{ location: { id: string }; onHand: number; available: number }>;
  channelAvailability: Array<{ channel: { id: string }; quantity: number }>;
}

function withoutAuthorization(subgraphs: SubgraphDefinition[]): SubgraphDefinition[] {
  const SECURITY_DIRECTIVES = new Set(['"@requiresScopes"', '"@authenticated"', '"@policy"']);
  return subgraphs.map((subgraph) => ({
    ...subgraph,
    sdl: subgraph.sdl
      .replace(/ @requiresScopes\(scopes: \[\[.*?\]\]\)| @authenticated\b/g, '')
      .replace(/import: \[([^\]]*)\]/, (_, names: string) => `import: [${names.split(',').map((name) => name.trim()).filter((name) => !SECURITY_DIRECTIVES.has(name)).join(', ')}]`),
  }));
}

export async function postGraphQL(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; json: { data?: Record<string, unknown> | null; errors?: unknown[] } }> {
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  try {
    return { status: response.status, json: JSON.parse(text) as { data?: Record<string, unknown> | null; errors?: unknown[] } };
  } catch {
    throw new Error(`${url} answered ${response.status} with a body that is not JSON: ${text.slice(0, 300)}`);
  }
}

/** Sends the target's request once and throws unless it is a complete, error-free page of products. */
export async function readStorefront(target: Pick<Target, 'url' | 'headers' | 'body' | 'expectsTitle' | 'label'>): Promise<StorefrontProduct[]> {
  const { status, json } = await postGraphQL(target.url, target.headers, target.body);
  const fail = (why: string) => new Error(`${target.label}: ${why}: ${JSON.stringify(json).slice(0, 500)}`);
  if (status !== 200) throw fail(`HTTP ${status}`);
  if (json.errors) throw fail('response has errors');
  const nodes = (json.data?.products as { nodes?: StorefrontProduct[] } | undefined)?.nodes;
  if (!Array.isArray(nodes) || nodes.length !== PRODUCTS_PER_PAGE) throw fail(`expected ${PRODUCTS_PER_PAGE} products, got ${nodes?.length ?? 'none'}`);
  for (const node of nodes) {
    if (!Array.isArray(node.stockLevels) || node.stockLevels.length === 0) throw fail(`${node.sku} has no stock levels`);
    if (!Array.isArray(node.channelAvailability) || node.channelAvailability.length === 0) throw fail(`${node.sku} has no channel availability`);
    if (target.expectsTitle && (typeof node.title !== 'string' || node.title === '')) throw fail(`${node.sku} has no title from the catalog`);
  }
  return nodes;
}
