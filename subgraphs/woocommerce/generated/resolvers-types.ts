import type { GraphQLResolveInfo } from 'graphql';
import type { ProductRef, WooCommerceListingValue } from '../models.ts';
import type { OrderException } from '../../platform-common/order-sync.ts';
import type { ShipmentConfirmationRow } from '../../platform-common/shipment-confirmations.ts';
import type { WooCommerceContext } from '../context.ts';
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

/** A listing that shows another quantity than Ponte pushed (edited in the platform admin, say). */
export type ListingDrift = {
  __typename?: 'ListingDrift';
  /** What the listing shows now; null when it is no longer listed or does not count stock. */
  actual: Maybe<Scalars['Int']['output']>;
  /** What Ponte last pushed. */
  expected: Scalars['Int']['output'];
  sku: Scalars['ID']['output'];
};

/** A quantity the platform would not take, kept for review and replay. */
export type ListingSyncDeadLetter = {
  __typename?: 'ListingSyncDeadLetter';
  attempts: Scalars['Int']['output'];
  lastError: Maybe<Scalars['String']['output']>;
  /** The quantity the listing should show. */
  quantity: Scalars['Int']['output'];
  sku: Scalars['ID']['output'];
  /** ISO 8601, UTC. */
  updatedAt: Scalars['String']['output'];
};

/** Channel sync of one platform account: listings kept at the canonical channel availability. */
export type ListingSyncStatus = {
  __typename?: 'ListingSyncStatus';
  /** SKUs that could not be pushed (not listed, refused, or failing too long): see deadLetters. */
  dead: Scalars['Int']['output'];
  deadLetters: Array<ListingSyncDeadLetter>;
  /** The most recent push failure still on a row (a pending retry or a dead letter). */
  lastError: Maybe<Scalars['String']['output']>;
  /** The latest successful push (ISO 8601). */
  lastPushedAt: Maybe<Scalars['String']['output']>;
  /** When the longest-waiting pending SKU was queued or last failed a push (ISO 8601): now minus this is the sync's lag. Null when nothing waits. */
  oldestPendingAt: Maybe<Scalars['String']['output']>;
  /** SKUs whose wanted quantity is not on the platform yet (being pushed, or waiting to retry). */
  pending: Scalars['Int']['output'];
  /** SKUs whose listing shows the wanted quantity. */
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
  /** Tells WooCommerce a shipment of one of its orders (a tracking item of the Shipment Tracking extension, a customer note, the order completed once all of it shipped). Queued durably and retried; the same fulfilmentId again answers the shipment already queued. A service or an operator (orders:write). */
  confirmWooCommerceShipment: ShipmentConfirmation;
  /** Closes the exception with the operator's reason; stock is not touched. */
  dismissWooCommerceOrderException: ChannelOrderException;
  /**
   * Compares what the store's listings show with what Ponte pushed, returns the drifted ones and
   * pushes the canonical quantity to them again.
   */
  reconcileWooCommerceListings: Array<ListingDrift>;
  /** Queues the dead letters of these SKUs again (all of them when skus is null); returns how many. */
  replayWooCommerceListingSync: Scalars['Int']['output'];
  /** Queues dead shipment confirmations again (all when ids is null); returns those queued. */
  replayWooCommerceShipmentConfirmations: Array<ShipmentConfirmation>;
  /** Reserves the exception's line as the SKU given, for this channel, with a ledger reason naming the operator and the exception, and closes it. The inventory's refusal (UNKNOWN_SKU, INSUFFICIENT_STOCK) leaves it open; UNKNOWN_ORDER_EXCEPTION, ORDER_EXCEPTION_CLOSED. */
  resolveWooCommerceOrderException: ChannelOrderException;
  /** Tries to reserve the line as WooCommerce sent it again. Still impossible: it stays open with the new code and message. */
  retryWooCommerceOrderException: ChannelOrderException;
};


export type MutationConfirmWooCommerceShipmentArgs = {
  input: ChannelShipmentInput;
};


export type MutationDismissWooCommerceOrderExceptionArgs = {
  input: DismissOrderExceptionInput;
};


export type MutationReplayWooCommerceListingSyncArgs = {
  skus?: InputMaybe<Array<Scalars['ID']['input']>>;
};


export type MutationReplayWooCommerceShipmentConfirmationsArgs = {
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
};


export type MutationResolveWooCommerceOrderExceptionArgs = {
  input: ResolveOrderExceptionInput;
};


