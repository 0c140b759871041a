/**
 * How to run the WooCommerce subgraph, for `npm start` (scripts/services.ts), docker-compose
 * and the gateway's composition. Kept free of heavy imports so those can read it cheaply.
 */
export const WOOCOMMERCE_PLATFORM = 'woocommerce';
export const WOOCOMMERCE_DEFAULT_CHANNEL = 'woocommerce-br';
/** The WooCommerce sandbox's default address (sandboxes/woocommerce/main.ts). */
export const WOOCOMMERCE_SANDBOX_URL = 'http://127.0.0.1:4102';

export const woocommerceSubgraphDefinition = {
  name: WOOCOMMERCE_PLATFORM,
  /** Entry file, relative to the repository root. */
  entry: 'subgraphs/woocommerce/main.ts',
  port: 4012,
  /** SDL for composition, relative to the repository root. */
  schemaFile: 'schema/woocommerce.graphql',
  /** The variable the gateway would read this subgraph's URL from, as INVENTORY_URL / CATALOG_URL. */
  gatewayUrlVariable: 'WOOCOMMERCE_URL',
  /** What main.ts reads besides PORT (`{service}`: that service's URL, as in scripts/services.ts), with defaults. */
  env: {
    PONTE_GATEWAY_SECRET: '',
    INVENTORY_URL: '{inventory}',
    WOOCOMMERCE_STORE_URL: WOOCOMMERCE_SANDBOX_URL,
    WOOCOMMERCE_CONSUMER_KEY: 'ck_sandbox',
    WOOCOMMERCE_CONSUMER_SECRET: 'cs_sandbox',
    WOOCOMMERCE_CHANNEL: WOOCOMMERCE_DEFAULT_CHANNEL,
    WOOCOMMERCE_STOCK_SYNC: 'on',
  },
  usesDatabase: true,
  dependsOn: ['inventory'],
} as const;
