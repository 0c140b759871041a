import { GATEWAY_SECRET_ENV, type ServiceDefinition } from '../../kit/service-definition.ts';

export const catalogService: ServiceDefinition = {
  name: 'catalog',
  entry: 'subgraphs/catalog/main.ts',
  port: 4002,
  env: { ...GATEWAY_SECRET_ENV, PONTE_SEED_DEMO: 'true' },
  usesDatabase: true,
  dependsOn: [],
};