export type MutationRetryWooCommerceOrderExceptionArgs = {
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

/**
 * A SKU, extended with its listing on the merchant's WooCommerce store. The listing is read from
 * the store's REST API (batched, cached for a few seconds); the canonical stock stays in the
 * inventory subgraph.
 */
export type Product = {
  __typename?: 'Product';
  sku: Scalars['ID']['output'];
  /**
   * The simple product or product variation with this SKU on WooCommerce; null when the store
   * does not list it. When the store cannot be reached the field is null and the response carries
   * an error with code PLATFORM_UNAVAILABLE for it.
   */
  wooCommerceListing: Maybe<WooCommerceListing>;
};

export type Query = {
  __typename?: 'Query';
  /** WooCommerce alerts, newest first: only those firing now unless firingOnly is false. */
  wooCommerceAlerts: Array<OperationalAlert>;
  /** How the store's listings follow the canonical stock of this store's channel. */
  wooCommerceListingSync: ListingSyncStatus;
  /** WooCommerce order lines that could not be reserved (unknown SKU, not enough stock), newest first. */
  wooCommerceOrderExceptions: Array<ChannelOrderException>;
  /** Shipments told (or being told) to WooCommerce (a tracking item of the Shipment Tracking extension, a customer note, the order completed once all of it shipped), newest first; all statuses when status is null. */
  wooCommerceShipmentConfirmations: Array<ShipmentConfirmation>;
};


export type QueryWooCommerceAlertsArgs = {
  firingOnly?: InputMaybe<Scalars['Boolean']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryWooCommerceOrderExceptionsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  unresolvedOnly?: InputMaybe<Scalars['Boolean']['input']>;
};


export type QueryWooCommerceShipmentConfirmationsArgs = {
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

export type WooCommerceListing = {
  __typename?: 'WooCommerceListing';
  /** Whether the store keeps selling past zero (backorders: notify or yes). */
  backordersAllowed: Scalars['Boolean']['output'];
  /** Every product category; for a variation, its parent's. */
  categories: Array<Scalars['String']['output']>;
  /** The first product category; for a variation, its parent's. */
  category: Maybe<Scalars['String']['output']>;
  kind: WooCommerceListingKind;
  /** Whether WooCommerce counts stock for this listing (manage_stock). */
  managesStock: Scalars['Boolean']['output'];
  /** When the listing was last changed on WooCommerce (ISO 8601, UTC). */
  modifiedAt: Maybe<Scalars['String']['output']>;
  onSale: Scalars['Boolean']['output'];
  /** The status exactly as WooCommerce names it (publish, draft, pending, private). */
  platformStatus: Scalars['String']['output'];
  /** The price shoppers pay now (the sale price while a sale runs). */
  price: Maybe<Money>;
  /** WooCommerce product id: the product itself, or the variable parent of a variation. */
  productId: Scalars['ID']['output'];
  /** The quantity the store shows (stock_quantity); null when WooCommerce does not manage this listing's stock. */
  quantity: Maybe<Scalars['Int']['output']>;
  /** The list price before any sale. */
  regularPrice: Maybe<Money>;
  sku: Scalars['ID']['output'];
  status: WooCommerceListingStatus;
  stockStatus: WooCommerceStockStatus;
  title: Scalars['String']['output'];
  /** The shopper-facing page. */
  url: Maybe<Scalars['String']['output']>;
  /** WooCommerce variation id; null for a simple product. */
  variationId: Maybe<Scalars['ID']['output']>;
};

/** Where a SKU lives on WooCommerce: a simple product, or one variation of a variable product. */
export type WooCommerceListingKind =
  | 'SIMPLE_PRODUCT'
  | 'VARIATION';

/** The listing's publication state, from WooCommerce's post status. */
export type WooCommerceListingStatus =
  /** publish: shoppers can find and buy it. */
  | 'ACTIVE'
  /** draft: not visible yet. */
  | 'DRAFT'
  /** pending: waiting for review before publication. */
  | 'PENDING_REVIEW'
  /** private: visible to shop managers only. */
  | 'PRIVATE';

/** WooCommerce's stock_status. */
export type WooCommerceStockStatus =
  | 'IN_STOCK'
  | 'ON_BACKORDER'
  | 'OUT_OF_STOCK';

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
  CacheControlScope: CacheControlScope;
  ChannelOrderException: ResolverTypeWrapper<OrderException>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
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
  WooCommerceListing: ResolverTypeWrapper<WooCommerceListingValue>;
  WooCommerceListingKind: WooCommerceListingKind;
  WooCommerceListingStatus: WooCommerceListingStatus;
  WooCommerceStockStatus: WooCommerceStockStatus;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  ChannelOrderException: OrderException;
  String: Scalars['String']['output'];
  ID: Scalars['ID']['output'];
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
  WooCommerceListing: WooCommerceListingValue;
  Boolean: Scalars['Boolean']['output'];
  Int: Scalars['Int']['output'];
}>;

export type CacheControlDirectiveArgs = {
  inheritMaxAge?: Maybe<Scalars['Boolean']['input']>;
  maxAge?: Maybe<Scalars['Int']['input']>;
  scope?: Maybe<CacheControlScope>;
};

export type CacheControlDirectiveResolver<Result, Parent, ContextType = WooCommerceContext, Args = CacheControlDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type ChannelOrderExceptionResolvers<ContextType = WooCommerceContext, ParentType extends ResolversParentTypes['ChannelOrderException'] = ResolversParentTypes['ChannelOrderException']> = ResolversObject<{
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

export type ListingDriftResolvers<ContextType = WooCommerceContext, ParentType extends ResolversParentTypes['ListingDrift'] = ResolversParentTypes['ListingDrift']> = ResolversObject<{
  actual?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  expected?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type ListingSyncDeadLetterResolvers<ContextType = WooCommerceContext, ParentType extends ResolversParentTypes['ListingSyncDeadLetter'] = ResolversParentTypes['ListingSyncDeadLetter']> = ResolversObject<{
  attempts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  lastError?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ListingSyncStatusResolvers<ContextType = WooCommerceContext, ParentType extends ResolversParentTypes['ListingSyncStatus'] = ResolversParentTypes['ListingSyncStatus']> = ResolversObject<{
  dead?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  deadLetters?: Resolver<Array<ResolversTypes['ListingSyncDeadLetter']>, ParentType, ContextType>;
  lastError?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  lastPushedAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  oldestPendingAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  pending?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  synced?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type MoneyResolvers<ContextType = WooCommerceContext, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  amountInCents?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = WooCommerceContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  confirmWooCommerceShipment?: Resolver<ResolversTypes['ShipmentConfirmation'], ParentType, ContextType, RequireFields<MutationConfirmWooCommerceShipmentArgs, 'input'>>;
  dismissWooCommerceOrderException?: Resolver<ResolversTypes['ChannelOrderException'], ParentType, ContextType, RequireFields<MutationDismissWooCommerceOrderExceptionArgs, 'input'>>;
  reconcileWooCommerceListings?: Resolver<Array<ResolversTypes['ListingDrift']>, ParentType, ContextType>;
  replayWooCommerceListingSync?: Resolver<ResolversTypes['Int'], ParentType, ContextType, Partial<MutationReplayWooCommerceListingSyncArgs>>;
  replayWooCommerceShipmentConfirmations?: Resolver<Array<ResolversTypes['ShipmentConfirmation']>, ParentType, ContextType, Partial<MutationReplayWooCommerceShipmentConfirmationsArgs>>;
  resolveWooCommerceOrderException?: Resolver<ResolversTypes['ChannelOrderException'], ParentType, ContextType, RequireFields<MutationResolveWooCommerceOrderExceptionArgs, 'input'>>;
  retryWooCommerceOrderException?: Resolver<ResolversTypes['ChannelOrderException'], ParentType, ContextType, RequireFields<MutationRetryWooCommerceOrderExceptionArgs, 'id'>>;
}>;

export type OperationalAlertResolvers<ContextType = WooCommerceContext, ParentType extends ResolversParentTypes['OperationalAlert'] = ResolversParentTypes['OperationalAlert']> = ResolversObject<{
  clearedAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  details?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  firedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  platform?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  rule?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  severity?: Resolver<ResolversTypes['AlertSeverity'], ParentType, ContextType>;
  summary?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ProductResolvers<ContextType = WooCommerceContext, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product'], FederationReferenceType extends FederationReferenceTypes['Product'] = FederationReferenceTypes['Product']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Product']> | FederationReferenceType, FederationReferenceType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  wooCommerceListing?: Resolver<Maybe<ResolversTypes['WooCommerceListing']>, ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = WooCommerceContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  wooCommerceAlerts?: Resolver<Array<ResolversTypes['OperationalAlert']>, ParentType, ContextType, RequireFields<QueryWooCommerceAlertsArgs, 'firingOnly' | 'first'>>;
  wooCommerceListingSync?: Resolver<ResolversTypes['ListingSyncStatus'], ParentType, ContextType>;
  wooCommerceOrderExceptions?: Resolver<Array<ResolversTypes['ChannelOrderException']>, ParentType, ContextType, RequireFields<QueryWooCommerceOrderExceptionsArgs, 'first' | 'unresolvedOnly'>>;
  wooCommerceShipmentConfirmations?: Resolver<Array<ResolversTypes['ShipmentConfirmation']>, ParentType, ContextType, RequireFields<QueryWooCommerceShipmentConfirmationsArgs, 'first'>>;
}>;

export type ShipmentConfirmationResolvers<ContextType = WooCommerceContext, ParentType extends ResolversParentTypes['ShipmentConfirmation'] = ResolversParentTypes['ShipmentConfirmation']> = ResolversObject<{
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

export type ShipmentLineResolvers<ContextType = WooCommerceContext, ParentType extends ResolversParentTypes['ShipmentLine'] = ResolversParentTypes['ShipmentLine']> = ResolversObject<{
  lineId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type WooCommerceListingResolvers<ContextType = WooCommerceContext, ParentType extends ResolversParentTypes['WooCommerceListing'] = ResolversParentTypes['WooCommerceListing']> = ResolversObject<{
  backordersAllowed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  categories?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  category?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['WooCommerceListingKind'], ParentType, ContextType>;
  managesStock?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  modifiedAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  onSale?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  platformStatus?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  price?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  productId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  quantity?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  regularPrice?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['WooCommerceListingStatus'], ParentType, ContextType>;
  stockStatus?: Resolver<ResolversTypes['WooCommerceStockStatus'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  url?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  variationId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
}>;

export type Resolvers<ContextType = WooCommerceContext> = ResolversObject<{
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
  WooCommerceListing?: WooCommerceListingResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = WooCommerceContext> = ResolversObject<{
  cacheControl?: CacheControlDirectiveResolver<any, any, ContextType>;
}>;
