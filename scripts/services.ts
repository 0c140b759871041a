/**
 * What `npm start` runs, and what docker-compose.yml must run too (a test holds them together):
 * one process per service, each configured only through these environment variables.
 */
export interface ServiceDefinition {
  name: string;
  /** Entry file, relative to the repository root. */
  entry: string;
  port: number;
  /** Variables the service reads besides PORT; `{service}` is the URL of that service. */
  env: Record<string, string>;
  /** Whether the service owns data (a PGlite directory locally, a schema on the server). */
  usesDatabase: boolean;
  /** Services that must be ready first. */
  dependsOn: string[];
}

export const services: ServiceDefinition[] = [
  {
    name: 'inventory',
    entry: 'subgraphs/inventory/main.ts',
    port: 4001,
    env: { PONTE_GATEWAY_SECRET: '', PONTE_SEED_DEMO: 'true' },
    usesDatabase: true,
    dependsOn: [],
  },
  {
    name: 'catalog',
    entry: 'subgraphs/catalog/main.ts',
    port: 4002,
    env: { PONTE_GATEWAY_SECRET: '', PONTE_SEED_DEMO: 'true' },
    usesDatabase: true,
    dependsOn: [],
  },
  {
    name: 'gateway',
    entry: 'gateway/main.ts',
    port: 4000,
    env: { PONTE_GATEWAY_SECRET: '', INVENTORY_URL: '{inventory}', CATALOG_URL: '{catalog}' },
    usesDatabase: false,
    dependsOn: ['inventory', 'catalog'],
  },
];
