import { GATEWAY_SECRET_ENV, type ServiceDefinition } from '../kit/service-definition.ts';

export const gatewayService: ServiceDefinition = {
  name: 'gateway',
  entry: 'gateway/main.ts',
  port: 4000,
  env: { ...GATEWAY_SECRET_ENV, INVENTORY_URL: '{inventory}', CATALOG_URL: '{catalog}', ACCESS_URL: '{access}', CUSTOMERS_URL: '{customers}', ORDERS_URL: '{orders}', SHOPIFY_URL: '{shopify}', WOOCOMMERCE_URL: '{woocommerce}', MERCADOLIVRE_URL: '{mercadolivre}', AMAZON_URL: '{amazon}', INSIGHTS_URL: '{insights}' },
  usesDatabase: false,
  dependsOn: ['inventory', 'catalog', 'access', 'customers', 'orders', 'shopify', 'woocommerce', 'mercadolivre', 'amazon', 'insights'],
};
