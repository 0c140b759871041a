import { GATEWAY_SECRET_ENV, type ServiceDefinition } from '../../kit/service-definition.ts';

export const CUSTOMERS_PORT = 4004;

/**
 * Customer profiles. ACCESS_URL resolves the keys of services that call it directly (the orders
 * subgraph's identifyShopper) and of metrics scrapers. PONTE_DATA_KEYS and PONTE_BLIND_INDEX_KEY
 * are left unset under `npm start` (the published development keys); docker-compose requires both.
 */
export const customersService: ServiceDefinition = {
  name: 'customers',
  entry: 'subgraphs/customers/main.ts',
  port: CUSTOMERS_PORT,
  env: { ...GATEWAY_SECRET_ENV, PONTE_SEED_DEMO: 'true', ACCESS_URL: '{access}' },
  usesDatabase: true,
  dependsOn: [],
};
