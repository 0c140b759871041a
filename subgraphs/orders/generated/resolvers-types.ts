import type { GraphQLResolveInfo } from 'graphql';
import type { OrderRow, OrderLineRow, OrderStatusChangeRow, FulfilmentRow, ProductRef, CustomerRef, ReservationRef, OrderPage, OrderEdgeValue, OrderEvent, RecordResult, FulfilResult, ChannelFulfilmentRow } from '../models.ts';
import type { OrdersContext } from '../context.ts';
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

export type CacheControlScope =
  | 'PRIVATE'
  | 'PUBLIC';

/** A sales channel (the inventory owns it). */
export type Channel = {
  __typename?: 'Channel';
  id: Scalars['ID']['output'];
};

/** A parcel as the order's platform is told it: the platform's own order and line ids. */
export type ChannelFulfilment = {
  __typename?: 'ChannelFulfilment';
  carrier: Scalars['String']['output'];
  /** Opaque, increasing: pass it as `after` to read on. */
  cursor: Scalars['ID']['output'];
  fulfilmentId: Scalars['ID']['output'];
  lines: Array<ChannelFulfilmentLine>;
  /** Ponte's id of the order. */
  orderId: Scalars['ID']['output'];
  platformOrderId: Scalars['String']['output'];
  shippedAt: Scalars['String']['output'];
  trackingCode: Scalars['String']['output'];
  trackingUrl: Maybe<Scalars['String']['output']>;
};

export type ChannelFulfilmentLine = {
  __typename?: 'ChannelFulfilmentLine';
  /** The platform's line id. */
  lineId: Scalars['ID']['output'];
  quantity: Scalars['Int']['output'];
  sku: Maybe<Scalars['ID']['output']>;
};

export type ChannelOrderLineInput = {
  discountCents?: InputMaybe<Scalars['Int']['input']>;
  lineId: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
  /** The inventory's reservation for this line (the platform subgraph's channel_order_lines). */
  reservationId?: InputMaybe<Scalars['ID']['input']>;
  sku?: InputMaybe<Scalars['ID']['input']>;
  /** The line's own status when its platform ships per line; else the order's. */
  status?: InputMaybe<ChannelOrderStatus>;
  unitPriceCents?: InputMaybe<Scalars['Int']['input']>;
};

export type ChannelOrderStatus =
  | 'CANCELLED'
  | 'FULFILLED'
  | 'OPEN';

export type ChannelShopperAddressInput = {
  city?: InputMaybe<Scalars['String']['input']>;
  complement?: InputMaybe<Scalars['String']['input']>;
  country?: InputMaybe<Scalars['String']['input']>;
  district?: InputMaybe<Scalars['String']['input']>;
  number?: InputMaybe<Scalars['String']['input']>;
  postalCode?: InputMaybe<Scalars['String']['input']>;
  state?: InputMaybe<Scalars['String']['input']>;
  street?: InputMaybe<Scalars['String']['input']>;
};

/** The shopper as the platform names them: handed to the customer directory, never stored by the orders subgraph. */
export type ChannelShopperInput = {
  address?: InputMaybe<ChannelShopperAddressInput>;
  cpf?: InputMaybe<Scalars['String']['input']>;
  email?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
  platformCustomerId?: InputMaybe<Scalars['String']['input']>;
};

/**
 * A shopper's profile (the customers subgraph owns it and what it says about the person); the orders
 * subgraph knows its id and adds the orders it placed.
 */
export type Customer = {
  __typename?: 'Customer';
  /** Declared with the same scopes as the customers subgraph's: an internal app (orders:read) reads `Order.customer { id }`, never the profile. */
  id: Scalars['ID']['output'];
  /** Orders matched to this customer across every channel, newest first. */
  orders: OrderConnection;
};


/**
 * A shopper's profile (the customers subgraph owns it and what it says about the person); the orders
 * subgraph knows its id and adds the orders it placed.
 */
export type CustomerOrdersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type FulfilOrderInput = {
  /** The carrier's name as the shopper knows it (Correios, Jadlog, Loggi, ...). */
  carrier: Scalars['String']['input'];
  /** Up to 200 characters; repeating it with the same parcel replays the first answer and records nothing. */
  idempotencyKey: Scalars['String']['input'];
  lines: Array<FulfilOrderLineInput>;
  /** Ponte's id of the order (Order.id). */
  orderId: Scalars['ID']['input'];
  trackingCode: Scalars['String']['input'];
  /** Where the shopper follows the parcel (http or https). */
  trackingUrl?: InputMaybe<Scalars['String']['input']>;
};

