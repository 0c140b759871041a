import { GATEWAY_SECRET_ENV, type ServiceDefinition } from '../../kit/service-definition.ts';

export const inventoryService: ServiceDefinition = {
  name: 'inventory',
  entry: 'subgraphs/inventory/main.ts',
  port: 4001,
  env: { ...GATEWAY_SECRET_ENV, PONTE_SEED_DEMO: 'true', ACCESS_URL: '{access}' },
  usesDatabase: true,
  dependsOn: ['access'],
};
