import type { GraphQLResolveInfo } from 'graphql';
import type { ProductRef, AmazonListingValue } from '../models.ts';
import type { OrderException } from '../../platform-common/order-sync.ts';
import type { ShipmentConfirmationRow } from '../../platform-common/shipment-confirmations.ts';
import type { AmazonContext } from '../context.ts';
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

export type AlertSeverity =
  /** Needs attention now: orders or stock are not flowing. */
  | 'CRITICAL'
  /** Needs attention today: something is degraded or will be. */
  | 'WARNING';

export type AmazonFulfillmentAvailability = {
  __typename?: 'AmazonFulfillmentAvailability';
  fulfillmentChannelCode: Scalars['String']['output'];
  quantity: Maybe<Scalars['Int']['output']>;
};

/** What a merchant sees in Seller Central for one listing, mapped through the Amazon data dictionary. */
export type AmazonListing = {
  __typename?: 'AmazonListing';
  /** Amazon Standard Identification Number of the catalog item the offer is attached to. */
  asin: Maybe<Scalars['String']['output']>;
  /** Amazon product type (SHIRT, SHOES ...): Amazon's category for the listing. */
  category: Maybe<Scalars['String']['output']>;
  /** Offer condition, e.g. new_new. */
  condition: Maybe<Scalars['String']['output']>;
  createdAt: Maybe<Scalars['String']['output']>;
  /** Quantity per fulfilment channel (DEFAULT is merchant-fulfilled; AMAZON_* is FBA, Amazon's to manage). */
  fulfillmentAvailability: Array<AmazonFulfillmentAvailability>;
  /** Problems Amazon reports on the listing (missing attributes, suppressions). */
  issues: Array<AmazonListingIssue>;
  /** Amazon marketplace, e.g. A2Q3Y263D00KWC (Brazil). */
  marketplaceId: Scalars['String']['output'];
  /** Amazon's own status values for the marketplace (BUYABLE, DISCOVERABLE). */
  platformStatuses: Array<Scalars['String']['output']>;
  /** The B2C offer price in the marketplace's currency. */
  price: Maybe<Money>;
  /** Merchant-fulfilled (DEFAULT channel) quantity shoppers can buy: the quantity Ponte manages. */
  quantity: Maybe<Scalars['Int']['output']>;
  /** Selling partner (seller account) id. */
  sellerId: Scalars['String']['output'];
  /** Seller SKU: the same string as Ponte's SKU. */
  sku: Scalars['ID']['output'];
  status: AmazonListingStatus;
  title: Maybe<Scalars['String']['output']>;
  updatedAt: Maybe<Scalars['String']['output']>;
  /** The product page in the marketplace. */
  url: Maybe<Scalars['String']['output']>;
};

export type AmazonListingIssue = {
  __typename?: 'AmazonListingIssue';
  attributeNames: Array<Scalars['String']['output']>;
  code: Scalars['String']['output'];
  message: Scalars['String']['output'];
  /** ERROR, WARNING or INFO. */
  severity: Scalars['String']['output'];
};

export type AmazonListingStatus =
  /** Shoppers can buy it (BUYABLE). */
  | 'ACTIVE'
  /** Shoppers can find it but not buy it, usually because no quantity is listed (DISCOVERABLE only). */
  | 'INACTIVE'
  /** Neither buyable nor discoverable: suppressed or incomplete. */
  | 'SUPPRESSED';

export type CacheControlScope =
  | 'PRIVATE'
  | 'PUBLIC';

export type ChannelOrderException = {
  __typename?: 'ChannelOrderException';
  code: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  lineId: Scalars['String']['output'];
  message: Scalars['String']['output'];
  occurredAt: Scalars['String']['output'];
  orderId: Scalars['String']['output'];
  quantity: Scalars['Int']['output'];
  resolution: Maybe<Scalars['String']['output']>;
  resolvedAt: Maybe<Scalars['String']['output']>;
  /** The operator who resolved, dismissed or retried it into a reservation; null when the channel closed it (a cancellation). */
  resolvedBy: Maybe<Scalars['String']['output']>;
  sku: Maybe<Scalars['String']['output']>;
};