export type FulfilOrderLineInput = {
  /** The platform's id of the line (OrderLine.lineId). */
  lineId: Scalars['ID']['input'];
  /** Units shipped in this parcel: at least 1, at most what remains to ship on the line. */
  quantity: Scalars['Int']['input'];
};

export type FulfilOrderPayload = {
  __typename?: 'FulfilOrderPayload';
  fulfilment: Fulfilment;
  order: Order;
  /** True when this idempotency key had already recorded the parcel: nothing new was recorded. */
  replayed: Scalars['Boolean']['output'];
};

/** A parcel sent for an order, with the carrier's tracking. */
export type Fulfilment = {
  __typename?: 'Fulfilment';
  at: Scalars['String']['output'];
  carrier: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  lines: Array<FulfilmentLine>;
  /** Who recorded it: a platform, a Ponte service or an operator. */
  source: Scalars['String']['output'];
  trackingCode: Scalars['String']['output'];
  trackingUrl: Maybe<Scalars['String']['output']>;
};

export type FulfilmentLine = {
  __typename?: 'FulfilmentLine';
  lineId: Scalars['ID']['output'];
  quantity: Scalars['Int']['output'];
};

export type Money = {
  __typename?: 'Money';
  /** Amount in the currency's minor unit (cents). */
  amountInCents: Scalars['Int']['output'];
  /** ISO 4217 code. */
  currency: Scalars['String']['output'];
};

export type MoneyAmountsInput = {
  discountCents: Scalars['Int']['input'];
  shippingCents: Scalars['Int']['input'];
  subtotalCents: Scalars['Int']['input'];
  taxCents: Scalars['Int']['input'];
  totalCents: Scalars['Int']['input'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Records a parcel sent for an order (an operator, or a partner such as a 3PL for its own channels):
   * the order moves to PARTIALLY_FULFILLED or FULFILLED, each line shipped in full commits its
   * reservation's units in the inventory (they leave on hand once, even when the platform later says
   * the order shipped), and the platform the order came from is told the tracking. Refused with
   * nothing changed: an unknown order or line (UNKNOWN_ORDER, UNKNOWN_ORDER_LINE), a cancelled order
   * (ORDER_CANCELLED), more units than remain on a line (FULFILMENT_EXCEEDS_ORDER).
   */
  fulfilOrder: Maybe<FulfilOrderPayload>;
  /**
   * Records a channel's order as its platform subgraph read it (service to service), idempotently: keyed
   * by (channel, platformOrderId); a redelivery changes nothing, an older version changes nothing.
   */
  recordChannelOrder: Maybe<RecordChannelOrderPayload>;
};


export type MutationFulfilOrderArgs = {
  input: FulfilOrderInput;
};


export type MutationRecordChannelOrderArgs = {
  input: RecordChannelOrderInput;
};

/**
 * One order from any channel (Shopify, WooCommerce, Mercado Livre, Amazon, a store), as Ponte keeps it:
 * recorded by the platform subgraphs' order intake, once per (channel, platform order id), and updated
 * only by a newer version from the platform. Orders change at any moment and say who bought: never cached.
 */
export type Order = {
  __typename?: 'Order';
  /**
   * When Ponte's copy last changed (ISO 8601, UTC): moves with every recorded change, even one the
   * platform stamped with the same `updatedAt` (a cancellation in the same second as the order), so a
   * service keeping its own copy versions the order by it.
   */
  changedAt: Scalars['String']['output'];
  /** The sales channel it came from. */
  channel: Channel;
  /** ISO 4217 code of every amount on the order. */
  currency: Scalars['String']['output'];
  /** The customer profile the shopper was matched to; null when no profile was matched (or it was erased). */
  customer: Maybe<Customer>;
  /** Parcels sent, with their tracking, oldest first. */
  fulfilments: Array<Fulfilment>;
  /** Ponte's id of the order (opaque). */
  id: Scalars['ID']['output'];
  lines: Array<OrderLine>;
  /** When the shopper placed it (ISO 8601, UTC), as the platform says. */
  placedAt: Scalars['String']['output'];
  /** The platform of the channel: shopify, woocommerce, mercadolivre, amazon, pos. */
  platform: Scalars['String']['output'];
  /** The order's id on its platform (a Shopify order GID, a WooCommerce order number, ...). */
  platformOrderId: Scalars['String']['output'];
  /** When Ponte first recorded it. */
  recordedAt: Scalars['String']['output'];
  /** Where it ships: the CEP only (routing needs no more). Null for a sale over the counter or when the platform gave none. */
  shipTo: Maybe<OrderShipTo>;
  status: OrderStatus;
  /** Every status the order has had, oldest first, each recorded once. */
  statusHistory: Array<OrderStatusChange>;
  totals: OrderTotals;
  /** The platform's time of the version Ponte holds: a version older than this changes nothing. */
  updatedAt: Scalars['String']['output'];
};

