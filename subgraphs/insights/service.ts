import { GATEWAY_SECRET_ENV, SERVICE_KEY_ENV, type ServiceDefinition } from '../../kit/service-definition.ts';

export const insightsService: ServiceDefinition = {
  name: 'insights',
  entry: 'subgraphs/insights/main.ts',
  port: 4005,
  // Its own key (PONTE_SERVICE_KEY) follows the orders (orders:read), the figures' only source, and
  // reads stock from the inventory and cost prices from the catalog. Its CSV exports are called
  // through the gateway, which checks the callers' keys.
  env: { ...GATEWAY_SECRET_ENV, ...SERVICE_KEY_ENV, INVENTORY_URL: '{inventory}', CATALOG_URL: '{catalog}', ORDERS_URL: '{orders}' },
  usesDatabase: true,
  dependsOn: ['inventory', 'catalog', 'orders'],
};