/** A shipment to tell a platform: the platform's order id and line ids, as this subgraph's order intake keys them. */
export type ChannelShipmentInput = {
  /** The carrier, as the shopper should read it (Correios, Jadlog, …). */
  carrier: Scalars['String']['input'];
  /** Ponte's fulfilment id: the same one again confirms once. */
  fulfilmentId: Scalars['ID']['input'];
  lines: Array<ChannelShipmentLineInput>;
  /** The platform's order id (Shopify's order GID, WooCommerce's order id, Mercado Livre's order id, Amazon's AmazonOrderId). */
  orderId: Scalars['ID']['input'];
  /** ISO 8601. */
  shippedAt: Scalars['String']['input'];
  trackingCode: Scalars['String']['input'];
  /** Where the shopper follows the parcel (http or https). */
  trackingUrl?: InputMaybe<Scalars['String']['input']>;
};

export type ChannelShipmentLineInput = {
  /** The platform's line id, as the intake keyed it (ChannelOrderException.lineId shows the same ids). */
  lineId: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
  sku?: InputMaybe<Scalars['String']['input']>;
};

/** Close an order exception without touching stock. */
export type DismissOrderExceptionInput = {
  id: Scalars['ID']['input'];
  /** Why, kept with the exception: up to 500 characters. */
  reason: Scalars['String']['input'];
};

/** A listing showing another quantity than the one Ponte last pushed (edited on the platform, say). */
export type ListingDrift = {
  __typename?: 'ListingDrift';
  /** What the listing shows now; null when it is no longer listed. */
  actual: Maybe<Scalars['Int']['output']>;
  /** What Ponte pushed. */
  expected: Scalars['Int']['output'];
  sku: Scalars['ID']['output'];
};

/** A listing quantity the platform would not take. */
export type ListingSyncDeadLetter = {
  __typename?: 'ListingSyncDeadLetter';
  attempts: Scalars['Int']['output'];
  lastError: Maybe<Scalars['String']['output']>;
  /** The canonical quantity that could not be pushed. */
  quantity: Scalars['Int']['output'];
  sku: Scalars['ID']['output'];
  updatedAt: Scalars['String']['output'];
};

/** How far a platform's listings are from the canonical channel availability Ponte pushes to them. */
export type ListingSyncStatus = {
  __typename?: 'ListingSyncStatus';
  /** SKUs that could not be pushed (not listed, rejected, or out of attempts): kept for review and replay. */
  dead: Scalars['Int']['output'];
  /** The dead letters, most recently failed first (up to 100). */
  deadLetters: Array<ListingSyncDeadLetter>;
  /** The most recent push failure still on a row (a pending retry or a dead letter). */
  lastError: Maybe<Scalars['String']['output']>;
  /** The latest successful push (ISO 8601). */
  lastPushedAt: Maybe<Scalars['String']['output']>;
  /** When the longest-waiting pending SKU was queued or last failed a push (ISO 8601): now minus this is the sync's lag. Null when nothing waits. */
  oldestPendingAt: Maybe<Scalars['String']['output']>;
  /** SKUs whose latest quantity is waiting to be pushed (or retried). */
  pending: Scalars['Int']['output'];
  /** SKUs whose listing shows the latest quantity Ponte pushed. */
  synced: Scalars['Int']['output'];
};

export type Money = {
  __typename?: 'Money';
  /** Amount in the currency's minor unit (cents). */
  amountInCents: Scalars['Int']['output'];
  /** ISO 4217 code. */
  currency: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Tells Amazon a shipment of one of its orders (merchant-fulfilled orders: confirmShipment with one package per shipment; FBA orders are refused). Queued durably and retried; the same fulfilmentId again answers the shipment already queued. A service or an operator (orders:write). */
  confirmAmazonShipment: ShipmentConfirmation;
  /** Closes the exception with the operator's reason; stock is not touched. */
  dismissAmazonOrderException: ChannelOrderException;
  /** Compares Amazon listings with what Ponte pushed; drifted ones are reported and pushed again. */
  reconcileAmazonListings: Array<ListingDrift>;
  /** Queues Amazon dead letters again (all of them when skus is null); returns how many. */
  replayAmazonListingSync: Scalars['Int']['output'];
  /** Queues dead shipment confirmations again (all when ids is null); returns those queued. */
  replayAmazonShipmentConfirmations: Array<ShipmentConfirmation>;
  /** Reserves the exception's line as the SKU given, for this channel, with a ledger reason naming the operator and the exception, and closes it. The inventory's refusal (UNKNOWN_SKU, INSUFFICIENT_STOCK) leaves it open; UNKNOWN_ORDER_EXCEPTION, ORDER_EXCEPTION_CLOSED. */
  resolveAmazonOrderException: ChannelOrderException;
  /** Tries to reserve the line as Amazon sent it again. Still impossible: it stays open with the new code and message. */
  retryAmazonOrderException: ChannelOrderException;
};