export type OrderChangeKind =
  /** A parcel was recorded. */
  | 'FULFILMENT_ADDED'
  /** Recorded for the first time. */
  | 'PLACED'
  /** Its status moved. */
  | 'STATUS_CHANGED'
  /** Something else changed (lines, totals, reservations, customer). */
  | 'UPDATED';

export type OrderChangedEvent = {
  __typename?: 'OrderChangedEvent';
  /** Outbox id: increases with every committed change. */
  id: Scalars['ID']['output'];
  kind: OrderChangeKind;
  occurredAt: Scalars['String']['output'];
  order: Order;
  /** The status the change left the order in. */
  status: OrderStatus;
};

export type OrderConnection = {
  __typename?: 'OrderConnection';
  edges: Array<OrderEdge>;
  nodes: Array<Order>;
  pageInfo: OrderPageInfo;
};

export type OrderEdge = {
  __typename?: 'OrderEdge';
  /** Opaque: pass it as `after` to read on from this order. */
  cursor: Scalars['String']['output'];
  node: Order;
};

/** Every condition given must hold. */
export type OrderFilter = {
  channel?: InputMaybe<Scalars['ID']['input']>;
  customerId?: InputMaybe<Scalars['ID']['input']>;
  /** Placed at or after (ISO 8601). */
  placedFrom?: InputMaybe<Scalars['String']['input']>;
  /** Placed before (ISO 8601). */
  placedTo?: InputMaybe<Scalars['String']['input']>;
  /** Orders with at least one line of this SKU. */
  sku?: InputMaybe<Scalars['ID']['input']>;
  status?: InputMaybe<OrderStatus>;
};

export type OrderLine = {
  __typename?: 'OrderLine';
  /** Discount on the whole line. */
  discount: Money;
  /** The platform's id of the line. */
  lineId: Scalars['ID']['output'];
  product: Maybe<Product>;
  quantity: Scalars['Int']['output'];
  /** The inventory's reservation that holds (or held) this line's units; null when none was made. */
  reservation: Maybe<Reservation>;
  /** Canonical SKU; null when the platform's line names no SKU Ponte knows (an order exception on its platform). */
  sku: Maybe<Scalars['ID']['output']>;
  status: OrderLineStatus;
  /** quantity × unitPrice − discount. */
  total: Money;
  /** Price of one unit before discounts. */
  unitPrice: Money;
};

export type OrderLineStatus =
  | 'CANCELLED'
  | 'FULFILLED'
  | 'OPEN';

export type OrderPageInfo = {
  __typename?: 'OrderPageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type OrderShipTo = {
  __typename?: 'OrderShipTo';
  /** Brazilian CEP, as 00000-000. */
  postalCode: Scalars['String']['output'];
};

export type OrderStatus =
  /** Cancelled on the channel: nothing ships, reserved units were released. */
  | 'CANCELLED'
  /** Every line shipped. */
  | 'FULFILLED'
  /** Placed (and paid): its units are reserved, nothing has shipped. */
  | 'OPEN'
  /** Some lines shipped, others still to ship. */
  | 'PARTIALLY_FULFILLED';

export type OrderStatusChange = {
  __typename?: 'OrderStatusChange';
  /** The platform's time of the version that brought this status (or when Ponte saw it, if the platform gave none). */
  at: Scalars['String']['output'];
  /** Who said so: the platform (shopify, ...) or a Ponte service. */
  source: Scalars['String']['output'];
  status: OrderStatus;
};

