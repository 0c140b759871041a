import type { GraphQLResolveInfo } from 'graphql';
import type { ProductRef, MercadoLivreListingValue } from '../models.ts';
import type { OrderException } from '../../platform-common/order-sync.ts';
import type { ShipmentConfirmationRow } from '../../platform-common/shipment-confirmations.ts';
import type { MercadoLivreContext } from '../context.ts';
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

/** A listing that does not show what Ponte last pushed (edited on the platform, say). */
export type ListingDrift = {
  __typename?: 'ListingDrift';
  /** What the listing shows; null when the SKU is no longer listed. */
  actual: Maybe<Scalars['Int']['output']>;
  /** What Ponte pushed. */
  expected: Scalars['Int']['output'];
  sku: Scalars['ID']['output'];
};

/** A listing quantity channel sync gave up on. */
export type ListingSyncDeadLetter = {
  __typename?: 'ListingSyncDeadLetter';
  attempts: Scalars['Int']['output'];
  lastError: Maybe<Scalars['String']['output']>;
  /** The quantity that should have been pushed. */
  quantity: Scalars['Int']['output'];
  sku: Scalars['ID']['output'];
  /** When it was last tried (ISO 8601). */
  updatedAt: Scalars['String']['output'];
};

/** Channel sync: how far a platform's listings are from the canonical channel availability. */
export type ListingSyncStatus = {
  __typename?: 'ListingSyncStatus';
  /** SKUs that could not be pushed (not listed, rejected, or failing too long), kept for review and replay. */
  dead: Scalars['Int']['output'];
  /** The dead letters, most recently failed first. */
  deadLetters: Array<ListingSyncDeadLetter>;
  /** The most recent push failure still on a row (a pending retry or a dead letter). */
  lastError: Maybe<Scalars['String']['output']>;
  /** The latest successful push (ISO 8601). */
  lastPushedAt: Maybe<Scalars['String']['output']>;
  /** When the longest-waiting pending SKU was queued or last failed a push (ISO 8601): now minus this is the sync's lag. Null when nothing waits. */
  oldestPendingAt: Maybe<Scalars['String']['output']>;
  /** SKUs whose wanted quantity is not on the platform yet (queued or retrying). */
  pending: Scalars['Int']['output'];
  /** SKUs whose listing shows the last quantity pushed. */
  synced: Scalars['Int']['output'];
};

export type MercadoLivreAttribute = {
  __typename?: 'MercadoLivreAttribute';
  name: Scalars['String']['output'];
  value: Scalars['String']['output'];
};

/** How a SKU is offered on Mercado Livre, in Ponte's words (see subgraphs/mercadolivre/README.md). */
export type MercadoLivreListing = {
  __typename?: 'MercadoLivreListing';
  /** Units Mercado Livre shows shoppers for this SKU. */
  availableQuantity: Scalars['Int']['output'];
  /** Mercado Livre category, e.g. MLB1234. */
  categoryId: Maybe<Scalars['String']['output']>;
  condition: Maybe<Scalars['String']['output']>;
  /** Mercado Livre's item id, e.g. MLB3000000001. */
  itemId: Scalars['ID']['output'];
  /** When Mercado Livre last changed the item (ISO 8601). */
  lastUpdated: Maybe<Scalars['String']['output']>;
  /** Listing exposure, e.g. gold_special (Clássico) or gold_pro (Premium). */
  listingType: Maybe<Scalars['String']['output']>;
  /** Mercado Livre's raw status and sub-status, e.g. paused / out_of_stock. */
  platformStatus: Scalars['String']['output'];
  platformSubStatus: Array<Scalars['String']['output']>;
  /** The SKU's own price (the variation's, when it has one). */
  price: Money;
  /** Units sold through this listing so far. */
  soldQuantity: Scalars['Int']['output'];
  status: MercadoLivreListingStatus;
  title: Scalars['String']['output'];
  /** The listing page shoppers see. */
  url: Scalars['String']['output'];
  /** The variation's attributes, e.g. Tamanho: M. */
  variationAttributes: Array<MercadoLivreAttribute>;
  /** The variation of the item that carries this SKU; null for an item without variations. */
  variationId: Maybe<Scalars['ID']['output']>;
};

/** Mercado Livre's item status, mapped by the data dictionary. */
export type MercadoLivreListingStatus =
  /** Shoppers can buy it. */
  | 'ACTIVE'
  /** Ended; it cannot be sold again. */
  | 'CLOSED'
  /** Not for sale for now; paused by the seller or because it ran out of stock. */
  | 'PAUSED'
  /** Being reviewed or with another status Mercado Livre did not explain. */
  | 'UNDER_REVIEW';

/**
 * Whether Mercado Livre still sends the notifications Ponte needs. It switches a topic off when the
 * callback did not answer 200 within 500 ms (through its retries), until the application subscribes
 * to it again; read from the platform (the application's topics and /missed_feeds).
 */
