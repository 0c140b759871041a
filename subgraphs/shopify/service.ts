import { GATEWAY_SECRET_ENV, SERVICE_KEY_ENV, type ServiceDefinition } from '../../kit/service-definition.ts';

/** @default 'shopify-br', the demo merchant's Shopify channel */
export const DEFAULT_SHOPIFY_CHANNEL = 'shopify-br';
export const DEFAULT_SHOPIFY_PORT = 4011;

export const shopifyService: ServiceDefinition = {
  name: 'shopify',
  entry: 'subgraphs/shopify/main.ts',
  port: DEFAULT_SHOPIFY_PORT,
  env: { ...GATEWAY_SECRET_ENV, ...SERVICE_KEY_ENV, INVENTORY_URL: '{inventory}', ORDERS_URL: '{orders}', SHOPIFY_API_URL: '{sandboxes:4101}', SHOPIFY_CHANNEL: DEFAULT_SHOPIFY_CHANNEL, PUBLIC_URL: '{self}' },
  usesDatabase: true,
  dependsOn: ['inventory', 'orders', 'sandboxes'],
};
