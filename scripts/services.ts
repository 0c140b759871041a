import { gatewayService } from '../gateway/service.ts';
import type { ServiceDefinition } from '../kit/service-definition.ts';
import { sandboxesService } from '../sandboxes/service.ts';
import { accessService } from '../subgraphs/access/service.ts';
import { amazonService } from '../subgraphs/amazon/service.ts';
import { catalogService } from '../subgraphs/catalog/service.ts';
import { customersService } from '../subgraphs/customers/service.ts';
import { insightsService } from '../subgraphs/insights/service.ts';
import { inventoryService } from '../subgraphs/inventory/service.ts';
import { mercadoLivreService } from '../subgraphs/mercadolivre/service.ts';
import { ordersService } from '../subgraphs/orders/service.ts';
import { shopifyService } from '../subgraphs/shopify/service.ts';
import { woocommerceService } from '../subgraphs/woocommerce/service.ts';

export type { ServiceDefinition };

/** What `npm start` runs, in this order, and what docker-compose.yml must run too. */
export const services: ServiceDefinition[] = [accessService, inventoryService, catalogService, customersService, ordersService, sandboxesService, shopifyService, woocommerceService, mercadoLivreService, amazonService, insightsService, gatewayService];

/** Resolves a value's placeholders for a service reached at `hostOf(name)`. */
export function resolveServiceValue(value: string, self: ServiceDefinition, hostOf: (name: string) => string): string {
  return value.replace(/\{(\w+)(?::(\d+))?\}/g, (_, name: string, port: string | undefined) => {
    if (name === 'self') return `http://${hostOf(self.name)}:${self.port}`;
    const target = services.find((service) => service.name === name);
    if (!target) throw new Error(`${self.name}: unknown service {${name}}`);
    return port ? `http://${hostOf(name)}:${port}` : `http://${hostOf(name)}:${target.port}/graphql`;
  });
}
