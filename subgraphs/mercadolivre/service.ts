import { GATEWAY_SECRET_ENV, SERVICE_KEY_ENV, type ServiceDefinition } from '../../kit/service-definition.ts';

export const mercadoLivreService: ServiceDefinition = {
  name: 'mercadolivre',
  entry: 'subgraphs/mercadolivre/main.ts',
  port: 4013,
  env: { ...GATEWAY_SECRET_ENV, ...SERVICE_KEY_ENV, INVENTORY_URL: '{inventory}', ORDERS_URL: '{orders}', MERCADOLIVRE_API_URL: '{sandboxes:4103}', MERCADOLIVRE_CHANNEL: 'mercado-livre', PUBLIC_URL: '{self}' },
  usesDatabase: true,
  dependsOn: ['inventory', 'orders', 'sandboxes'],
};