export type MutationConfirmAmazonShipmentArgs = {
  input: ChannelShipmentInput;
};


export type MutationDismissAmazonOrderExceptionArgs = {
  input: DismissOrderExceptionInput;
};


export type MutationReplayAmazonListingSyncArgs = {
  skus?: InputMaybe<Array<Scalars['ID']['input']>>;
};


export type MutationReplayAmazonShipmentConfirmationsArgs = {
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
};


export type MutationResolveAmazonOrderExceptionArgs = {
  input: ResolveOrderExceptionInput;
};


export type MutationRetryAmazonOrderExceptionArgs = {
  id: Scalars['ID']['input'];
};

/** An operational alert: one incident of a rule, from when it fired until it cleared (docs/alerts.md says what each means and what to do). */
export type OperationalAlert = {
  __typename?: 'OperationalAlert';
  /** ISO 8601; null while it fires. */
  clearedAt: Maybe<Scalars['String']['output']>;
  /** Counts, SKUs and errors behind it, as a JSON object (as of the latest evaluation while it fires). */
  details: Scalars['String']['output'];
  /** ISO 8601. */
  firedAt: Scalars['String']['output'];
  /** <platform>:<incident number>, unique across platforms; also in the webhook body. */
  id: Scalars['ID']['output'];
  /** The platform subgraph that raised it: shopify, woocommerce, mercadolivre or amazon. */
  platform: Scalars['String']['output'];
  /** listing-push-failing, listing-dead-letters, shipment-dead-letters, listing-drift, inbox-stale, platform-unreachable or notification-topic-disabled. */
  rule: Scalars['String']['output'];
  severity: AlertSeverity;
  summary: Scalars['String']['output'];
};

/** A SKU, extended with how it is listed on Amazon (SP-API Listings Items). */
export type Product = {
  __typename?: 'Product';
  /**
   * The SKU's listing in Ponte's Amazon marketplace, read from the platform (cached a few seconds).
   * Null when the SKU is not listed there; null with a PLATFORM_UNAVAILABLE error when Amazon
   * cannot be reached, without failing the rest of the query.
   */
  amazonListing: Maybe<AmazonListing>;
  sku: Scalars['ID']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** Amazon alerts, newest first: only those firing now unless firingOnly is false. */
  amazonAlerts: Array<OperationalAlert>;
  /** Channel sync to Amazon: merchant-fulfilled quantities pending, synced and dead. */
  amazonListingSync: ListingSyncStatus;
  /** Amazon order lines that could not be applied to the canonical inventory, newest first. */
  amazonOrderExceptions: Array<ChannelOrderException>;
  /** Shipments told (or being told) to Amazon (merchant-fulfilled orders: confirmShipment with one package per shipment; FBA orders are refused), newest first; all statuses when status is null. */
  amazonShipmentConfirmations: Array<ShipmentConfirmation>;
};


export type QueryAmazonAlertsArgs = {
  firingOnly?: InputMaybe<Scalars['Boolean']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryAmazonOrderExceptionsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  unresolvedOnly?: InputMaybe<Scalars['Boolean']['input']>;
};


export type QueryAmazonShipmentConfirmationsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<ShipmentConfirmationStatus>;
};