export type MercadoLivreNotificationStatus = {
  __typename?: 'MercadoLivreNotificationStatus';
  /** The callback URL Mercado Livre has for the application. */
  callbackUrl: Maybe<Scalars['String']['output']>;
  /** One entry per topic Ponte needs (orders_v2, items). */
  topics: Array<MercadoLivreNotificationTopic>;
};

export type MercadoLivreNotificationTopic = {
  __typename?: 'MercadoLivreNotificationTopic';
  /** Whether Mercado Livre sends this topic now. False: subscribe the application to it again in Mercado Livre's application manager. */
  active: Scalars['Boolean']['output'];
  /** When Ponte first saw the topic disabled (ISO 8601); null while active. */
  disabledSince: Maybe<Scalars['String']['output']>;
  /** When the newest of them was sent (ISO 8601). */
  lastMissedAt: Maybe<Scalars['String']['output']>;
  /** Notifications of this topic Mercado Livre gave up delivering and still keeps in /missed_feeds (two days). */
  missedNotifications: Scalars['Int']['output'];
  topic: Scalars['String']['output'];
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
  /** Tells MercadoLivre a shipment of one of its orders (seller-shipped orders (ME1, custom): the shipment marked shipped with its tracking; Mercado Envios shipments are refused). Queued durably and retried; the same fulfilmentId again answers the shipment already queued. A service or an operator (orders:write). */
  confirmMercadoLivreShipment: ShipmentConfirmation;
  /** Closes the exception with the operator's reason; stock is not touched. */
  dismissMercadoLivreOrderException: ChannelOrderException;
  /**
   * Compares every synced Mercado Livre listing with what Ponte pushed, answers the ones that
   * drifted and pushes the canonical quantity to them again (Ponte is the master).
   */
  reconcileMercadoLivreListings: Array<ListingDrift>;
  /** Queues Mercado Livre dead letters again (the given SKUs, or all when null); answers how many. */
  replayMercadoLivreListingSync: Scalars['Int']['output'];
  /** Queues dead shipment confirmations again (all when ids is null); returns those queued. */
  replayMercadoLivreShipmentConfirmations: Array<ShipmentConfirmation>;
  /** Reserves the exception's line as the SKU given, for this channel, with a ledger reason naming the operator and the exception, and closes it. The inventory's refusal (UNKNOWN_SKU, INSUFFICIENT_STOCK) leaves it open; UNKNOWN_ORDER_EXCEPTION, ORDER_EXCEPTION_CLOSED. */
  resolveMercadoLivreOrderException: ChannelOrderException;
  /** Tries to reserve the line as Mercado Livre sent it again. Still impossible: it stays open with the new code and message. */
  retryMercadoLivreOrderException: ChannelOrderException;
};


export type MutationConfirmMercadoLivreShipmentArgs = {
  input: ChannelShipmentInput;
};


export type MutationDismissMercadoLivreOrderExceptionArgs = {
  input: DismissOrderExceptionInput;
};


export type MutationReplayMercadoLivreListingSyncArgs = {
  skus?: InputMaybe<Array<Scalars['ID']['input']>>;
};


export type MutationReplayMercadoLivreShipmentConfirmationsArgs = {
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
};


export type MutationResolveMercadoLivreOrderExceptionArgs = {
  input: ResolveOrderExceptionInput;
};


