import type { GraphQLResolveInfo } from 'graphql';
import type { SalesRow as SalesRowModel, GrossMarginRow as GrossMarginRowModel, AverageOrderValueRow as AverageOrderValueRowModel, CustomerValueRow as CustomerValueRowModel, ChannelMigrationRow as ChannelMigrationRowModel } from '../reports.ts';
import type { StockCoverRow as StockCoverRowModel, DemandForecastRow as DemandForecastRowModel, RestockSuggestionRow as RestockSuggestionRowModel, ChurnRiskRow as ChurnRiskRowModel } from '../demand.ts';
import type { InsightsContext } from '../context.ts';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  _FieldSet: { input: unknown; output: unknown; }
};

export type AverageOrderValueRow = {
  __typename?: 'AverageOrderValueRow';
  averageOrderValueCents: Scalars['Float']['output'];
  /** Null: every channel together. */
  channel: Maybe<Scalars['ID']['output']>;
  currency: Scalars['String']['output'];
  orders: Scalars['Int']['output'];
  revenueCents: Scalars['Float']['output'];
};

export type ChannelMigrationRow = {
  __typename?: 'ChannelMigrationRow';
  customers: Scalars['Int']['output'];
  firstChannel: Scalars['ID']['output'];
  /** A channel the customer bought on after their first order (the same one included: they stayed). */
  laterChannel: Scalars['ID']['output'];
  orders: Scalars['Int']['output'];
  /** customers ÷ every customer acquired on firstChannel, 0 to 1. */
  shareOfAcquired: Scalars['Float']['output'];
};

export type ChurnRisk = {
  __typename?: 'ChurnRisk';
  /** The customers subgraph's opaque id. */
  customerId: Scalars['ID']['output'];
  daysSinceLastOrder: Scalars['Int']['output'];
  explanation: Scalars['String']['output'];
  level: ChurnRiskLevel;
  orders: Scalars['Int']['output'];
  /** 0 to 1. */
  score: Scalars['Float']['output'];
  /** Mean days between the customer's orders; for a one-order customer, the median over repeat customers. */
  usualIntervalDays: Scalars['Float']['output'];
};

export type ChurnRiskLevel =
  | 'HIGH'
  | 'LOW'
  | 'MEDIUM';

export type CustomerValueRow = {
  __typename?: 'CustomerValueRow';
  acquisitionChannel: Scalars['ID']['output'];
  averageOrders: Scalars['Float']['output'];
  currency: Scalars['String']['output'];
  customers: Scalars['Int']['output'];
  /** Average revenue per customer over all their orders so far, on every channel. */
  lifetimeValueCents: Scalars['Float']['output'];
  /** Customers with more than one order. */
  repeatCustomers: Scalars['Int']['output'];
  /** repeatCustomers ÷ customers, 0 to 1. */
  repeatRate: Scalars['Float']['output'];
};

/** Calendar days in the merchant's time zone, both ends included. */
export type DateRangeInput = {
  /** ISO 8601 date, e.g. 2026-01-01. */
  from: Scalars['String']['input'];
  /** ISO 8601 date, included. */
  to: Scalars['String']['input'];
};

export type DemandForecast = {
  __typename?: 'DemandForecast';
  /** Holt-Winters smoothing parameters (level, trend, season) when it won, chosen by the least held-out RMSE. */
  alpha: Maybe<Scalars['Float']['output']>;
  /** Held-out error of the other method, for comparison. */
  alternativeError: Maybe<ForecastError>;
  beta: Maybe<Scalars['Float']['output']>;
  /** Null: every channel together. */
  channel: Maybe<Scalars['ID']['output']>;
  explanation: Scalars['String']['output'];
  gamma: Maybe<Scalars['Float']['output']>;
  /** Held-out error of the method kept (the last 4 weeks of history, forecast from the weeks before). */
  heldOutError: ForecastError;
  /** Days of history used (up to yesterday). */
  historyDays: Scalars['Int']['output'];
  /** The method kept: whichever had the lower root mean squared error on the held-out period (Holt-Winters only if strictly lower). */
  method: ForecastMethod;
  sku: Scalars['ID']['output'];
  weeks: Array<ForecastWeek>;
};

