import { GATEWAY_SECRET_ENV, type ServiceDefinition } from '../../kit/service-definition.ts';

export const catalogService: ServiceDefinition = {
  name: 'catalog',
  entry: 'subgraphs/catalog/main.ts',
  port: 4002,
  // ACCESS_URL: the key store that checks `GET /metrics` scrapers' keys (asked lazily, so no start order).
  env: { ...GATEWAY_SECRET_ENV, PONTE_SEED_DEMO: 'true', ACCESS_URL: '{access}' },
  usesDatabase: true,
  dependsOn: [],
};