export type OrderTotals = {
  __typename?: 'OrderTotals';
  discounts: Money;
  shipping: Money;
  /** Lines at their unit prices, before discounts. */
  subtotal: Money;
  tax: Money;
  /** What the shopper paid. */
  total: Money;
};

/** The orders subgraph adds the orders that sold a SKU. */
export type Product = {
  __typename?: 'Product';
  /** Orders with a line of this SKU, newest first. */
  orders: OrderConnection;
  sku: Scalars['ID']['output'];
};


/** The orders subgraph adds the orders that sold a SKU. */
export type ProductOrdersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type Query = {
  __typename?: 'Query';
  /**
   * Parcels fulfilOrder recorded for a channel's orders, oldest first, after a cursor (at most 100):
   * the feed each platform subgraph follows, from the last cursor it handled, to tell its platform.
   */
  channelFulfilments: Array<ChannelFulfilment>;
  order: Maybe<Order>;
  /**
   * Every order changed after `after` (a cursor this list gave; absent: every order there is), each in
   * its latest version, oldest change first, at most 500 a page: how a service that keeps its own copy
   * (the insights subgraph) catches up from where it stopped. Keyed by the order's latest outbox event
   * (0 for history loaded without events), so a change committed later always sorts after the cursor
   * and an order changed again shows up again.
   */
  orderChangesSince: OrderConnection;
  /** An order by the id its platform gave it. */
  orderOnChannel: Maybe<Order>;
  /**
   * Orders, newest first (by placedAt, then id), at most 100 a page. Pages are read by keyset, so an
   * order recorded while a client pages through never shifts a page nor is seen twice.
   */
  orders: OrderConnection;
};


export type QueryChannelFulfilmentsArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  channel: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryOrderArgs = {
  id: Scalars['ID']['input'];
};


export type QueryOrderChangesSinceArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryOrderOnChannelArgs = {
  channel: Scalars['ID']['input'];
  platformOrderId: Scalars['String']['input'];
};


export type QueryOrdersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<OrderFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type RecordChannelOrderInput = {
  channel: Scalars['ID']['input'];
  /** ISO 4217. @default BRL */
  currency?: InputMaybe<Scalars['String']['input']>;
  customer?: InputMaybe<ChannelShopperInput>;
  lines: Array<ChannelOrderLineInput>;
  /** ISO 8601; absent: when Ponte first saw it. */
  placedAt?: InputMaybe<Scalars['String']['input']>;
  /** The platform's short name (shopify, woocommerce, mercadolivre, amazon). */
  platform: Scalars['String']['input'];
  platformOrderId: Scalars['String']['input'];
  shipTo?: InputMaybe<ShipToInput>;
  status: ChannelOrderStatus;
  totals?: InputMaybe<MoneyAmountsInput>;
  /** The platform's time of this version (ISO 8601); an older one than recorded changes nothing. */
  updatedAt?: InputMaybe<Scalars['String']['input']>;
};

export type RecordChannelOrderPayload = {
  __typename?: 'RecordChannelOrderPayload';
  order: Order;
  outcome: RecordOutcome;
};

export type RecordOutcome =
  /** First time Ponte sees this order. */
  | 'CREATED'
  /** Older than the version recorded: nothing changed. */
  | 'STALE'
  /** The same version again (a redelivery): nothing changed. */
  | 'UNCHANGED'
  /** A newer version (or the same version with more to say): recorded. */
  | 'UPDATED';

/** The inventory's reservation; the orders subgraph adds the order it holds units for. */
export type Reservation = {
  __typename?: 'Reservation';
  /** Who reads a reservation needs what the inventory asks for it; who follows it to its order needs orders:read. */
  id: Scalars['ID']['output'];
  /** The order whose line this reservation holds; null for a reservation no recorded order names. */
  order: Maybe<Order>;
};

export type ShipToInput = {
  postalCode: Scalars['String']['input'];
};

export type Subscription = {
  __typename?: 'Subscription';
  /** Every committed change to an order, optionally narrowed to one channel or to the status it left the order in. */
  orderChanged: OrderChangedEvent;
};


