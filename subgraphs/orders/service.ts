import { GATEWAY_SECRET_ENV, SERVICE_KEY_ENV, type ServiceDefinition } from '../../kit/service-definition.ts';

/** 4003 is the access subgraph's; 4004 and 4005 are kept for customers and insights. */
export const ORDERS_PORT = 4006;

/** Canonical orders from every channel; the platform subgraphs record into it with their service keys. */
export const ordersService: ServiceDefinition = {
  name: 'orders',
  entry: 'subgraphs/orders/main.ts',
  port: ORDERS_PORT,
  // ACCESS_URL: the key store that resolves the platform subgraphs' service keys and scrapers' keys;
  // PONTE_SERVICE_KEY: its own key for the customers subgraph (identifyShopper, customerChanges) and
  // the inventory (fulfilOrder commits shipped lines' reservations; store sales) and the catalog
  // (the list price of a store sale's line the till sent without one).
  env: { ...GATEWAY_SECRET_ENV, ...SERVICE_KEY_ENV, PONTE_SEED_DEMO: 'true', CUSTOMERS_URL: '{customers}', INVENTORY_URL: '{inventory}', CATALOG_URL: '{catalog}' },
  usesDatabase: true,
  dependsOn: ['access', 'customers', 'inventory', 'catalog'],
};
