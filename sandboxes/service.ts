import type { ServiceDefinition } from '../kit/service-definition.ts';

/** Stand-ins for the platforms' public APIs (test peers, not product code): the demo's "world". */
export const sandboxesService: ServiceDefinition = {
  name: 'sandboxes',
  entry: 'sandboxes/main.ts',
  port: 4101,
  portVariable: 'SHOPIFY_SANDBOX_PORT',
  readinessPath: '/_sandbox/stock',
  env: { WOOCOMMERCE_SANDBOX_PORT: '4102', MERCADOLIVRE_SANDBOX_PORT: '4103', AMAZON_SANDBOX_PORT: '4104' },
  usesDatabase: false,
  dependsOn: [],
};