/** Apply an order exception's line to a canonical SKU chosen by the operator. */
export type ResolveOrderExceptionInput = {
  /** The exception's id. */
  id: Scalars['ID']['input'];
  /** Up to 200 characters; repeating it answers the resolved exception again. */
  idempotencyKey: Scalars['String']['input'];
  /** The canonical SKU the line is reserved as. */
  sku: Scalars['ID']['input'];
};

export type ShipmentConfirmation = {
  __typename?: 'ShipmentConfirmation';
  attempts: Scalars['Int']['output'];
  carrier: Scalars['String']['output'];
  confirmedAt: Maybe<Scalars['String']['output']>;
  createdAt: Scalars['String']['output'];
  fulfilmentId: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** The latest failure (PENDING, DEAD) or the platform's reason for not taking it (REFUSED). */
  lastError: Maybe<Scalars['String']['output']>;
  lines: Array<ShipmentLine>;
  orderId: Scalars['String']['output'];
  /** What the platform recorded: Shopify fulfillment GIDs, Amazon's packageReferenceId, Mercado Livre's shipment id, WooCommerce's order note id. */
  platformReference: Maybe<Scalars['String']['output']>;
  shippedAt: Scalars['String']['output'];
  status: ShipmentConfirmationStatus;
  trackingCode: Scalars['String']['output'];
  trackingUrl: Maybe<Scalars['String']['output']>;
  updatedAt: Scalars['String']['output'];
};

/** Where telling the platform about a shipment stands. */
export type ShipmentConfirmationStatus =
  /** The platform took it and shows it to the shopper. */
  | 'CONFIRMED'
  /** Retries spent, or the platform said it will never take it (an unknown order): an operator replays it once fixed. */
  | 'DEAD'
  /** Queued, or being retried after a failure (lastError says which). */
  | 'PENDING'
  /** The platform ships this order itself (Amazon FBA, Mercado Envios): nothing to tell; lastError says why. Never retried. */
  | 'REFUSED';

