import type { GraphQLResolveInfo } from 'graphql';
import type { ProductRef, ShopifyListingValue } from '../models.ts';
import type { OrderException } from '../../platform-common/order-sync.ts';
import type { ShipmentConfirmationRow } from '../../platform-common/shipment-confirmations.ts';
import type { ShopifyContext } from '../context.ts';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
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

export type ListingDrift = {
  __typename?: 'ListingDrift';
  actual: Maybe<Scalars['Int']['output']>;
  expected: Scalars['Int']['output'];
  sku: Scalars['ID']['output'];
};

export type ListingSyncDeadLetter = {
  __typename?: 'ListingSyncDeadLetter';
  attempts: Scalars['Int']['output'];
  lastError: Maybe<Scalars['String']['output']>;
  quantity: Scalars['Int']['output'];
  sku: Scalars['ID']['output'];
  updatedAt: Scalars['String']['output'];
};

export type ListingSyncStatus = {
  __typename?: 'ListingSyncStatus';
  dead: Scalars['Int']['output'];
  deadLetters: Array<ListingSyncDeadLetter>;
  /** The most recent push failure still on a row (a pending retry or a dead letter). */
  lastError: Maybe<Scalars['String']['output']>;
  /** The latest successful push (ISO 8601). */
  lastPushedAt: Maybe<Scalars['String']['output']>;
  /** When the longest-waiting pending SKU was queued or last failed a push (ISO 8601): now minus this is the sync's lag. Null when nothing waits. */
  oldestPendingAt: Maybe<Scalars['String']['output']>;
  pending: Scalars['Int']['output'];
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
  /** Marks a data request answered and erases the customer's contact, which is no longer needed. UNKNOWN_PRIVACY_REQUEST when there is no such request. */
  closeShopifyCustomerDataRequest: ShopifyCustomerDataRequest;
  /** Tells Shopify a shipment of one of its orders: a fulfillment of the lines' fulfillment order line items, with the tracking, the shopper notified. Queued durably and retried; the same fulfilmentId again answers the shipment already queued. A service or an operator (orders:write). */
  confirmShopifyShipment: ShipmentConfirmation;
  /** Closes the exception with the operator's reason; stock is not touched. */
  dismissShopifyOrderException: ChannelOrderException;
  /** Compares what the Shopify listings show with what Ponte pushed; drifted ones are pushed again. */
  reconcileShopifyListings: Array<ListingDrift>;
  /** Queues Shopify dead letters again (all of them when skus is null); returns how many. */
  replayShopifyListingSync: Scalars['Int']['output'];
  /** Queues dead shipment confirmations again (all when ids is null); returns those queued. */
  replayShopifyShipmentConfirmations: Array<ShipmentConfirmation>;
  /** Reserves the exception's line as the SKU given, for this channel, with a ledger reason naming the operator and the exception, and closes it. The inventory's refusal (UNKNOWN_SKU, INSUFFICIENT_STOCK) leaves it open; UNKNOWN_ORDER_EXCEPTION, ORDER_EXCEPTION_CLOSED. */
  resolveShopifyOrderException: ChannelOrderException;
  /** Tries to reserve the line as Shopify sent it again. Still impossible: it stays open with the new code and message. */
  retryShopifyOrderException: ChannelOrderException;
};


export type MutationCloseShopifyCustomerDataRequestArgs = {
  id: Scalars['ID']['input'];
};


export type MutationConfirmShopifyShipmentArgs = {
  input: ChannelShipmentInput;
};


export type MutationDismissShopifyOrderExceptionArgs = {
  input: DismissOrderExceptionInput;
};


export type MutationReplayShopifyListingSyncArgs = {
  skus?: InputMaybe<Array<Scalars['ID']['input']>>;
};


export type MutationReplayShopifyShipmentConfirmationsArgs = {
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
};


export type MutationResolveShopifyOrderExceptionArgs = {
  input: ResolveOrderExceptionInput;
};