export type SubscriptionOrderChangedArgs = {
  channel?: InputMaybe<Scalars['ID']['input']>;
  status?: InputMaybe<OrderStatus>;
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
  Customer: Customer;
  Order: Order;
  Product: Product;
  Reservation: Reservation;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Customer:
    ( { __typename: 'Customer' }
    & GraphQLRecursivePick<FederationTypes['Customer'], {"id":true}> );
  Order:
    ( { __typename: 'Order' }
    & GraphQLRecursivePick<FederationTypes['Order'], {"id":true}> );
  Product:
    ( { __typename: 'Product' }
    & GraphQLRecursivePick<FederationTypes['Product'], {"sku":true}> );
  Reservation:
    ( { __typename: 'Reservation' }
    & GraphQLRecursivePick<FederationTypes['Reservation'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  CacheControlScope: CacheControlScope;
  Channel: ResolverTypeWrapper<Channel>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  ChannelFulfilment: ResolverTypeWrapper<ChannelFulfilmentRow>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ChannelFulfilmentLine: ResolverTypeWrapper<ChannelFulfilmentLine>;
  ChannelOrderLineInput: ChannelOrderLineInput;
  ChannelOrderStatus: ChannelOrderStatus;
  ChannelShopperAddressInput: ChannelShopperAddressInput;
  ChannelShopperInput: ChannelShopperInput;
  Customer: ResolverTypeWrapper<CustomerRef>;
  FulfilOrderInput: FulfilOrderInput;
  FulfilOrderLineInput: FulfilOrderLineInput;
  FulfilOrderPayload: ResolverTypeWrapper<FulfilResult>;
  Fulfilment: ResolverTypeWrapper<FulfilmentRow>;
  FulfilmentLine: ResolverTypeWrapper<FulfilmentLine>;
  Money: ResolverTypeWrapper<Money>;
  MoneyAmountsInput: MoneyAmountsInput;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Order: ResolverTypeWrapper<OrderRow>;
  OrderChangeKind: OrderChangeKind;
  OrderChangedEvent: ResolverTypeWrapper<OrderEvent>;
  OrderConnection: ResolverTypeWrapper<OrderPage>;
  OrderEdge: ResolverTypeWrapper<OrderEdgeValue>;
  OrderFilter: OrderFilter;
  OrderLine: ResolverTypeWrapper<OrderLineRow>;
  OrderLineStatus: OrderLineStatus;
  OrderPageInfo: ResolverTypeWrapper<OrderPage>;
  OrderShipTo: ResolverTypeWrapper<OrderShipTo>;
  OrderStatus: OrderStatus;
  OrderStatusChange: ResolverTypeWrapper<OrderStatusChangeRow>;
  OrderTotals: ResolverTypeWrapper<OrderRow>;
  Product: ResolverTypeWrapper<ProductRef>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RecordChannelOrderInput: RecordChannelOrderInput;
  RecordChannelOrderPayload: ResolverTypeWrapper<RecordResult>;
  RecordOutcome: RecordOutcome;
  Reservation: ResolverTypeWrapper<ReservationRef>;
  ShipToInput: ShipToInput;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Channel: Channel;
  ID: Scalars['ID']['output'];
  ChannelFulfilment: ChannelFulfilmentRow;
  String: Scalars['String']['output'];
  ChannelFulfilmentLine: ChannelFulfilmentLine;
  ChannelOrderLineInput: ChannelOrderLineInput;
  ChannelShopperAddressInput: ChannelShopperAddressInput;
  ChannelShopperInput: ChannelShopperInput;
  Customer: CustomerRef;
  FulfilOrderInput: FulfilOrderInput;
  FulfilOrderLineInput: FulfilOrderLineInput;
  FulfilOrderPayload: FulfilResult;
  Fulfilment: FulfilmentRow;
  FulfilmentLine: FulfilmentLine;
  Money: Money;
  MoneyAmountsInput: MoneyAmountsInput;
  Mutation: Record<PropertyKey, never>;
  Order: OrderRow;
  OrderChangedEvent: OrderEvent;
  OrderConnection: OrderPage;
  OrderEdge: OrderEdgeValue;
  OrderFilter: OrderFilter;
  OrderLine: OrderLineRow;
  OrderPageInfo: OrderPage;
  OrderShipTo: OrderShipTo;
  OrderStatusChange: OrderStatusChangeRow;
  OrderTotals: OrderRow;
  Product: ProductRef;
  Query: Record<PropertyKey, never>;
  RecordChannelOrderInput: RecordChannelOrderInput;
  RecordChannelOrderPayload: RecordResult;
  Reservation: ReservationRef;
  ShipToInput: ShipToInput;
  Subscription: Record<PropertyKey, never>;
  Boolean: Scalars['Boolean']['output'];
  Int: Scalars['Int']['output'];
}>;

export type CacheControlDirectiveArgs = {
  inheritMaxAge?: Maybe<Scalars['Boolean']['input']>;
  maxAge?: Maybe<Scalars['Int']['input']>;
  scope?: Maybe<CacheControlScope>;
};

export type CacheControlDirectiveResolver<Result, Parent, ContextType = OrdersContext, Args = CacheControlDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type ChannelResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['Channel'] = ResolversParentTypes['Channel']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type ChannelFulfilmentResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['ChannelFulfilment'] = ResolversParentTypes['ChannelFulfilment']> = ResolversObject<{
  carrier?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  cursor?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  fulfilmentId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lines?: Resolver<Array<ResolversTypes['ChannelFulfilmentLine']>, ParentType, ContextType>;
  orderId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  platformOrderId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  shippedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  trackingCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  trackingUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type ChannelFulfilmentLineResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['ChannelFulfilmentLine'] = ResolversParentTypes['ChannelFulfilmentLine']> = ResolversObject<{
  lineId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
}>;

export type CustomerResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['Customer'] = ResolversParentTypes['Customer'], FederationReferenceType extends FederationReferenceTypes['Customer'] = FederationReferenceTypes['Customer']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Customer']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  orders?: Resolver<ResolversTypes['OrderConnection'], ParentType, ContextType, RequireFields<CustomerOrdersArgs, 'first'>>;
}>;

export type FulfilOrderPayloadResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['FulfilOrderPayload'] = ResolversParentTypes['FulfilOrderPayload']> = ResolversObject<{
  fulfilment?: Resolver<ResolversTypes['Fulfilment'], ParentType, ContextType>;
  order?: Resolver<ResolversTypes['Order'], ParentType, ContextType>;
  replayed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type FulfilmentResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['Fulfilment'] = ResolversParentTypes['Fulfilment']> = ResolversObject<{
  at?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  carrier?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lines?: Resolver<Array<ResolversTypes['FulfilmentLine']>, ParentType, ContextType>;
  source?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  trackingCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  trackingUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type FulfilmentLineResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['FulfilmentLine'] = ResolversParentTypes['FulfilmentLine']> = ResolversObject<{
  lineId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type MoneyResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  amountInCents?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  fulfilOrder?: Resolver<Maybe<ResolversTypes['FulfilOrderPayload']>, ParentType, ContextType, RequireFields<MutationFulfilOrderArgs, 'input'>>;
  recordChannelOrder?: Resolver<Maybe<ResolversTypes['RecordChannelOrderPayload']>, ParentType, ContextType, RequireFields<MutationRecordChannelOrderArgs, 'input'>>;
}>;

export type OrderResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['Order'] = ResolversParentTypes['Order'], FederationReferenceType extends FederationReferenceTypes['Order'] = FederationReferenceTypes['Order']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Order']> | FederationReferenceType, FederationReferenceType, ContextType>;
  changedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  channel?: Resolver<ResolversTypes['Channel'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  customer?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType>;
  fulfilments?: Resolver<Array<ResolversTypes['Fulfilment']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lines?: Resolver<Array<ResolversTypes['OrderLine']>, ParentType, ContextType>;
  placedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  platform?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  platformOrderId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  recordedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  shipTo?: Resolver<Maybe<ResolversTypes['OrderShipTo']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['OrderStatus'], ParentType, ContextType>;
  statusHistory?: Resolver<Array<ResolversTypes['OrderStatusChange']>, ParentType, ContextType>;
  totals?: Resolver<ResolversTypes['OrderTotals'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type OrderChangedEventResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['OrderChangedEvent'] = ResolversParentTypes['OrderChangedEvent']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['OrderChangeKind'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  order?: Resolver<ResolversTypes['Order'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['OrderStatus'], ParentType, ContextType>;
}>;

export type OrderConnectionResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['OrderConnection'] = ResolversParentTypes['OrderConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['OrderEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['Order']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['OrderPageInfo'], ParentType, ContextType>;
}>;

export type OrderEdgeResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['OrderEdge'] = ResolversParentTypes['OrderEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Order'], ParentType, ContextType>;
}>;

export type OrderLineResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['OrderLine'] = ResolversParentTypes['OrderLine']> = ResolversObject<{
  discount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  lineId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  product?: Resolver<Maybe<ResolversTypes['Product']>, ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reservation?: Resolver<Maybe<ResolversTypes['Reservation']>, ParentType, ContextType>;
  sku?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['OrderLineStatus'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  unitPrice?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
}>;

export type OrderPageInfoResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['OrderPageInfo'] = ResolversParentTypes['OrderPageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type OrderShipToResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['OrderShipTo'] = ResolversParentTypes['OrderShipTo']> = ResolversObject<{
  postalCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type OrderStatusChangeResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['OrderStatusChange'] = ResolversParentTypes['OrderStatusChange']> = ResolversObject<{
  at?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['OrderStatus'], ParentType, ContextType>;
}>;

export type OrderTotalsResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['OrderTotals'] = ResolversParentTypes['OrderTotals']> = ResolversObject<{
  discounts?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  shipping?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  subtotal?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  tax?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
}>;

export type ProductResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product'], FederationReferenceType extends FederationReferenceTypes['Product'] = FederationReferenceTypes['Product']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Product']> | FederationReferenceType, FederationReferenceType, ContextType>;
  orders?: Resolver<ResolversTypes['OrderConnection'], ParentType, ContextType, RequireFields<ProductOrdersArgs, 'first'>>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  channelFulfilments?: Resolver<Array<ResolversTypes['ChannelFulfilment']>, ParentType, ContextType, RequireFields<QueryChannelFulfilmentsArgs, 'channel' | 'first'>>;
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType, RequireFields<QueryOrderArgs, 'id'>>;
  orderChangesSince?: Resolver<ResolversTypes['OrderConnection'], ParentType, ContextType, RequireFields<QueryOrderChangesSinceArgs, 'first'>>;
  orderOnChannel?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType, RequireFields<QueryOrderOnChannelArgs, 'channel' | 'platformOrderId'>>;
  orders?: Resolver<ResolversTypes['OrderConnection'], ParentType, ContextType, RequireFields<QueryOrdersArgs, 'first'>>;
}>;

export type RecordChannelOrderPayloadResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['RecordChannelOrderPayload'] = ResolversParentTypes['RecordChannelOrderPayload']> = ResolversObject<{
  order?: Resolver<ResolversTypes['Order'], ParentType, ContextType>;
  outcome?: Resolver<ResolversTypes['RecordOutcome'], ParentType, ContextType>;
}>;

export type ReservationResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['Reservation'] = ResolversParentTypes['Reservation'], FederationReferenceType extends FederationReferenceTypes['Reservation'] = FederationReferenceTypes['Reservation']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Reservation']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType>;
}>;

export type SubscriptionResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  orderChanged?: SubscriptionResolver<ResolversTypes['OrderChangedEvent'], "orderChanged", ParentType, ContextType, Partial<SubscriptionOrderChangedArgs>>;
}>;

export type Resolvers<ContextType = OrdersContext> = ResolversObject<{
  Channel?: ChannelResolvers<ContextType>;
  ChannelFulfilment?: ChannelFulfilmentResolvers<ContextType>;
  ChannelFulfilmentLine?: ChannelFulfilmentLineResolvers<ContextType>;
  Customer?: CustomerResolvers<ContextType>;
  FulfilOrderPayload?: FulfilOrderPayloadResolvers<ContextType>;
  Fulfilment?: FulfilmentResolvers<ContextType>;
  FulfilmentLine?: FulfilmentLineResolvers<ContextType>;
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Order?: OrderResolvers<ContextType>;
  OrderChangedEvent?: OrderChangedEventResolvers<ContextType>;
  OrderConnection?: OrderConnectionResolvers<ContextType>;
  OrderEdge?: OrderEdgeResolvers<ContextType>;
  OrderLine?: OrderLineResolvers<ContextType>;
  OrderPageInfo?: OrderPageInfoResolvers<ContextType>;
  OrderShipTo?: OrderShipToResolvers<ContextType>;
  OrderStatusChange?: OrderStatusChangeResolvers<ContextType>;
  OrderTotals?: OrderTotalsResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RecordChannelOrderPayload?: RecordChannelOrderPayloadResolvers<ContextType>;
  Reservation?: ReservationResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = OrdersContext> = ResolversObject<{
  cacheControl?: CacheControlDirectiveResolver<any, any, ContextType>;
}>;
