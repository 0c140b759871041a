/**
 * What `npm start` runs, and what docker-compose.yml must run too (a test holds them together):
 * one process per service, each configured only through these environment variables.
 *
 * Placeholders in values, resolved with the host each service is reached at (127.0.0.1 under
 * `npm start`, the service name under docker compose):
 * - `{inventory}`: that service's GraphQL URL (`http://host:4001/graphql`);
 * - `{sandboxes:4103}`: a base URL on that service and port (`http://host:4103`);
 * - `{self}`: this service's own base URL, for callbacks a platform must reach.
 */
export interface ServiceDefinition {
  name: string;
  /** Entry file, relative to the repository root. */
  entry: string;
  port: number;
  /** The variable that carries `port`. @default PORT */
  portVariable?: string;
  /** @default /readiness */
  readinessPath?: string;
  env: Record<string, string>;
  /** Whether the service owns data (a PGlite directory locally, a schema on the server). */
  usesDatabase: boolean;
  /** Services that must be ready first. */
  dependsOn: string[];
}

const SECRET = { PONTE_GATEWAY_SECRET: '' };

export const services: ServiceDefinition[] = [
  {
    name: 'inventory',
    entry: 'subgraphs/inventory/main.ts',
    port: 4001,
    env: { ...SECRET, PONTE_SEED_DEMO: 'true' },
    usesDatabase: true,
    dependsOn: [],
  },
  {
    name: 'catalog',
    entry: 'subgraphs/catalog/main.ts',
    port: 4002,
    env: { ...SECRET, PONTE_SEED_DEMO: 'true' },
    usesDatabase: true,
    dependsOn: [],
  },
  {
    // Stand-ins for the platforms' public APIs (test peers, not product code): the demo's "world".
    name: 'sandboxes',
    entry: 'sandboxes/main.ts',
    port: 4101,
    portVariable: 'SHOPIFY_SANDBOX_PORT',
    readinessPath: '/_sandbox/stock',
    env: { WOOCOMMERCE_SANDBOX_PORT: '4102', MERCADOLIVRE_SANDBOX_PORT: '4103', AMAZON_SANDBOX_PORT: '4104', HOST: '0.0.0.0' },
    usesDatabase: false,
    dependsOn: [],
  },
  {
    name: 'shopify',
    entry: 'subgraphs/shopify/main.ts',
    port: 4011,
    env: { ...SECRET, INVENTORY_URL: '{inventory}', SHOPIFY_API_URL: '{sandboxes:4101}', SHOPIFY_CHANNEL: 'shopify-br', PUBLIC_URL: '{self}' },
    usesDatabase: true,
    dependsOn: ['inventory', 'sandboxes'],
  },
  {
    name: 'woocommerce',
    entry: 'subgraphs/woocommerce/main.ts',
    port: 4012,
    env: { ...SECRET, INVENTORY_URL: '{inventory}', WOOCOMMERCE_STORE_URL: '{sandboxes:4102}', WOOCOMMERCE_CHANNEL: 'woocommerce-br', PUBLIC_URL: '{self}' },
    usesDatabase: true,
    dependsOn: ['inventory', 'sandboxes'],
  },
  {
    name: 'mercadolivre',
    entry: 'subgraphs/mercadolivre/main.ts',
    port: 4013,
    env: { ...SECRET, INVENTORY_URL: '{inventory}', MERCADOLIVRE_API_URL: '{sandboxes:4103}', MERCADOLIVRE_CHANNEL: 'mercado-livre', PUBLIC_URL: '{self}' },
    usesDatabase: true,
    dependsOn: ['inventory', 'sandboxes'],
  },
  {
    name: 'amazon',
    entry: 'subgraphs/amazon/main.ts',
    port: 4014,
    env: { ...SECRET, INVENTORY_URL: '{inventory}', AMAZON_SP_API_URL: '{sandboxes:4104}', AMAZON_CHANNEL: 'amazon-br' },
    usesDatabase: true,
    dependsOn: ['inventory', 'sandboxes'],
  },
  {
    name: 'gateway',
    entry: 'gateway/main.ts',
    port: 4000,
    env: { ...SECRET, INVENTORY_URL: '{inventory}', CATALOG_URL: '{catalog}', SHOPIFY_URL: '{shopify}', WOOCOMMERCE_URL: '{woocommerce}', MERCADOLIVRE_URL: '{mercadolivre}', AMAZON_URL: '{amazon}' },
    usesDatabase: false,
    dependsOn: ['inventory', 'catalog', 'shopify', 'woocommerce', 'mercadolivre', 'amazon'],
  },
];

/** Resolves a value's placeholders for a service reached at `hostOf(name)`. */
export function resolveServiceValue(value: string, self: ServiceDefinition, hostOf: (name: string) => string): string {
  return value.replace(/\{(\w+)(?::(\d+))?\}/g, (_, name: string, port: string | undefined) => {
    if (name === 'self') return `http://${hostOf(self.name)}:${self.port}`;
    const target = services.find((service) => service.name === name);
    if (!target) throw new Error(`${self.name}: unknown service {${name}}`);
    return port ? `http://${hostOf(name)}:${port}` : `http://${hostOf(name)}:${target.port}/graphql`;
  });
}
