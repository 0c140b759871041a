import type { QueryResolvers } from '../generated/resolvers-types.ts';
import { churnRisk, demandForecasts, restockSuggestions, stockCover } from '../demand.ts';
import { averageOrderValueReport, channelMigrationReport, customerValueReport, grossMarginReport, salesReport, withReportMemory } from '../reports.ts';

export const Query: QueryResolvers = {
  sales: (_root, { range, channels, groupBy }, { db, clock }) => withReportMemory(db, (client) => salesReport(client, clock, { range, channels, groupBy })),
  grossMargin: (_root, { range, channels }, { db, clock }) => withReportMemory(db, (client) => grossMarginReport(client, clock, { range, channels })),
  averageOrderValue: (_root, { range, channels }, { db, clock }) => withReportMemory(db, (client) => averageOrderValueReport(client, clock, { range, channels })),
  customerValue: (_root, { acquired }, { db }) => customerValueReport(db, { acquired }),
  channelMigration: (_root, { acquired }, { db }) => channelMigrationReport(db, { acquired }),
  stockCover: (_root, { skus, days, first }, { db, clock, stock }) => stockCover(db, clock, stock, { skus, days, first }),
  demandForecast: (_root, { skus, channels }, { db, clock }) => demandForecasts(db, clock, { skus, channels }),
  restockSuggestions: (_root, { skus, locations, leadTimeDays }, { db, clock, stock, demand }) => restockSuggestions(db, clock, stock, demand, { skus, locations, leadTimeDays }),
  churnRisk: (_root, { first, minimumRisk }, { db, clock }) => churnRisk(db, clock, { first, minimumRisk }),
};