export type ForecastError = {
  __typename?: 'ForecastError';
  /** Mean absolute error, units per day. */
  mae: Scalars['Float']['output'];
  method: ForecastMethod;
  /** Root mean squared error, units per day: what the method and its parameters are chosen by. */
  rmse: Scalars['Float']['output'];
  /** Symmetric mean absolute percentage error, 0 to 200 (days with no sales and no forecast count as 0). */
  smape: Scalars['Float']['output'];
};

export type ForecastMethod =
  /** Additive Holt-Winters, weekly season (period 7), parameters fitted on the held-out period. */
  | 'HOLT_WINTERS'
  /** Each day as the same weekday of the last week seen. */
  | 'SEASONAL_NAIVE';

export type ForecastWeek = {
  __typename?: 'ForecastWeek';
  /** First day of the week (ISO date); the first week starts today. */
  starting: Scalars['String']['output'];
  units: Scalars['Float']['output'];
};

export type GrossMarginRow = {
  __typename?: 'GrossMarginRow';
  channel: Scalars['ID']['output'];
  /** Units × the catalog's cost price, for the units whose SKU has one. */
  costOfGoodsCents: Scalars['Float']['output'];
  currency: Scalars['String']['output'];
  /** Revenue of the units with a known cost less their cost of goods. */
  grossMarginCents: Scalars['Float']['output'];
  /** Gross margin ÷ revenue of the units with a known cost, in percent (null when there is none). */
  grossMarginPercent: Maybe<Scalars['Float']['output']>;
  revenueCents: Scalars['Float']['output'];
  units: Scalars['Int']['output'];
  /** Units sold whose SKU has no cost price in the catalog (left out of the margin, not counted as free). */
  unitsWithoutCost: Scalars['Int']['output'];
};

/**
 * Figures across every channel, from the insights subgraph's own store fed by the orders feed.
 * No personal data: a customer appears only as an opaque id.
 *
 * Freshness: today's figures are computed from the order facts as they arrive (real time); earlier
 * days are read from daily rollups, which each order updates in the same transaction as its facts
 * (no batch window: a late change to an old order shows at once). Amounts are whole cents of
 * `currency` (Float carries them exactly up to 2^53), grouped per currency, never converted.
 */
export type Query = {
  __typename?: 'Query';
  /** Average order value per channel, and over all channels (the row whose channel is null). */
  averageOrderValue: Array<AverageOrderValueRow>;
  /** How customers move between channels: first channel → each channel they bought on afterwards. */
  channelMigration: Array<ChannelMigrationRow>;
  /** Customers most at risk of not buying again, from recency against their own usual interval and frequency. */
  churnRisk: Array<ChurnRisk>;
  /**
   * Lifetime value and repeat rate of customers per acquisition channel (their first order's).
   * `acquired` narrows to customers whose first order fell in that range; their value counts every order since.
   */
  customerValue: Array<CustomerValueRow>;
  /**
   * Demand for the next 4 weeks per SKU × channel (`channels` absent: every channel the SKU sold on),
   * with the held-out error of the method that won.
   */
  demandForecast: Array<DemandForecast>;
  /** Revenue less cost of goods (the catalog's cost price) per channel, with the share of revenue it keeps. */
  grossMargin: Array<GrossMarginRow>;
  /**
   * What to order per SKU × location: forecast demand over the lead time + safety stock − free stock − incoming.
   * `leadTimeDays` overrides the configured lead time (per SKU, else the default) for this question.
   */
  restockSuggestions: Array<RestockSuggestion>;
  /** Sales and orders per day, channel and/or product (the dimensions in `groupBy`), over [from, to]. */
  sales: Array<SalesRow>;
  /**
   * Sell-through and days of stock left per SKU and location, from the last `days` days of sales and
   * the inventory's stock on hand now. `skus` absent: the `first` best sellers of the period.
   */
  stockCover: Array<StockCoverRow>;
};