export type MutationRetryMercadoLivreOrderExceptionArgs = {
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

/** A sellable SKU; this subgraph adds how it is listed on Mercado Livre. */
export type Product = {
  __typename?: 'Product';
  /**
   * The SKU's listing on Mercado Livre (an item, or one variation of an item), read live from the
   * platform and cached for a few seconds. Null when the SKU is not listed there, or when Mercado
   * Livre cannot be reached (the error then carries the code PLATFORM_UNAVAILABLE).
   */
  mercadoLivreListing: Maybe<MercadoLivreListing>;
  sku: Scalars['ID']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** Mercado Livre alerts, newest first: only those firing now unless firingOnly is false. */
  mercadoLivreAlerts: Array<OperationalAlert>;
  /** Channel sync to Mercado Livre: queued, synced and dead listing quantities. */
  mercadoLivreListingSync: ListingSyncStatus;
  /** Whether Mercado Livre still delivers each notification topic Ponte needs, and what it gave up on. */
  mercadoLivreNotifications: MercadoLivreNotificationStatus;
  /** Mercado Livre order lines that could not be reserved (unknown SKU, not enough stock), newest first. */
  mercadoLivreOrderExceptions: Array<ChannelOrderException>;
  /** Shipments told (or being told) to MercadoLivre (seller-shipped orders (ME1, custom): the shipment marked shipped with its tracking; Mercado Envios shipments are refused), newest first; all statuses when status is null. */
  mercadoLivreShipmentConfirmations: Array<ShipmentConfirmation>;
};


export type QueryMercadoLivreAlertsArgs = {
  firingOnly?: InputMaybe<Scalars['Boolean']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryMercadoLivreOrderExceptionsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  unresolvedOnly?: InputMaybe<Scalars['Boolean']['input']>;
};


export type QueryMercadoLivreShipmentConfirmationsArgs = {
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
  MercadoLivreAttribute: ResolverTypeWrapper<MercadoLivreAttribute>;
  MercadoLivreListing: ResolverTypeWrapper<MercadoLivreListingValue>;
  MercadoLivreListingStatus: MercadoLivreListingStatus;
  MercadoLivreNotificationStatus: ResolverTypeWrapper<MercadoLivreNotificationStatus>;
  MercadoLivreNotificationTopic: ResolverTypeWrapper<MercadoLivreNotificationTopic>;
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
  ChannelOrderException: OrderException;
  String: Scalars['String']['output'];
  ID: Scalars['ID']['output'];
  ChannelShipmentInput: ChannelShipmentInput;
  ChannelShipmentLineInput: ChannelShipmentLineInput;
  DismissOrderExceptionInput: DismissOrderExceptionInput;
  ListingDrift: ListingDrift;
  ListingSyncDeadLetter: ListingSyncDeadLetter;
  ListingSyncStatus: ListingSyncStatus;
  MercadoLivreAttribute: MercadoLivreAttribute;
  MercadoLivreListing: MercadoLivreListingValue;
  MercadoLivreNotificationStatus: MercadoLivreNotificationStatus;
  MercadoLivreNotificationTopic: MercadoLivreNotificationTopic;
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

export type CacheControlDirectiveResolver<Result, Parent, ContextType = MercadoLivreContext, Args = CacheControlDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type ChannelOrderExceptionResolvers<ContextType = MercadoLivreContext, ParentType extends ResolversParentTypes['ChannelOrderException'] = ResolversParentTypes['ChannelOrderException']> = ResolversObject<{
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

export type ListingDriftResolvers<ContextType = MercadoLivreContext, ParentType extends ResolversParentTypes['ListingDrift'] = ResolversParentTypes['ListingDrift']> = ResolversObject<{
  actual?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  expected?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type ListingSyncDeadLetterResolvers<ContextType = MercadoLivreContext, ParentType extends ResolversParentTypes['ListingSyncDeadLetter'] = ResolversParentTypes['ListingSyncDeadLetter']> = ResolversObject<{
  attempts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  lastError?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ListingSyncStatusResolvers<ContextType = MercadoLivreContext, ParentType extends ResolversParentTypes['ListingSyncStatus'] = ResolversParentTypes['ListingSyncStatus']> = ResolversObject<{
  dead?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  deadLetters?: Resolver<Array<ResolversTypes['ListingSyncDeadLetter']>, ParentType, ContextType>;
  lastError?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  lastPushedAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  oldestPendingAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  pending?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  synced?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type MercadoLivreAttributeResolvers<ContextType = MercadoLivreContext, ParentType extends ResolversParentTypes['MercadoLivreAttribute'] = ResolversParentTypes['MercadoLivreAttribute']> = ResolversObject<{
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MercadoLivreListingResolvers<ContextType = MercadoLivreContext, ParentType extends ResolversParentTypes['MercadoLivreListing'] = ResolversParentTypes['MercadoLivreListing']> = ResolversObject<{
  availableQuantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  categoryId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  condition?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  itemId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastUpdated?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  listingType?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  platformStatus?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  platformSubStatus?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  price?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  soldQuantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['MercadoLivreListingStatus'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  variationAttributes?: Resolver<Array<ResolversTypes['MercadoLivreAttribute']>, ParentType, ContextType>;
  variationId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
}>;

export type MercadoLivreNotificationStatusResolvers<ContextType = MercadoLivreContext, ParentType extends ResolversParentTypes['MercadoLivreNotificationStatus'] = ResolversParentTypes['MercadoLivreNotificationStatus']> = ResolversObject<{
  callbackUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  topics?: Resolver<Array<ResolversTypes['MercadoLivreNotificationTopic']>, ParentType, ContextType>;
}>;

export type MercadoLivreNotificationTopicResolvers<ContextType = MercadoLivreContext, ParentType extends ResolversParentTypes['MercadoLivreNotificationTopic'] = ResolversParentTypes['MercadoLivreNotificationTopic']> = ResolversObject<{
  active?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  disabledSince?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  lastMissedAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  missedNotifications?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  topic?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MoneyResolvers<ContextType = MercadoLivreContext, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  amountInCents?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = MercadoLivreContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  confirmMercadoLivreShipment?: Resolver<ResolversTypes['ShipmentConfirmation'], ParentType, ContextType, RequireFields<MutationConfirmMercadoLivreShipmentArgs, 'input'>>;
  dismissMercadoLivreOrderException?: Resolver<ResolversTypes['ChannelOrderException'], ParentType, ContextType, RequireFields<MutationDismissMercadoLivreOrderExceptionArgs, 'input'>>;
  reconcileMercadoLivreListings?: Resolver<Array<ResolversTypes['ListingDrift']>, ParentType, ContextType>;
  replayMercadoLivreListingSync?: Resolver<ResolversTypes['Int'], ParentType, ContextType, Partial<MutationReplayMercadoLivreListingSyncArgs>>;
  replayMercadoLivreShipmentConfirmations?: Resolver<Array<ResolversTypes['ShipmentConfirmation']>, ParentType, ContextType, Partial<MutationReplayMercadoLivreShipmentConfirmationsArgs>>;
  resolveMercadoLivreOrderException?: Resolver<ResolversTypes['ChannelOrderException'], ParentType, ContextType, RequireFields<MutationResolveMercadoLivreOrderExceptionArgs, 'input'>>;
  retryMercadoLivreOrderException?: Resolver<ResolversTypes['ChannelOrderException'], ParentType, ContextType, RequireFields<MutationRetryMercadoLivreOrderExceptionArgs, 'id'>>;
}>;

export type OperationalAlertResolvers<ContextType = MercadoLivreContext, ParentType extends ResolversParentTypes['OperationalAlert'] = ResolversParentTypes['OperationalAlert']> = ResolversObject<{
  clearedAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  details?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  firedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  platform?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  rule?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  severity?: Resolver<ResolversTypes['AlertSeverity'], ParentType, ContextType>;
  summary?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ProductResolvers<ContextType = MercadoLivreContext, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product'], FederationReferenceType extends FederationReferenceTypes['Product'] = FederationReferenceTypes['Product']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Product']> | FederationReferenceType, FederationReferenceType, ContextType>;
  mercadoLivreListing?: Resolver<Maybe<ResolversTypes['MercadoLivreListing']>, ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = MercadoLivreContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  mercadoLivreAlerts?: Resolver<Array<ResolversTypes['OperationalAlert']>, ParentType, ContextType, RequireFields<QueryMercadoLivreAlertsArgs, 'firingOnly' | 'first'>>;
  mercadoLivreListingSync?: Resolver<ResolversTypes['ListingSyncStatus'], ParentType, ContextType>;
  mercadoLivreNotifications?: Resolver<ResolversTypes['MercadoLivreNotificationStatus'], ParentType, ContextType>;
  mercadoLivreOrderExceptions?: Resolver<Array<ResolversTypes['ChannelOrderException']>, ParentType, ContextType, RequireFields<QueryMercadoLivreOrderExceptionsArgs, 'first' | 'unresolvedOnly'>>;
  mercadoLivreShipmentConfirmations?: Resolver<Array<ResolversTypes['ShipmentConfirmation']>, ParentType, ContextType, RequireFields<QueryMercadoLivreShipmentConfirmationsArgs, 'first'>>;
}>;

export type ShipmentConfirmationResolvers<ContextType = MercadoLivreContext, ParentType extends ResolversParentTypes['ShipmentConfirmation'] = ResolversParentTypes['ShipmentConfirmation']> = ResolversObject<{
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

export type ShipmentLineResolvers<ContextType = MercadoLivreContext, ParentType extends ResolversParentTypes['ShipmentLine'] = ResolversParentTypes['ShipmentLine']> = ResolversObject<{
  lineId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type Resolvers<ContextType = MercadoLivreContext> = ResolversObject<{
  ChannelOrderException?: ChannelOrderExceptionResolvers<ContextType>;
  ListingDrift?: ListingDriftResolvers<ContextType>;
  ListingSyncDeadLetter?: ListingSyncDeadLetterResolvers<ContextType>;
  ListingSyncStatus?: ListingSyncStatusResolvers<ContextType>;
  MercadoLivreAttribute?: MercadoLivreAttributeResolvers<ContextType>;
  MercadoLivreListing?: MercadoLivreListingResolvers<ContextType>;
  MercadoLivreNotificationStatus?: MercadoLivreNotificationStatusResolvers<ContextType>;
  MercadoLivreNotificationTopic?: MercadoLivreNotificationTopicResolvers<ContextType>;
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  OperationalAlert?: OperationalAlertResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  ShipmentConfirmation?: ShipmentConfirmationResolvers<ContextType>;
  ShipmentLine?: ShipmentLineResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = MercadoLivreContext> = ResolversObject<{
  cacheControl?: CacheControlDirectiveResolver<any, any, ContextType>;
}>;
