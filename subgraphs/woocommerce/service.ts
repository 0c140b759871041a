import { GATEWAY_SECRET_ENV, SERVICE_KEY_ENV, type ServiceDefinition } from '../../kit/service-definition.ts';

export const WOOCOMMERCE_PLATFORM = 'woocommerce';
export const WOOCOMMERCE_DEFAULT_CHANNEL = 'woocommerce-br';
/** The WooCommerce sandbox's default address (sandboxes/woocommerce/main.ts). */
export const WOOCOMMERCE_SANDBOX_URL = 'http://127.0.0.1:4102';

export const woocommerceService: ServiceDefinition = {
  name: WOOCOMMERCE_PLATFORM,
  entry: 'subgraphs/woocommerce/main.ts',
  port: 4012,
  env: { ...GATEWAY_SECRET_ENV, ...SERVICE_KEY_ENV, INVENTORY_URL: '{inventory}', ORDERS_URL: '{orders}', WOOCOMMERCE_STORE_URL: '{sandboxes:4102}', WOOCOMMERCE_CHANNEL: WOOCOMMERCE_DEFAULT_CHANNEL, PUBLIC_URL: '{self}' },
  usesDatabase: true,
  dependsOn: ['inventory', 'orders', 'sandboxes'],
};
