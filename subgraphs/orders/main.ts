import { apiKeyResolverFromEnv } from '../../kit/api-keys-from-env.ts';
import { databaseFromEnv } from '../../kit/database.ts';
import { boundAddress } from '../../kit/graceful-close.ts';
import { createLogger } from '../../kit/logger.ts';
import { runService } from '../../kit/run-service.ts';
import { gatewaySecretFromEnv } from '../../kit/secrets.ts';
import { customersDirectory, NO_CUSTOMER_DIRECTORY } from './customer-directory.ts';
import { createOrdersSubgraph } from './index.ts';
import { inventoryStockCommitter } from './inventory-stock.ts';
import { StoreSaleFeed } from './store-sales.ts';
import { ORDERS_PORT } from './service.ts';

/**
 * Listens for the orders subgraph. Configuration (all optional):
 * - `PORT` (default 4006)
 * - `DATABASE_URL`: PostgreSQL server; without it, PGlite in `PONTE_DATA_DIR/orders`
 * - `PONTE_GATEWAY_SECRET`: shared secret the gateway sends
 * - `ACCESS_URL` or `PONTE_DEV_API_KEYS`: the platform subgraphs' service keys
 * - `PONTE_SEED_DEMO=true`: load 120 days of demo orders on first start
 * - `INVENTORY_URL` (http://127.0.0.1:4001/graphql): fulfilOrder commits shipped lines' reservations there
 * - `CATALOG_URL` (http://127.0.0.1:4002/graphql): list prices of store sale lines the till sent without one
 * - `CUSTOMERS_URL`: the customers subgraph, which matches shoppers to profiles and whose erasures
 *   and merges the orders follow; unset, no order is matched to a customer
 * - `PONTE_SERVICE_KEY`: this service's own key, for the calls to the customers subgraph and the inventory
 */
const log = createLogger('orders');
await runService(log, async () => {
  const customersUrl = process.env.CUSTOMERS_URL;
  if (!customersUrl) log.warn('CUSTOMERS_URL is not set: orders are recorded without a customer');
  const subgraph = await createOrdersSubgraph({
    database: databaseFromEnv('orders'),
    log,
    gatewaySecret: gatewaySecretFromEnv(),
    apiKeys: apiKeyResolverFromEnv(log),
    customers: customersUrl
      ? customersDirectory({ url: customersUrl, serviceKey: process.env.PONTE_SERVICE_KEY || undefined, secret: gatewaySecretFromEnv() }, log)
      : NO_CUSTOMER_DIRECTORY,
    stock: inventoryStockCommitter({ url: process.env.INVENTORY_URL || 'http://127.0.0.1:4001/graphql', secret: gatewaySecretFromEnv(), serviceKey: process.env.PONTE_SERVICE_KEY || undefined }, log),
  });
  // Store sales (recordSale on POINT_OF_SALE channels) become orders, read from the inventory.
  const storeSales = new StoreSaleFeed({
    db: subgraph.db,
    log,
    orders: subgraph.orders,
    inventory: { url: process.env.INVENTORY_URL || 'http://127.0.0.1:4001/graphql', secret: gatewaySecretFromEnv(), serviceKey: process.env.PONTE_SERVICE_KEY || undefined },
    catalog: { url: process.env.CATALOG_URL || 'http://127.0.0.1:4002/graphql', secret: gatewaySecretFromEnv(), serviceKey: process.env.PONTE_SERVICE_KEY || undefined },
  });
  storeSales.start();
  if (process.env.PONTE_SEED_DEMO === 'true') {
    const { seedDemoOrders } = await import('./seed.ts');
    const { seeded } = await seedDemoOrders(subgraph.orders, subgraph.db);
    log.info({ seeded }, 'demo orders ready');
  }
  const url = await subgraph.server.listen(Number(process.env.PORT ?? ORDERS_PORT));
  log.info({ url, boundTo: boundAddress(subgraph.server.httpServer), driver: subgraph.db.driver }, 'orders subgraph listening');
  return async () => {
    await storeSales.stop();
    await subgraph.close();
  };
});