/**
 * Figures across every channel, from the insights subgraph's own store fed by the orders feed.
 * No personal data: a customer appears only as an opaque id.
 *
 * Freshness: today's figures are computed from the order facts as they arrive (real time); earlier
 * days are read from daily rollups, which each order updates in the same transaction as its facts
 * (no batch window: a late change to an old order shows at once). Amounts are whole cents of
 * `currency` (Float carries them exactly up to 2^53), grouped per currency, never converted.
 */
export type QueryAverageOrderValueArgs = {
  channels?: InputMaybe<Array<Scalars['ID']['input']>>;
  range: DateRangeInput;
};


/**
 * Figures across every channel, from the insights subgraph's own store fed by the orders feed.
 * No personal data: a customer appears only as an opaque id.
 *
 * Freshness: today's figures are computed from the order facts as they arrive (real time); earlier
 * days are read from daily rollups, which each order updates in the same transaction as its facts
 * (no batch window: a late change to an old order shows at once). Amounts are whole cents of
 * `currency` (Float carries them exactly up to 2^53), grouped per currency, never converted.
 */
export type QueryChannelMigrationArgs = {
  acquired?: InputMaybe<DateRangeInput>;
};


/**
 * Figures across every channel, from the insights subgraph's own store fed by the orders feed.
 * No personal data: a customer appears only as an opaque id.
 *
 * Freshness: today's figures are computed from the order facts as they arrive (real time); earlier
 * days are read from daily rollups, which each order updates in the same transaction as its facts
 * (no batch window: a late change to an old order shows at once). Amounts are whole cents of
 * `currency` (Float carries them exactly up to 2^53), grouped per currency, never converted.
 */
export type QueryChurnRiskArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  minimumRisk?: InputMaybe<ChurnRiskLevel>;
};


/**
 * Figures across every channel, from the insights subgraph's own store fed by the orders feed.
 * No personal data: a customer appears only as an opaque id.
 *
 * Freshness: today's figures are computed from the order facts as they arrive (real time); earlier
 * days are read from daily rollups, which each order updates in the same transaction as its facts
 * (no batch window: a late change to an old order shows at once). Amounts are whole cents of
 * `currency` (Float carries them exactly up to 2^53), grouped per currency, never converted.
 */
export type QueryCustomerValueArgs = {
  acquired?: InputMaybe<DateRangeInput>;
};


/**
 * Figures across every channel, from the insights subgraph's own store fed by the orders feed.
 * No personal data: a customer appears only as an opaque id.
 *
 * Freshness: today's figures are computed from the order facts as they arrive (real time); earlier
 * days are read from daily rollups, which each order updates in the same transaction as its facts
 * (no batch window: a late change to an old order shows at once). Amounts are whole cents of
 * `currency` (Float carries them exactly up to 2^53), grouped per currency, never converted.
 */
export type QueryDemandForecastArgs = {
  channels?: InputMaybe<Array<Scalars['ID']['input']>>;
  skus: Array<Scalars['ID']['input']>;
};


/**
 * Figures across every channel, from the insights subgraph's own store fed by the orders feed.
 * No personal data: a customer appears only as an opaque id.
 *
 * Freshness: today's figures are computed from the order facts as they arrive (real time); earlier
 * days are read from daily rollups, which each order updates in the same transaction as its facts
 * (no batch window: a late change to an old order shows at once). Amounts are whole cents of
 * `currency` (Float carries them exactly up to 2^53), grouped per currency, never converted.
 */
export type QueryGrossMarginArgs = {
  channels?: InputMaybe<Array<Scalars['ID']['input']>>;
  range: DateRangeInput;
};


/**
 * Figures across every channel, from the insights subgraph's own store fed by the orders feed.
 * No personal data: a customer appears only as an opaque id.
 *
 * Freshness: today's figures are computed from the order facts as they arrive (real time); earlier
 * days are read from daily rollups, which each order updates in the same transaction as its facts
 * (no batch window: a late change to an old order shows at once). Amounts are whole cents of
 * `currency` (Float carries them exactly up to 2^53), grouped per currency, never converted.
 */
export type QueryRestockSuggestionsArgs = {
  leadTimeDays?: InputMaybe<Scalars['Int']['input']>;
  locations?: InputMaybe<Array<Scalars['ID']['input']>>;
  skus: Array<Scalars['ID']['input']>;
};


