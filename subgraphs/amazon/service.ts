import { GATEWAY_SECRET_ENV, SERVICE_KEY_ENV, type ServiceDefinition } from '../../kit/service-definition.ts';

export const amazonService: ServiceDefinition = {
  name: 'amazon',
  entry: 'subgraphs/amazon/main.ts',
  port: 4014,
  env: { ...GATEWAY_SECRET_ENV, ...SERVICE_KEY_ENV, INVENTORY_URL: '{inventory}', ORDERS_URL: '{orders}', AMAZON_SP_API_URL: '{sandboxes:4104}', AMAZON_CHANNEL: 'amazon-br' },
  usesDatabase: true,
  dependsOn: ['inventory', 'orders', 'sandboxes'],
};