export type ShipmentLine = {
  __typename?: 'ShipmentLine';
  lineId: Scalars['ID']['output'];
  quantity: Scalars['Int']['output'];
  sku: Maybe<Scalars['String']['output']>;
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

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

/** Mapping of federation types */
export type FederationTypes = ResolversObject<{
  Product: Product;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Product:
    ( { __typename: 'Product' }
    & GraphQLRecursivePick<FederationTypes['Product'], {"sku":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AlertSeverity: AlertSeverity;
  AmazonFulfillmentAvailability: ResolverTypeWrapper<AmazonFulfillmentAvailability>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  AmazonListing: ResolverTypeWrapper<AmazonListingValue>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  AmazonListingIssue: ResolverTypeWrapper<AmazonListingIssue>;
  AmazonListingStatus: AmazonListingStatus;
  CacheControlScope: CacheControlScope;
  ChannelOrderException: ResolverTypeWrapper<OrderException>;
  ChannelShipmentInput: ChannelShipmentInput;
  ChannelShipmentLineInput: ChannelShipmentLineInput;
  DismissOrderExceptionInput: DismissOrderExceptionInput;
  ListingDrift: ResolverTypeWrapper<ListingDrift>;
  ListingSyncDeadLetter: ResolverTypeWrapper<ListingSyncDeadLetter>;
  ListingSyncStatus: ResolverTypeWrapper<ListingSyncStatus>;
  Money: ResolverTypeWrapper<Money>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  OperationalAlert: ResolverTypeWrapper<OperationalAlert>;
  Product: ResolverTypeWrapper<ProductRef>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ResolveOrderExceptionInput: ResolveOrderExceptionInput;
  ShipmentConfirmation: ResolverTypeWrapper<ShipmentConfirmationRow>;
  ShipmentConfirmationStatus: ShipmentConfirmationStatus;
  ShipmentLine: ResolverTypeWrapper<ShipmentLine>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AmazonFulfillmentAvailability: AmazonFulfillmentAvailability;
  String: Scalars['String']['output'];
  AmazonListing: AmazonListingValue;
  ID: Scalars['ID']['output'];
  AmazonListingIssue: AmazonListingIssue;
  ChannelOrderException: OrderException;
  ChannelShipmentInput: ChannelShipmentInput;
  ChannelShipmentLineInput: ChannelShipmentLineInput;
  DismissOrderExceptionInput: DismissOrderExceptionInput;
  ListingDrift: ListingDrift;
  ListingSyncDeadLetter: ListingSyncDeadLetter;
  ListingSyncStatus: ListingSyncStatus;
  Money: Money;
  Mutation: Record<PropertyKey, never>;
  OperationalAlert: OperationalAlert;
  Product: ProductRef;
  Query: Record<PropertyKey, never>;
  ResolveOrderExceptionInput: ResolveOrderExceptionInput;
  ShipmentConfirmation: ShipmentConfirmationRow;
  ShipmentLine: ShipmentLine;
  Boolean: Scalars['Boolean']['output'];
  Int: Scalars['Int']['output'];
}>;

export type CacheControlDirectiveArgs = {
  inheritMaxAge?: Maybe<Scalars['Boolean']['input']>;
  maxAge?: Maybe<Scalars['Int']['input']>;
  scope?: Maybe<CacheControlScope>;
};

export type CacheControlDirectiveResolver<Result, Parent, ContextType = AmazonContext, Args = CacheControlDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type AmazonFulfillmentAvailabilityResolvers<ContextType = AmazonContext, ParentType extends ResolversParentTypes['AmazonFulfillmentAvailability'] = ResolversParentTypes['AmazonFulfillmentAvailability']> = ResolversObject<{
  fulfillmentChannelCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  quantity?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
}>;

export type AmazonListingResolvers<ContextType = AmazonContext, ParentType extends ResolversParentTypes['AmazonListing'] = ResolversParentTypes['AmazonListing']> = ResolversObject<{
  asin?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  category?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  condition?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  createdAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  fulfillmentAvailability?: Resolver<Array<ResolversTypes['AmazonFulfillmentAvailability']>, ParentType, ContextType>;
  issues?: Resolver<Array<ResolversTypes['AmazonListingIssue']>, ParentType, ContextType>;
  marketplaceId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  platformStatuses?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  price?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  quantity?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  sellerId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['AmazonListingStatus'], ParentType, ContextType>;
  title?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  updatedAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  url?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type AmazonListingIssueResolvers<ContextType = AmazonContext, ParentType extends ResolversParentTypes['AmazonListingIssue'] = ResolversParentTypes['AmazonListingIssue']> = ResolversObject<{
  attributeNames?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  severity?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ChannelOrderExceptionResolvers<ContextType = AmazonContext, ParentType extends ResolversParentTypes['ChannelOrderException'] = ResolversParentTypes['ChannelOrderException']> = ResolversObject<{
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lineId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  orderId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  resolution?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  resolvedAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  resolvedBy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  sku?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type ListingDriftResolvers<ContextType = AmazonContext, ParentType extends ResolversParentTypes['ListingDrift'] = ResolversParentTypes['ListingDrift']> = ResolversObject<{
  actual?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  expected?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type ListingSyncDeadLetterResolvers<ContextType = AmazonContext, ParentType extends ResolversParentTypes['ListingSyncDeadLetter'] = ResolversParentTypes['ListingSyncDeadLetter']> = ResolversObject<{
  attempts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  lastError?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ListingSyncStatusResolvers<ContextType = AmazonContext, ParentType extends ResolversParentTypes['ListingSyncStatus'] = ResolversParentTypes['ListingSyncStatus']> = ResolversObject<{
  dead?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  deadLetters?: Resolver<Array<ResolversTypes['ListingSyncDeadLetter']>, ParentType, ContextType>;
  lastError?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  lastPushedAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  oldestPendingAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  pending?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  synced?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type MoneyResolvers<ContextType = AmazonContext, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  amountInCents?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = AmazonContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  confirmAmazonShipment?: Resolver<ResolversTypes['ShipmentConfirmation'], ParentType, ContextType, RequireFields<MutationConfirmAmazonShipmentArgs, 'input'>>;
  dismissAmazonOrderException?: Resolver<ResolversTypes['ChannelOrderException'], ParentType, ContextType, RequireFields<MutationDismissAmazonOrderExceptionArgs, 'input'>>;
  reconcileAmazonListings?: Resolver<Array<ResolversTypes['ListingDrift']>, ParentType, ContextType>;
  replayAmazonListingSync?: Resolver<ResolversTypes['Int'], ParentType, ContextType, Partial<MutationReplayAmazonListingSyncArgs>>;
  replayAmazonShipmentConfirmations?: Resolver<Array<ResolversTypes['ShipmentConfirmation']>, ParentType, ContextType, Partial<MutationReplayAmazonShipmentConfirmationsArgs>>;
  resolveAmazonOrderException?: Resolver<ResolversTypes['ChannelOrderException'], ParentType, ContextType, RequireFields<MutationResolveAmazonOrderExceptionArgs, 'input'>>;
  retryAmazonOrderException?: Resolver<ResolversTypes['ChannelOrderException'], ParentType, ContextType, RequireFields<MutationRetryAmazonOrderExceptionArgs, 'id'>>;
}>;

export type OperationalAlertResolvers<ContextType = AmazonContext, ParentType extends ResolversParentTypes['OperationalAlert'] = ResolversParentTypes['OperationalAlert']> = ResolversObject<{
  clearedAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  details?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  firedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  platform?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  rule?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  severity?: Resolver<ResolversTypes['AlertSeverity'], ParentType, ContextType>;
  summary?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ProductResolvers<ContextType = AmazonContext, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product'], FederationReferenceType extends FederationReferenceTypes['Product'] = FederationReferenceTypes['Product']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Product']> | FederationReferenceType, FederationReferenceType, ContextType>;
  amazonListing?: Resolver<Maybe<ResolversTypes['AmazonListing']>, ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = AmazonContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  amazonAlerts?: Resolver<Array<ResolversTypes['OperationalAlert']>, ParentType, ContextType, RequireFields<QueryAmazonAlertsArgs, 'firingOnly' | 'first'>>;
  amazonListingSync?: Resolver<ResolversTypes['ListingSyncStatus'], ParentType, ContextType>;
  amazonOrderExceptions?: Resolver<Array<ResolversTypes['ChannelOrderException']>, ParentType, ContextType, RequireFields<QueryAmazonOrderExceptionsArgs, 'first' | 'unresolvedOnly'>>;
  amazonShipmentConfirmations?: Resolver<Array<ResolversTypes['ShipmentConfirmation']>, ParentType, ContextType, RequireFields<QueryAmazonShipmentConfirmationsArgs, 'first'>>;
}>;

export type ShipmentConfirmationResolvers<ContextType = AmazonContext, ParentType extends ResolversParentTypes['ShipmentConfirmation'] = ResolversParentTypes['ShipmentConfirmation']> = ResolversObject<{
  attempts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  carrier?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  confirmedAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  fulfilmentId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastError?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  lines?: Resolver<Array<ResolversTypes['ShipmentLine']>, ParentType, ContextType>;
  orderId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  platformReference?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  shippedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ShipmentConfirmationStatus'], ParentType, ContextType>;
  trackingCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  trackingUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ShipmentLineResolvers<ContextType = AmazonContext, ParentType extends ResolversParentTypes['ShipmentLine'] = ResolversParentTypes['ShipmentLine']> = ResolversObject<{
  lineId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type Resolvers<ContextType = AmazonContext> = ResolversObject<{
  AmazonFulfillmentAvailability?: AmazonFulfillmentAvailabilityResolvers<ContextType>;
  AmazonListing?: AmazonListingResolvers<ContextType>;
  AmazonListingIssue?: AmazonListingIssueResolvers<ContextType>;
  ChannelOrderException?: ChannelOrderExceptionResolvers<ContextType>;
  ListingDrift?: ListingDriftResolvers<ContextType>;
  ListingSyncDeadLetter?: ListingSyncDeadLetterResolvers<ContextType>;
  ListingSyncStatus?: ListingSyncStatusResolvers<ContextType>;
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  OperationalAlert?: OperationalAlertResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  ShipmentConfirmation?: ShipmentConfirmationResolvers<ContextType>;
  ShipmentLine?: ShipmentLineResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = AmazonContext> = ResolversObject<{
  cacheControl?: CacheControlDirectiveResolver<any, any, ContextType>;
}>;