/**
 * Figures across every channel, from the insights subgraph's own store fed by the orders feed.
 * No personal data: a customer appears only as an opaque id.
 *
 * Freshness: today's figures are computed from the order facts as they arrive (real time); earlier
 * days are read from daily rollups, which each order updates in the same transaction as its facts
 * (no batch window: a late change to an old order shows at once). Amounts are whole cents of
 * `currency` (Float carries them exactly up to 2^53), grouped per currency, never converted.
 */
export type QuerySalesArgs = {
  channels?: InputMaybe<Array<Scalars['ID']['input']>>;
  groupBy: Array<SalesDimension>;
  range: DateRangeInput;
};


/**
 * Figures across every channel, from the insights subgraph's own store fed by the orders feed.
 * No personal data: a customer appears only as an opaque id.
 *
 * Freshness: today's figures are computed from the order facts as they arrive (real time); earlier
 * days are read from daily rollups, which each order updates in the same transaction as its facts
 * (no batch window: a late change to an old order shows at once). Amounts are whole cents of
 * `currency` (Float carries them exactly up to 2^53), grouped per currency, never converted.
 */
export type QueryStockCoverArgs = {
  days?: InputMaybe<Scalars['Int']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  skus?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type RestockSuggestion = {
  __typename?: 'RestockSuggestion';
  explanation: Scalars['String']['output'];
  /** Forecast units over the lead time for this location. */
  forecastDemand: Scalars['Float']['output'];
  /** On hand less committed to open orders. */
  freeStock: Scalars['Int']['output'];
  incoming: Scalars['Int']['output'];
  leadTimeDays: Scalars['Int']['output'];
  location: Scalars['ID']['output'];
  /** The inventory's safety stock at the location. */
  safetyStock: Scalars['Int']['output'];
  sku: Scalars['ID']['output'];
  /** max(0, ⌈forecastDemand + safetyStock − freeStock − incoming⌉). */
  suggestedQuantity: Scalars['Int']['output'];
};

export type SalesDimension =
  | 'CHANNEL'
  | 'DAY'
  | 'PRODUCT';

export type SalesRow = {
  __typename?: 'SalesRow';
  /** Null unless grouped by CHANNEL. */
  channel: Maybe<Scalars['ID']['output']>;
  currency: Scalars['String']['output'];
  /** Null unless grouped by DAY (ISO date). */
  day: Maybe<Scalars['String']['output']>;
  discountCents: Scalars['Float']['output'];
  /** Units × unit price, before discounts. */
  grossCents: Scalars['Float']['output'];
  /** Orders counted once per group (an order with two lines of one SKU counts once for it). */
  orders: Scalars['Int']['output'];
  /** Gross less discounts: what the merchandise sold for (shipping and taxes excluded). */
  revenueCents: Scalars['Float']['output'];
  /** Null unless grouped by PRODUCT. */
  sku: Maybe<Scalars['ID']['output']>;
  units: Scalars['Int']['output'];
};

export type StockCoverRow = {
  __typename?: 'StockCoverRow';
  averageDailyUnits: Scalars['Float']['output'];
  /** onHand ÷ averageDailyUnits; null when nothing sold in the period. */
  daysOfStockLeft: Maybe<Scalars['Float']['output']>;
  /** How the figures were made (orders do not record the shipping location yet: the SKU's sales stand for each location's). */
  explanation: Scalars['String']['output'];
  /** Null: every location together. */
  location: Maybe<Scalars['ID']['output']>;
  onHand: Scalars['Int']['output'];
  /** unitsSold ÷ (unitsSold + onHand), 0 to 1. */
  sellThrough: Scalars['Float']['output'];
  sku: Scalars['ID']['output'];
  /** Units sold over the period, every channel. */
  unitsSold: Scalars['Int']['output'];
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;





/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AverageOrderValueRow: ResolverTypeWrapper<AverageOrderValueRowModel>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  ChannelMigrationRow: ResolverTypeWrapper<ChannelMigrationRowModel>;
  ChurnRisk: ResolverTypeWrapper<ChurnRiskRowModel>;
  ChurnRiskLevel: ChurnRiskLevel;
  CustomerValueRow: ResolverTypeWrapper<CustomerValueRowModel>;
  DateRangeInput: DateRangeInput;
  DemandForecast: ResolverTypeWrapper<DemandForecastRowModel>;
  ForecastError: ResolverTypeWrapper<ForecastError>;
  ForecastMethod: ForecastMethod;
  ForecastWeek: ResolverTypeWrapper<ForecastWeek>;
  GrossMarginRow: ResolverTypeWrapper<GrossMarginRowModel>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RestockSuggestion: ResolverTypeWrapper<RestockSuggestionRowModel>;
  SalesDimension: SalesDimension;
  SalesRow: ResolverTypeWrapper<SalesRowModel>;
  StockCoverRow: ResolverTypeWrapper<StockCoverRowModel>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AverageOrderValueRow: AverageOrderValueRowModel;
  Float: Scalars['Float']['output'];
  ID: Scalars['ID']['output'];
  String: Scalars['String']['output'];
  Int: Scalars['Int']['output'];
  ChannelMigrationRow: ChannelMigrationRowModel;
  ChurnRisk: ChurnRiskRowModel;
  CustomerValueRow: CustomerValueRowModel;
  DateRangeInput: DateRangeInput;
  DemandForecast: DemandForecastRowModel;
  ForecastError: ForecastError;
  ForecastWeek: ForecastWeek;
  GrossMarginRow: GrossMarginRowModel;
  Query: Record<PropertyKey, never>;
  RestockSuggestion: RestockSuggestionRowModel;
  SalesRow: SalesRowModel;
  StockCoverRow: StockCoverRowModel;
  Boolean: Scalars['Boolean']['output'];
}>;

export type AverageOrderValueRowResolvers<ContextType = InsightsContext, ParentType extends ResolversParentTypes['AverageOrderValueRow'] = ResolversParentTypes['AverageOrderValueRow']> = ResolversObject<{
  averageOrderValueCents?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  channel?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  orders?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  revenueCents?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
}>;

export type ChannelMigrationRowResolvers<ContextType = InsightsContext, ParentType extends ResolversParentTypes['ChannelMigrationRow'] = ResolversParentTypes['ChannelMigrationRow']> = ResolversObject<{
  customers?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  firstChannel?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  laterChannel?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  orders?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  shareOfAcquired?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
}>;

export type ChurnRiskResolvers<ContextType = InsightsContext, ParentType extends ResolversParentTypes['ChurnRisk'] = ResolversParentTypes['ChurnRisk']> = ResolversObject<{
  customerId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  daysSinceLastOrder?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  explanation?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  level?: Resolver<ResolversTypes['ChurnRiskLevel'], ParentType, ContextType>;
  orders?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  usualIntervalDays?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
}>;

export type CustomerValueRowResolvers<ContextType = InsightsContext, ParentType extends ResolversParentTypes['CustomerValueRow'] = ResolversParentTypes['CustomerValueRow']> = ResolversObject<{
  acquisitionChannel?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  averageOrders?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  customers?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  lifetimeValueCents?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  repeatCustomers?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  repeatRate?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
}>;

export type DemandForecastResolvers<ContextType = InsightsContext, ParentType extends ResolversParentTypes['DemandForecast'] = ResolversParentTypes['DemandForecast']> = ResolversObject<{
  alpha?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  alternativeError?: Resolver<Maybe<ResolversTypes['ForecastError']>, ParentType, ContextType>;
  beta?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  channel?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  explanation?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  gamma?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  heldOutError?: Resolver<ResolversTypes['ForecastError'], ParentType, ContextType>;
  historyDays?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  method?: Resolver<ResolversTypes['ForecastMethod'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  weeks?: Resolver<Array<ResolversTypes['ForecastWeek']>, ParentType, ContextType>;
}>;

export type ForecastErrorResolvers<ContextType = InsightsContext, ParentType extends ResolversParentTypes['ForecastError'] = ResolversParentTypes['ForecastError']> = ResolversObject<{
  mae?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  method?: Resolver<ResolversTypes['ForecastMethod'], ParentType, ContextType>;
  rmse?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  smape?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
}>;

export type ForecastWeekResolvers<ContextType = InsightsContext, ParentType extends ResolversParentTypes['ForecastWeek'] = ResolversParentTypes['ForecastWeek']> = ResolversObject<{
  starting?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  units?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
}>;

export type GrossMarginRowResolvers<ContextType = InsightsContext, ParentType extends ResolversParentTypes['GrossMarginRow'] = ResolversParentTypes['GrossMarginRow']> = ResolversObject<{
  channel?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  costOfGoodsCents?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  grossMarginCents?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  grossMarginPercent?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  revenueCents?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  units?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  unitsWithoutCost?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = InsightsContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  averageOrderValue?: Resolver<Array<ResolversTypes['AverageOrderValueRow']>, ParentType, ContextType, RequireFields<QueryAverageOrderValueArgs, 'range'>>;
  channelMigration?: Resolver<Array<ResolversTypes['ChannelMigrationRow']>, ParentType, ContextType, Partial<QueryChannelMigrationArgs>>;
  churnRisk?: Resolver<Array<ResolversTypes['ChurnRisk']>, ParentType, ContextType, RequireFields<QueryChurnRiskArgs, 'first'>>;
  customerValue?: Resolver<Array<ResolversTypes['CustomerValueRow']>, ParentType, ContextType, Partial<QueryCustomerValueArgs>>;
  demandForecast?: Resolver<Array<ResolversTypes['DemandForecast']>, ParentType, ContextType, RequireFields<QueryDemandForecastArgs, 'skus'>>;
  grossMargin?: Resolver<Array<ResolversTypes['GrossMarginRow']>, ParentType, ContextType, RequireFields<QueryGrossMarginArgs, 'range'>>;
  restockSuggestions?: Resolver<Array<ResolversTypes['RestockSuggestion']>, ParentType, ContextType, RequireFields<QueryRestockSuggestionsArgs, 'skus'>>;
  sales?: Resolver<Array<ResolversTypes['SalesRow']>, ParentType, ContextType, RequireFields<QuerySalesArgs, 'groupBy' | 'range'>>;
  stockCover?: Resolver<Array<ResolversTypes['StockCoverRow']>, ParentType, ContextType, RequireFields<QueryStockCoverArgs, 'days' | 'first'>>;
}>;

export type RestockSuggestionResolvers<ContextType = InsightsContext, ParentType extends ResolversParentTypes['RestockSuggestion'] = ResolversParentTypes['RestockSuggestion']> = ResolversObject<{
  explanation?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  forecastDemand?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  freeStock?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  incoming?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  leadTimeDays?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  location?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  safetyStock?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  suggestedQuantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type SalesRowResolvers<ContextType = InsightsContext, ParentType extends ResolversParentTypes['SalesRow'] = ResolversParentTypes['SalesRow']> = ResolversObject<{
  channel?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  day?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  discountCents?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  grossCents?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  orders?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  revenueCents?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  sku?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  units?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type StockCoverRowResolvers<ContextType = InsightsContext, ParentType extends ResolversParentTypes['StockCoverRow'] = ResolversParentTypes['StockCoverRow']> = ResolversObject<{
  averageDailyUnits?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  daysOfStockLeft?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  explanation?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  location?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  onHand?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sellThrough?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  unitsSold?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = InsightsContext> = ResolversObject<{
  AverageOrderValueRow?: AverageOrderValueRowResolvers<ContextType>;
  ChannelMigrationRow?: ChannelMigrationRowResolvers<ContextType>;
  ChurnRisk?: ChurnRiskResolvers<ContextType>;
  CustomerValueRow?: CustomerValueRowResolvers<ContextType>;
  DemandForecast?: DemandForecastResolvers<ContextType>;
  ForecastError?: ForecastErrorResolvers<ContextType>;
  ForecastWeek?: ForecastWeekResolvers<ContextType>;
  GrossMarginRow?: GrossMarginRowResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RestockSuggestion?: RestockSuggestionResolvers<ContextType>;
  SalesRow?: SalesRowResolvers<ContextType>;
  StockCoverRow?: StockCoverRowResolvers<ContextType>;
}>;