export type MutationRetryShopifyOrderExceptionArgs = {
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

/** The Shopify subgraph adds each product's listing on the merchant's Shopify store. */
export type Product = {
  __typename?: 'Product';
  /** The product's listing on Shopify, read through the Admin API (cached for a few seconds); null when the SKU is not listed there. While Shopify is unreachable it is null with a PLATFORM_UNAVAILABLE error, unless a recent copy is at hand. */
  shopifyListing: Maybe<ShopifyListing>;
  sku: Scalars['ID']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** Shopify alerts, newest first: only those firing now unless firingOnly is false. */
  shopifyAlerts: Array<OperationalAlert>;
  /** Data requests Shopify sent on customers' behalf (customers/data_request), newest first, with what Ponte holds about each order named. */
  shopifyCustomerDataRequests: Array<ShopifyCustomerDataRequest>;
  /** Channel sync to the Shopify store: queue counts and dead letters. */
  shopifyListingSync: ListingSyncStatus;
  /** Shopify order lines that could not be reserved (unknown SKU, not enough stock), newest first. */
  shopifyOrderExceptions: Array<ChannelOrderException>;
  /** Shipments told (or being told) to Shopify as fulfillments with tracking, newest first; all statuses when status is null. */
  shopifyShipmentConfirmations: Array<ShipmentConfirmation>;
};


export type QueryShopifyAlertsArgs = {
  firingOnly?: InputMaybe<Scalars['Boolean']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryShopifyCustomerDataRequestsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryShopifyOrderExceptionsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  unresolvedOnly?: InputMaybe<Scalars['Boolean']['input']>;
};


export type QueryShopifyShipmentConfirmationsArgs = {
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

/** How to reach the customer who asked. */
export type ShopifyCustomerContact = {
  __typename?: 'ShopifyCustomerContact';
  email: Maybe<Scalars['String']['output']>;
  /** Shopify's customer id. */
  id: Scalars['ID']['output'];
  phone: Maybe<Scalars['String']['output']>;
};

/**
 * A customer's request, made to the merchant and sent by Shopify (customers/data_request), to see the
 * data held about them. The operator answers it with what `orders` shows; see docs/privacy.md.
 */
export type ShopifyCustomerDataRequest = {
  __typename?: 'ShopifyCustomerDataRequest';
  /** When an operator marked it answered (closeShopifyCustomerDataRequest); null while open. */
  completedAt: Maybe<Scalars['String']['output']>;
  /** Who asked: kept sealed (encrypted) at rest, and erased by customers/redact or shop/redact (then null). */
  customer: Maybe<ShopifyCustomerContact>;
  id: Scalars['ID']['output'];
  /** The orders the request names, with everything Ponte holds about each. */
  orders: Array<ShopifyOrderData>;
  /** When Shopify sent it (ISO 8601). */
  receivedAt: Scalars['String']['output'];
  /** Shopify's id of the data request. */
  shopifyRequestId: Maybe<Scalars['String']['output']>;
};

/** A SKU as the Shopify store lists it: one product variant and its inventory item. */
export type ShopifyListing = {
  __typename?: 'ShopifyListing';
  /** Where the merchant edits it in Shopify admin. */
  adminUrl: Scalars['String']['output'];
  /** Whether shoppers can buy it now (Shopify: in stock, or selling when out of stock). */
  availableForSale: Scalars['Boolean']['output'];
  /** Shopify's product type (Ponte's category). */
  category: Maybe<Scalars['String']['output']>;
  /** The 'compare at' (was) price, when the merchant set one. */
  compareAtPrice: Maybe<Money>;
  /** Whether Shopify keeps selling at zero (inventoryPolicy CONTINUE). */
  continueSellingWhenOutOfStock: Scalars['Boolean']['output'];
  /** When Ponte read this from Shopify (ISO 8601). */
  fetchedAt: Scalars['String']['output'];
  /** The product's handle, the last part of its storefront URL. */
  handle: Scalars['String']['output'];
  /** The inventory item's GID, the id Shopify's inventory mutations take. */
  inventoryItemId: Scalars['ID']['output'];
  /** Whether Shopify tracks this variant's inventory at all. */
  inventoryTracked: Scalars['Boolean']['output'];
  /** Shopify's named quantities per location. */
  locations: Array<ShopifyLocationStock>;
  /** Shopify's own product status: ACTIVE, DRAFT or ARCHIVED. */
  platformStatus: Scalars['String']['output'];
  price: Money;
  /** The parent product's GID. */
  productId: Scalars['ID']['output'];
  productTitle: Scalars['String']['output'];
  /** Units Shopify shows as available, summed over its locations. */
  quantity: Scalars['Int']['output'];
  /** Ponte's listing status, mapped from Shopify's product status (see subgraphs/shopify/README.md). */
  status: ShopifyListingStatus;
  /** Title as shoppers see it: the product title, plus the variant title when the product has variations. */
  title: Scalars['String']['output'];
  /** Shopify's last change to the variant. */
  updatedAt: Scalars['String']['output'];
  /** Storefront URL. */
  url: Scalars['String']['output'];
  /** The variant's GID, e.g. gid://shopify/ProductVariant/8100000123. */
  variantId: Scalars['ID']['output'];
  /** Variant title, e.g. 'M' or 'Azul / 40'; null for a product without variations. */
  variantTitle: Maybe<Scalars['String']['output']>;
  /** Shopify's vendor (Ponte's brand). */
  vendor: Maybe<Scalars['String']['output']>;
};

/** Where the listing stands, in Ponte's words (mapped from Shopify's product status in subgraphs/shopify/dictionary.ts). */
export type ShopifyListingStatus =
  /** Published and sellable on the channel. */
  | 'ACTIVE'
  /** Withdrawn (archived, closed). */
  | 'CLOSED'
  /** Not published yet. */
  | 'DRAFT'
  /** Published but not sellable for now (paused, out of stock by the channel's rule). */
  | 'PAUSED';

/** Stock of one variant at one Shopify location, as Shopify counts it. */
export type ShopifyLocationStock = {
  __typename?: 'ShopifyLocationStock';
  available: Scalars['Int']['output'];
  committed: Scalars['Int']['output'];
  incoming: Scalars['Int']['output'];
  locationId: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  onHand: Scalars['Int']['output'];
};

/** Everything Ponte holds about one Shopify order. */
export type ShopifyOrderData = {
  __typename?: 'ShopifyOrderData';
  /** Webhook deliveries about the order still held in the inbox. */
  deliveries: Array<ShopifyOrderDelivery>;
  exceptions: Array<ChannelOrderException>;
  /** Each line's state against the canonical stock (ids, SKU and quantity: nothing about the person). */
  lines: Array<ShopifyOrderLineData>;
  /** The order GID. */
  orderId: Scalars['ID']['output'];
};

export type ShopifyOrderDelivery = {
  __typename?: 'ShopifyOrderDelivery';
  /** What was kept of the delivery (the allowlist of subgraphs/shopify/stored-order.ts), as JSON; null once purged after the retention or erased. */
  payload: Maybe<Scalars['String']['output']>;
  processedAt: Maybe<Scalars['String']['output']>;
  receivedAt: Scalars['String']['output'];
  topic: Scalars['String']['output'];
};

export type ShopifyOrderLineData = {
  __typename?: 'ShopifyOrderLineData';
  lineId: Scalars['ID']['output'];
  quantity: Scalars['Int']['output'];
  sku: Maybe<Scalars['String']['output']>;
  /** RESERVED, EXCEPTION, RELEASED or FULFILLED. */
  state: Scalars['String']['output'];
  updatedAt: Scalars['String']['output'];
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
  Money: ResolverTypeWrapper<Money>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  OperationalAlert: ResolverTypeWrapper<OperationalAlert>;
  Product: ResolverTypeWrapper<ProductRef>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ResolveOrderExceptionInput: ResolveOrderExceptionInput;
  ShipmentConfirmation: ResolverTypeWrapper<ShipmentConfirmationRow>;
  ShipmentConfirmationStatus: ShipmentConfirmationStatus;
  ShipmentLine: ResolverTypeWrapper<ShipmentLine>;
  ShopifyCustomerContact: ResolverTypeWrapper<ShopifyCustomerContact>;
  ShopifyCustomerDataRequest: ResolverTypeWrapper<Omit<ShopifyCustomerDataRequest, 'orders'> & { orders: Array<ResolversTypes['ShopifyOrderData']> }>;
  ShopifyListing: ResolverTypeWrapper<ShopifyListingValue>;
  ShopifyListingStatus: ShopifyListingStatus;
  ShopifyLocationStock: ResolverTypeWrapper<ShopifyLocationStock>;
  ShopifyOrderData: ResolverTypeWrapper<Omit<ShopifyOrderData, 'exceptions'> & { exceptions: Array<ResolversTypes['ChannelOrderException']> }>;
  ShopifyOrderDelivery: ResolverTypeWrapper<ShopifyOrderDelivery>;
  ShopifyOrderLineData: ResolverTypeWrapper<ShopifyOrderLineData>;
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
  ShopifyCustomerContact: ShopifyCustomerContact;
  ShopifyCustomerDataRequest: Omit<ShopifyCustomerDataRequest, 'orders'> & { orders: Array<ResolversParentTypes['ShopifyOrderData']> };
  ShopifyListing: ShopifyListingValue;
  ShopifyLocationStock: ShopifyLocationStock;
  ShopifyOrderData: Omit<ShopifyOrderData, 'exceptions'> & { exceptions: Array<ResolversParentTypes['ChannelOrderException']> };
  ShopifyOrderDelivery: ShopifyOrderDelivery;
  ShopifyOrderLineData: ShopifyOrderLineData;
  Boolean: Scalars['Boolean']['output'];
  Int: Scalars['Int']['output'];
}>;

export type CacheControlDirectiveArgs = {
  inheritMaxAge?: Maybe<Scalars['Boolean']['input']>;
  maxAge?: Maybe<Scalars['Int']['input']>;
  scope?: Maybe<CacheControlScope>;
};

export type CacheControlDirectiveResolver<Result, Parent, ContextType = ShopifyContext, Args = CacheControlDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type ChannelOrderExceptionResolvers<ContextType = ShopifyContext, ParentType extends ResolversParentTypes['ChannelOrderException'] = ResolversParentTypes['ChannelOrderException']> = ResolversObject<{
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

export type ListingDriftResolvers<ContextType = ShopifyContext, ParentType extends ResolversParentTypes['ListingDrift'] = ResolversParentTypes['ListingDrift']> = ResolversObject<{
  actual?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  expected?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type ListingSyncDeadLetterResolvers<ContextType = ShopifyContext, ParentType extends ResolversParentTypes['ListingSyncDeadLetter'] = ResolversParentTypes['ListingSyncDeadLetter']> = ResolversObject<{
  attempts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  lastError?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ListingSyncStatusResolvers<ContextType = ShopifyContext, ParentType extends ResolversParentTypes['ListingSyncStatus'] = ResolversParentTypes['ListingSyncStatus']> = ResolversObject<{
  dead?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  deadLetters?: Resolver<Array<ResolversTypes['ListingSyncDeadLetter']>, ParentType, ContextType>;
  lastError?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  lastPushedAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  oldestPendingAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  pending?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  synced?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type MoneyResolvers<ContextType = ShopifyContext, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  amountInCents?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = ShopifyContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  closeShopifyCustomerDataRequest?: Resolver<ResolversTypes['ShopifyCustomerDataRequest'], ParentType, ContextType, RequireFields<MutationCloseShopifyCustomerDataRequestArgs, 'id'>>;
  confirmShopifyShipment?: Resolver<ResolversTypes['ShipmentConfirmation'], ParentType, ContextType, RequireFields<MutationConfirmShopifyShipmentArgs, 'input'>>;
  dismissShopifyOrderException?: Resolver<ResolversTypes['ChannelOrderException'], ParentType, ContextType, RequireFields<MutationDismissShopifyOrderExceptionArgs, 'input'>>;
  reconcileShopifyListings?: Resolver<Array<ResolversTypes['ListingDrift']>, ParentType, ContextType>;
  replayShopifyListingSync?: Resolver<ResolversTypes['Int'], ParentType, ContextType, Partial<MutationReplayShopifyListingSyncArgs>>;
  replayShopifyShipmentConfirmations?: Resolver<Array<ResolversTypes['ShipmentConfirmation']>, ParentType, ContextType, Partial<MutationReplayShopifyShipmentConfirmationsArgs>>;
  resolveShopifyOrderException?: Resolver<ResolversTypes['ChannelOrderException'], ParentType, ContextType, RequireFields<MutationResolveShopifyOrderExceptionArgs, 'input'>>;
  retryShopifyOrderException?: Resolver<ResolversTypes['ChannelOrderException'], ParentType, ContextType, RequireFields<MutationRetryShopifyOrderExceptionArgs, 'id'>>;
}>;

export type OperationalAlertResolvers<ContextType = ShopifyContext, ParentType extends ResolversParentTypes['OperationalAlert'] = ResolversParentTypes['OperationalAlert']> = ResolversObject<{
  clearedAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  details?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  firedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  platform?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  rule?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  severity?: Resolver<ResolversTypes['AlertSeverity'], ParentType, ContextType>;
  summary?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ProductResolvers<ContextType = ShopifyContext, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product'], FederationReferenceType extends FederationReferenceTypes['Product'] = FederationReferenceTypes['Product']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Product']> | FederationReferenceType, FederationReferenceType, ContextType>;
  shopifyListing?: Resolver<Maybe<ResolversTypes['ShopifyListing']>, ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = ShopifyContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  shopifyAlerts?: Resolver<Array<ResolversTypes['OperationalAlert']>, ParentType, ContextType, RequireFields<QueryShopifyAlertsArgs, 'firingOnly' | 'first'>>;
  shopifyCustomerDataRequests?: Resolver<Array<ResolversTypes['ShopifyCustomerDataRequest']>, ParentType, ContextType, RequireFields<QueryShopifyCustomerDataRequestsArgs, 'first'>>;
  shopifyListingSync?: Resolver<ResolversTypes['ListingSyncStatus'], ParentType, ContextType>;
  shopifyOrderExceptions?: Resolver<Array<ResolversTypes['ChannelOrderException']>, ParentType, ContextType, RequireFields<QueryShopifyOrderExceptionsArgs, 'first' | 'unresolvedOnly'>>;
  shopifyShipmentConfirmations?: Resolver<Array<ResolversTypes['ShipmentConfirmation']>, ParentType, ContextType, RequireFields<QueryShopifyShipmentConfirmationsArgs, 'first'>>;
}>;

export type ShipmentConfirmationResolvers<ContextType = ShopifyContext, ParentType extends ResolversParentTypes['ShipmentConfirmation'] = ResolversParentTypes['ShipmentConfirmation']> = ResolversObject<{
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

export type ShipmentLineResolvers<ContextType = ShopifyContext, ParentType extends ResolversParentTypes['ShipmentLine'] = ResolversParentTypes['ShipmentLine']> = ResolversObject<{
  lineId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type ShopifyCustomerContactResolvers<ContextType = ShopifyContext, ParentType extends ResolversParentTypes['ShopifyCustomerContact'] = ResolversParentTypes['ShopifyCustomerContact']> = ResolversObject<{
  email?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  phone?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type ShopifyCustomerDataRequestResolvers<ContextType = ShopifyContext, ParentType extends ResolversParentTypes['ShopifyCustomerDataRequest'] = ResolversParentTypes['ShopifyCustomerDataRequest']> = ResolversObject<{
  completedAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  customer?: Resolver<Maybe<ResolversTypes['ShopifyCustomerContact']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  orders?: Resolver<Array<ResolversTypes['ShopifyOrderData']>, ParentType, ContextType>;
  receivedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  shopifyRequestId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type ShopifyListingResolvers<ContextType = ShopifyContext, ParentType extends ResolversParentTypes['ShopifyListing'] = ResolversParentTypes['ShopifyListing']> = ResolversObject<{
  adminUrl?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  availableForSale?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  category?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  compareAtPrice?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  continueSellingWhenOutOfStock?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  fetchedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  handle?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  inventoryItemId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  inventoryTracked?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  locations?: Resolver<Array<ResolversTypes['ShopifyLocationStock']>, ParentType, ContextType>;
  platformStatus?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  price?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  productId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  productTitle?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ShopifyListingStatus'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  variantId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  variantTitle?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  vendor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type ShopifyLocationStockResolvers<ContextType = ShopifyContext, ParentType extends ResolversParentTypes['ShopifyLocationStock'] = ResolversParentTypes['ShopifyLocationStock']> = ResolversObject<{
  available?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  committed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  incoming?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  locationId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  onHand?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ShopifyOrderDataResolvers<ContextType = ShopifyContext, ParentType extends ResolversParentTypes['ShopifyOrderData'] = ResolversParentTypes['ShopifyOrderData']> = ResolversObject<{
  deliveries?: Resolver<Array<ResolversTypes['ShopifyOrderDelivery']>, ParentType, ContextType>;
  exceptions?: Resolver<Array<ResolversTypes['ChannelOrderException']>, ParentType, ContextType>;
  lines?: Resolver<Array<ResolversTypes['ShopifyOrderLineData']>, ParentType, ContextType>;
  orderId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type ShopifyOrderDeliveryResolvers<ContextType = ShopifyContext, ParentType extends ResolversParentTypes['ShopifyOrderDelivery'] = ResolversParentTypes['ShopifyOrderDelivery']> = ResolversObject<{
  payload?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  processedAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  receivedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  topic?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ShopifyOrderLineDataResolvers<ContextType = ShopifyContext, ParentType extends ResolversParentTypes['ShopifyOrderLineData'] = ResolversParentTypes['ShopifyOrderLineData']> = ResolversObject<{
  lineId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  state?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = ShopifyContext> = ResolversObject<{
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
  ShopifyCustomerContact?: ShopifyCustomerContactResolvers<ContextType>;
  ShopifyCustomerDataRequest?: ShopifyCustomerDataRequestResolvers<ContextType>;
  ShopifyListing?: ShopifyListingResolvers<ContextType>;
  ShopifyLocationStock?: ShopifyLocationStockResolvers<ContextType>;
  ShopifyOrderData?: ShopifyOrderDataResolvers<ContextType>;
  ShopifyOrderDelivery?: ShopifyOrderDeliveryResolvers<ContextType>;
  ShopifyOrderLineData?: ShopifyOrderLineDataResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = ShopifyContext> = ResolversObject<{
  cacheControl?: CacheControlDirectiveResolver<any, any, ContextType>;
}>;
