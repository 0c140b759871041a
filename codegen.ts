import { existsSync } from 'node:fs';
import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Resolver types for each subgraph, generated from its SDL in `schema/`.
 * Mappers point GraphQL types at the shapes our resolvers actually return (database rows,
 * entity references), so a resolver that forgets a field fails the type check.
 */
const shared = {
  federation: true,
  useTypeImports: true,
  enumsAsTypes: true,
  useIndexSignature: true,
  avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
  scalars: { ID: 'string' },
};

const config: CodegenConfig = {
  overwrite: true,
  generates: {
    'subgraphs/inventory/generated/resolvers-types.ts': {
      schema: 'schema/inventory.graphql',
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        ...shared,
        contextType: '../context.ts#InventoryContext',
        mappers: {
          Product: '../models.ts#ProductRef',
          Location: '../models.ts#LocationRow',
          StockLevel: '../models.ts#StockLevelRow',
          Channel: '../models.ts#ChannelRow',
          ChannelAllocationPolicy: '../models.ts#ChannelRow',
          ChannelAvailability: '../models.ts#ChannelAvailabilityValue',
          StockMovement: '../models.ts#StockMovementRow',
          Reservation: '../models.ts#ReservationRow',
          ReservationLine: '../models.ts#ReservationLineRow',
          ReservationLineRouting: '../models.ts#ReservationLineRow',
          ChannelPolicyPayload: '../models.ts#ChannelPolicyResult',
          StockChangePayload: '../models.ts#StockChangeResult',
          ReservationPayload: '../models.ts#ReservationResult',
          StockChangedEvent: '../models.ts#StockEvent',
          ProductConnection: '../models.ts#ProductPage',
        },
      },
    },
    'subgraphs/catalog/generated/resolvers-types.ts': {
      schema: 'schema/catalog.graphql',
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        ...shared,
        contextType: '../context.ts#CatalogContext',
        mappers: {
          Product: '../models.ts#CatalogProductRow',
        },
      },
    },
    'subgraphs/customers/generated/resolvers-types.ts': {
      schema: 'schema/customers.graphql',
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        ...shared,
        contextType: '../context.ts#CustomersContext',
        scalars: { ...shared.scalars, JSON: 'unknown' },
        mappers: {
          Customer: '../models.ts#CustomerRow',
          CustomerIdentity: '../models.ts#IdentityRow',
          CustomerMerge: '../models.ts#MergeRow',
          DataSubjectRequest: '../models.ts#DataSubjectRequestRow',
          CustomerChange: '../models.ts#CustomerChangeRow',
          IdentifyShopperPayload: '../models.ts#IdentifyResult',
          CustomerDataExport: '../models.ts#DataExport',
        },
      },
    },
    'subgraphs/orders/generated/resolvers-types.ts': {
      schema: 'schema/orders.graphql',
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        ...shared,
        contextType: '../context.ts#OrdersContext',
        mappers: {
          Order: '../models.ts#OrderRow',
          OrderLine: '../models.ts#OrderLineRow',
          OrderTotals: '../models.ts#OrderRow',
          OrderStatusChange: '../models.ts#OrderStatusChangeRow',
          Fulfilment: '../models.ts#FulfilmentRow',
          Product: '../models.ts#ProductRef',
          Customer: '../models.ts#CustomerRef',
          Reservation: '../models.ts#ReservationRef',
          OrderConnection: '../models.ts#OrderPage',
          OrderEdge: '../models.ts#OrderEdgeValue',
          OrderPageInfo: '../models.ts#OrderPage',
          OrderChangedEvent: '../models.ts#OrderEvent',
          RecordChannelOrderPayload: '../models.ts#RecordResult',
          FulfilOrderPayload: '../models.ts#FulfilResult',
          ChannelFulfilment: '../models.ts#ChannelFulfilmentRow',
        },
      },
    },
    'subgraphs/access/generated/resolvers-types.ts': {
      schema: 'schema/access.graphql',
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        ...shared,
        contextType: '../context.ts#AccessContext',
        mappers: {
          ApiKey: '../models.ts#ApiKeyRecord',
          CreatedApiKey: '../models.ts#CreatedApiKeyValue',
          AuditEntry: '../models.ts#AuditEntryRecord',
          AuditEntryConnection: '../models.ts#AuditPage',
        },
      },
    },
    'subgraphs/insights/generated/resolvers-types.ts': {
      schema: 'schema/insights.graphql',
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        ...shared,
        contextType: '../context.ts#InsightsContext',
        // The rows are named like the GraphQL types they answer; imported as SalesRowModel etc.
        mapperTypeSuffix: 'Model',
        mappers: {
          SalesRow: '../reports.ts#SalesRow',
          GrossMarginRow: '../reports.ts#GrossMarginRow',
          AverageOrderValueRow: '../reports.ts#AverageOrderValueRow',
          CustomerValueRow: '../reports.ts#CustomerValueRow',
          ChannelMigrationRow: '../reports.ts#ChannelMigrationRow',
          StockCoverRow: '../demand.ts#StockCoverRow',
          DemandForecast: '../demand.ts#DemandForecastRow',
          RestockSuggestion: '../demand.ts#RestockSuggestionRow',
          ChurnRisk: '../demand.ts#ChurnRiskRow',
        },
      },
    },
    ...platformSubgraphs(),
  },
};

/** The platform subgraphs share one layout: context.ts, models.ts, and the common order exceptions. */
function platformSubgraphs(): CodegenConfig['generates'] {
  const platforms = [
    { folder: 'shopify', prefix: 'Shopify' },
    { folder: 'woocommerce', prefix: 'WooCommerce' },
    { folder: 'mercadolivre', prefix: 'MercadoLivre' },
    { folder: 'amazon', prefix: 'Amazon' },
  ];
  return Object.fromEntries(
    platforms.filter(({ folder }) => existsSync(`schema/${folder}.graphql`)).map(({ folder, prefix }) => [
      `subgraphs/${folder}/generated/resolvers-types.ts`,
      {
        // Each platform's own SDL and the platforms' shared types, as the subgraph serves them.
        schema: [`schema/${folder}.graphql`, 'schema/platform-common.graphql'],
        plugins: ['typescript', 'typescript-resolvers'],
        config: {
          ...shared,
          contextType: `../context.ts#${prefix}Context`,
          mappers: {
            Product: '../models.ts#ProductRef',
            [`${prefix}Listing`]: `../models.ts#${prefix}ListingValue`,
            ChannelOrderException: '../../platform-common/order-sync.ts#OrderException',
            ShipmentConfirmation: '../../platform-common/shipment-confirmations.ts#ShipmentConfirmationRow',
          },
        },
      },
    ]),
  );
}

export default config;
