import type { GraphQLResolveInfo } from 'graphql';
import type { ProductRef, LocationRow, StockLevelRow, ChannelRow, ChannelAvailabilityValue, StockMovementRow, ReservationRow, ReservationLineRow, ChannelPolicyResult, StockChangeResult, ReservationResult, StockEvent, ProductPage } from '../models.ts';
import type { InventoryContext } from '../context.ts';
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

export type AdjustStockInput = {
  /** Positive or negative change to on-hand units; never 0, at most 1,000,000 either way. */
  delta: Scalars['Int']['input'];
  /** Up to 200 characters; repeating it replays the first answer. */
  idempotencyKey: Scalars['String']['input'];
  location: Scalars['ID']['input'];
  /** Why, for the ledger: 1 to 500 characters. */
  reason: Scalars['String']['input'];
  /** External reference, e.g. a purchase order: up to 200 characters. */
  reference?: InputMaybe<Scalars['String']['input']>;
  sku: Scalars['ID']['input'];
};

/** A place where the merchant sells: a platform account or a physical store. */
export type Channel = {
  __typename?: 'Channel';
  allocationPolicy: ChannelAllocationPolicy;
  /** Listed quantity per SKU on this channel; a SKU that cannot be answered is null, with its error. */
  availability: Array<Maybe<ChannelAvailability>>;
  id: Scalars['ID']['output'];
  kind: ChannelKind;
  name: Scalars['String']['output'];
};


/** A place where the merchant sells: a platform account or a physical store. */
export type ChannelAvailabilityArgs = {
  skus: Array<Scalars['ID']['input']>;
};

/** How much of the canonical stock a channel may list. */
export type ChannelAllocationPolicy = {
  __typename?: 'ChannelAllocationPolicy';
  /** Whether the channel may keep selling past zero. */
  backordersAllowed: Scalars['Boolean']['output'];
  /** Units held back from this channel. */
  bufferUnits: Scalars['Int']['output'];
  /** Locations whose stock feeds the channel, in priority order (routing reorders them by distance when the delivery CEP is known). */
  locations: Array<Location>;
  /** Upper bound on the listed quantity; null for none. */
  maxListedQuantity: Maybe<Scalars['Int']['output']>;
  /** Below this the channel lists 0, so a last unit is not oversold on a slow channel. */
  minListedQuantity: Scalars['Int']['output'];
  /** Percentage of the remaining available units listed, rounded down. */
  percentageOfAvailable: Scalars['Int']['output'];
  /** How a reservation with a delivery CEP chooses among `locations` (see README, Routing). */
  routingPreference: RoutingPreference;
};

/** The quantity Ponte pushes to one channel for one SKU. */
export type ChannelAvailability = {
  __typename?: 'ChannelAvailability';
  /** Available units across the channel's locations, before the policy. */
  available: Scalars['Int']['output'];
  backordersAllowed: Scalars['Boolean']['output'];
  channel: Channel;
  product: Product;
  /** What the listing shows, after buffer, percentage, maximum and minimum. */
  quantity: Scalars['Int']['output'];
  sku: Scalars['ID']['output'];
  /**
   * Grows with every change to the SKU's stock at any location: of two answers for the same SKU
   * and channel, the one with the higher version is the newer. Channel sync orders pushes by it.
   */
  stockVersion: Scalars['Int']['output'];
};

export type ChannelKind =
  | 'AMAZON'
  | 'MERCADO_LIVRE'
  | 'OTHER'
  | 'POINT_OF_SALE'
  | 'SHOPIFY'
  | 'WOOCOMMERCE';

export type ChannelPolicyPayload = {
  __typename?: 'ChannelPolicyPayload';
  channel: Channel;
  replayed: Scalars['Boolean']['output'];
};

/** The delivery address as far as routing needs it. */
export type DeliveryAddress = {
  __typename?: 'DeliveryAddress';
  /** Brazilian CEP, as 01310-100. */
  postalCode: Scalars['String']['output'];
};

export type DeliveryAddressInput = {
  /** Brazilian CEP: 8 digits, with or without the hyphen (01310-100 or 01310100). Anything else is refused with BAD_USER_INPUT and nothing is reserved. */
  postalCode: Scalars['String']['input'];
};

/** A place that holds stock: a warehouse, a physical store or a 3PL. */
export type Location = {
  __typename?: 'Location';
  id: Scalars['ID']['output'];
  kind: LocationKind;
  name: Scalars['String']['output'];
  /** Brazilian CEP, used for routing: a reservation with a delivery CEP ships from the nearest location with stock. */
  postalCode: Maybe<Scalars['String']['output']>;
  /** Lower is preferred when routing a reservation without a delivery CEP, and between equally near locations. */
  priority: Scalars['Int']['output'];
  stockLevels: Array<StockLevel>;
};


/** A place that holds stock: a warehouse, a physical store or a 3PL. */
export type LocationStockLevelsArgs = {
  skus?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type LocationKind =
  | 'STORE'
  | 'THIRD_PARTY_LOGISTICS'
  | 'WAREHOUSE';

/**
 * Every mutation is one idempotent transaction. Payloads are nullable (as GitHub's and Shopify's
 * are): in a request with several mutations, one that fails answers null with its error while the
 * others keep their answers.
 *
 * Limits on every input, refused with BAD_USER_INPUT naming the field and nothing stored:
 * `idempotencyKey`, ids and references (`reference`, `orderReference`, `lineReference`) up to 200
 * characters without control characters; SKUs up to 100; `reason` up to 500 characters; no string
 * anywhere may contain a NUL character. One operation moves at most 1,000,000 units
 * (INVALID_QUANTITY otherwise), and a SKU holds at most 1,000,000,000 units of on-hand, committed,
 * incoming and safety stock, each summed over its locations: a write that would pass that ceiling
 * fails with QUANTITY_LIMIT_EXCEEDED and changes nothing.
 */
export type Mutation = {
  __typename?: 'Mutation';
  adjustStock: Maybe<StockChangePayload>;
  /** The order shipped: committed units leave on-hand. */
  fulfilReservation: Maybe<ReservationPayload>;
  receiveStock: Maybe<StockChangePayload>;
  recordIncomingStock: Maybe<StockChangePayload>;
  /** A sale completed on the spot (a store's till): reserved and fulfilled at once, at the channel's locations. */
  recordSale: Maybe<ReservationPayload>;
  /** Starts tracking stock for new SKUs (letters, digits and . _ / -, up to 100 characters). */
  registerProducts: Maybe<RegisterProductsPayload>;
  /** The order was cancelled before shipping: committed units become available again. */
  releaseReservation: Maybe<ReservationPayload>;
  /** Reserves every line for the channel's order, all or nothing, at locations chosen by the channel's policy and the delivery CEP (see `deliverTo`). */
  reserveStock: Maybe<ReservationPayload>;
  /** Units came back (a customer return) and are sellable again. */
  returnStock: Maybe<StockChangePayload>;
  /** How the channel's reservations choose among its locations when the delivery CEP is known. */
  setChannelRoutingPreference: Maybe<ChannelPolicyPayload>;
  setSafetyStock: Maybe<StockChangePayload>;
  setStock: Maybe<StockChangePayload>;
  transferStock: Maybe<StockChangePayload>;
};


/**
 * Every mutation is one idempotent transaction. Payloads are nullable (as GitHub's and Shopify's
 * are): in a request with several mutations, one that fails answers null with its error while the
 * others keep their answers.
 *
 * Limits on every input, refused with BAD_USER_INPUT naming the field and nothing stored:
 * `idempotencyKey`, ids and references (`reference`, `orderReference`, `lineReference`) up to 200
 * characters without control characters; SKUs up to 100; `reason` up to 500 characters; no string
 * anywhere may contain a NUL character. One operation moves at most 1,000,000 units
 * (INVALID_QUANTITY otherwise), and a SKU holds at most 1,000,000,000 units of on-hand, committed,
 * incoming and safety stock, each summed over its locations: a write that would pass that ceiling
 * fails with QUANTITY_LIMIT_EXCEEDED and changes nothing.
 */
export type MutationAdjustStockArgs = {
  input: AdjustStockInput;
};


/**
 * Every mutation is one idempotent transaction. Payloads are nullable (as GitHub's and Shopify's
 * are): in a request with several mutations, one that fails answers null with its error while the
 * others keep their answers.
 *
 * Limits on every input, refused with BAD_USER_INPUT naming the field and nothing stored:
 * `idempotencyKey`, ids and references (`reference`, `orderReference`, `lineReference`) up to 200
 * characters without control characters; SKUs up to 100; `reason` up to 500 characters; no string
 * anywhere may contain a NUL character. One operation moves at most 1,000,000 units
 * (INVALID_QUANTITY otherwise), and a SKU holds at most 1,000,000,000 units of on-hand, committed,
 * incoming and safety stock, each summed over its locations: a write that would pass that ceiling
 * fails with QUANTITY_LIMIT_EXCEEDED and changes nothing.
 */
export type MutationFulfilReservationArgs = {
  input: ReservationActionInput;
};


/**
 * Every mutation is one idempotent transaction. Payloads are nullable (as GitHub's and Shopify's
 * are): in a request with several mutations, one that fails answers null with its error while the
 * others keep their answers.
 *
 * Limits on every input, refused with BAD_USER_INPUT naming the field and nothing stored:
 * `idempotencyKey`, ids and references (`reference`, `orderReference`, `lineReference`) up to 200
 * characters without control characters; SKUs up to 100; `reason` up to 500 characters; no string
 * anywhere may contain a NUL character. One operation moves at most 1,000,000 units
 * (INVALID_QUANTITY otherwise), and a SKU holds at most 1,000,000,000 units of on-hand, committed,
 * incoming and safety stock, each summed over its locations: a write that would pass that ceiling
 * fails with QUANTITY_LIMIT_EXCEEDED and changes nothing.
 */
export type MutationReceiveStockArgs = {
  input: ReceiveStockInput;
};


/**
 * Every mutation is one idempotent transaction. Payloads are nullable (as GitHub's and Shopify's
 * are): in a request with several mutations, one that fails answers null with its error while the
 * others keep their answers.
 *
 * Limits on every input, refused with BAD_USER_INPUT naming the field and nothing stored:
 * `idempotencyKey`, ids and references (`reference`, `orderReference`, `lineReference`) up to 200
 * characters without control characters; SKUs up to 100; `reason` up to 500 characters; no string
 * anywhere may contain a NUL character. One operation moves at most 1,000,000 units
 * (INVALID_QUANTITY otherwise), and a SKU holds at most 1,000,000,000 units of on-hand, committed,
 * incoming and safety stock, each summed over its locations: a write that would pass that ceiling
 * fails with QUANTITY_LIMIT_EXCEEDED and changes nothing.
 */
export type MutationRecordIncomingStockArgs = {
  input: RecordIncomingStockInput;
};


/**
 * Every mutation is one idempotent transaction. Payloads are nullable (as GitHub's and Shopify's
 * are): in a request with several mutations, one that fails answers null with its error while the
 * others keep their answers.
 *
 * Limits on every input, refused with BAD_USER_INPUT naming the field and nothing stored:
 * `idempotencyKey`, ids and references (`reference`, `orderReference`, `lineReference`) up to 200
 * characters without control characters; SKUs up to 100; `reason` up to 500 characters; no string
 * anywhere may contain a NUL character. One operation moves at most 1,000,000 units
 * (INVALID_QUANTITY otherwise), and a SKU holds at most 1,000,000,000 units of on-hand, committed,
 * incoming and safety stock, each summed over its locations: a write that would pass that ceiling
 * fails with QUANTITY_LIMIT_EXCEEDED and changes nothing.
 */
export type MutationRecordSaleArgs = {
  input: ReserveStockInput;
};


/**
 * Every mutation is one idempotent transaction. Payloads are nullable (as GitHub's and Shopify's
 * are): in a request with several mutations, one that fails answers null with its error while the
 * others keep their answers.
 *
 * Limits on every input, refused with BAD_USER_INPUT naming the field and nothing stored:
 * `idempotencyKey`, ids and references (`reference`, `orderReference`, `lineReference`) up to 200
 * characters without control characters; SKUs up to 100; `reason` up to 500 characters; no string
 * anywhere may contain a NUL character. One operation moves at most 1,000,000 units
 * (INVALID_QUANTITY otherwise), and a SKU holds at most 1,000,000,000 units of on-hand, committed,
 * incoming and safety stock, each summed over its locations: a write that would pass that ceiling
 * fails with QUANTITY_LIMIT_EXCEEDED and changes nothing.
 */
export type MutationRegisterProductsArgs = {
  input: RegisterProductsInput;
};


/**
 * Every mutation is one idempotent transaction. Payloads are nullable (as GitHub's and Shopify's
 * are): in a request with several mutations, one that fails answers null with its error while the
 * others keep their answers.
 *
 * Limits on every input, refused with BAD_USER_INPUT naming the field and nothing stored:
 * `idempotencyKey`, ids and references (`reference`, `orderReference`, `lineReference`) up to 200
 * characters without control characters; SKUs up to 100; `reason` up to 500 characters; no string
 * anywhere may contain a NUL character. One operation moves at most 1,000,000 units
 * (INVALID_QUANTITY otherwise), and a SKU holds at most 1,000,000,000 units of on-hand, committed,
 * incoming and safety stock, each summed over its locations: a write that would pass that ceiling
 * fails with QUANTITY_LIMIT_EXCEEDED and changes nothing.
 */
export type MutationReleaseReservationArgs = {
  input: ReservationActionInput;
};


/**
 * Every mutation is one idempotent transaction. Payloads are nullable (as GitHub's and Shopify's
 * are): in a request with several mutations, one that fails answers null with its error while the
 * others keep their answers.
 *
 * Limits on every input, refused with BAD_USER_INPUT naming the field and nothing stored:
 * `idempotencyKey`, ids and references (`reference`, `orderReference`, `lineReference`) up to 200
 * characters without control characters; SKUs up to 100; `reason` up to 500 characters; no string
 * anywhere may contain a NUL character. One operation moves at most 1,000,000 units
 * (INVALID_QUANTITY otherwise), and a SKU holds at most 1,000,000,000 units of on-hand, committed,
 * incoming and safety stock, each summed over its locations: a write that would pass that ceiling
 * fails with QUANTITY_LIMIT_EXCEEDED and changes nothing.
 */
export type MutationReserveStockArgs = {
  input: ReserveStockInput;
};


/**
 * Every mutation is one idempotent transaction. Payloads are nullable (as GitHub's and Shopify's
 * are): in a request with several mutations, one that fails answers null with its error while the
 * others keep their answers.
 *
 * Limits on every input, refused with BAD_USER_INPUT naming the field and nothing stored:
 * `idempotencyKey`, ids and references (`reference`, `orderReference`, `lineReference`) up to 200
 * characters without control characters; SKUs up to 100; `reason` up to 500 characters; no string
 * anywhere may contain a NUL character. One operation moves at most 1,000,000 units
 * (INVALID_QUANTITY otherwise), and a SKU holds at most 1,000,000,000 units of on-hand, committed,
 * incoming and safety stock, each summed over its locations: a write that would pass that ceiling
 * fails with QUANTITY_LIMIT_EXCEEDED and changes nothing.
 */
export type MutationReturnStockArgs = {
  input: ReturnStockInput;
};


/**
 * Every mutation is one idempotent transaction. Payloads are nullable (as GitHub's and Shopify's
 * are): in a request with several mutations, one that fails answers null with its error while the
 * others keep their answers.
 *
 * Limits on every input, refused with BAD_USER_INPUT naming the field and nothing stored:
 * `idempotencyKey`, ids and references (`reference`, `orderReference`, `lineReference`) up to 200
 * characters without control characters; SKUs up to 100; `reason` up to 500 characters; no string
 * anywhere may contain a NUL character. One operation moves at most 1,000,000 units
 * (INVALID_QUANTITY otherwise), and a SKU holds at most 1,000,000,000 units of on-hand, committed,
 * incoming and safety stock, each summed over its locations: a write that would pass that ceiling
 * fails with QUANTITY_LIMIT_EXCEEDED and changes nothing.
 */
export type MutationSetChannelRoutingPreferenceArgs = {
  input: SetChannelRoutingPreferenceInput;
};


/**
 * Every mutation is one idempotent transaction. Payloads are nullable (as GitHub's and Shopify's
 * are): in a request with several mutations, one that fails answers null with its error while the
 * others keep their answers.
 *
 * Limits on every input, refused with BAD_USER_INPUT naming the field and nothing stored:
 * `idempotencyKey`, ids and references (`reference`, `orderReference`, `lineReference`) up to 200
 * characters without control characters; SKUs up to 100; `reason` up to 500 characters; no string
 * anywhere may contain a NUL character. One operation moves at most 1,000,000 units
 * (INVALID_QUANTITY otherwise), and a SKU holds at most 1,000,000,000 units of on-hand, committed,
 * incoming and safety stock, each summed over its locations: a write that would pass that ceiling
 * fails with QUANTITY_LIMIT_EXCEEDED and changes nothing.
 */
export type MutationSetSafetyStockArgs = {
  input: SetSafetyStockInput;
};


/**
 * Every mutation is one idempotent transaction. Payloads are nullable (as GitHub's and Shopify's
 * are): in a request with several mutations, one that fails answers null with its error while the
 * others keep their answers.
 *
 * Limits on every input, refused with BAD_USER_INPUT naming the field and nothing stored:
 * `idempotencyKey`, ids and references (`reference`, `orderReference`, `lineReference`) up to 200
 * characters without control characters; SKUs up to 100; `reason` up to 500 characters; no string
 * anywhere may contain a NUL character. One operation moves at most 1,000,000 units
 * (INVALID_QUANTITY otherwise), and a SKU holds at most 1,000,000,000 units of on-hand, committed,
 * incoming and safety stock, each summed over its locations: a write that would pass that ceiling
 * fails with QUANTITY_LIMIT_EXCEEDED and changes nothing.
 */
export type MutationSetStockArgs = {
  input: SetStockInput;
};


/**
 * Every mutation is one idempotent transaction. Payloads are nullable (as GitHub's and Shopify's
 * are): in a request with several mutations, one that fails answers null with its error while the
 * others keep their answers.
 *
 * Limits on every input, refused with BAD_USER_INPUT naming the field and nothing stored:
 * `idempotencyKey`, ids and references (`reference`, `orderReference`, `lineReference`) up to 200
 * characters without control characters; SKUs up to 100; `reason` up to 500 characters; no string
 * anywhere may contain a NUL character. One operation moves at most 1,000,000 units
 * (INVALID_QUANTITY otherwise), and a SKU holds at most 1,000,000,000 units of on-hand, committed,
 * incoming and safety stock, each summed over its locations: a write that would pass that ceiling
 * fails with QUANTITY_LIMIT_EXCEEDED and changes nothing.
 */
export type MutationTransferStockArgs = {
  input: TransferStockInput;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

/**
 * A sellable variant, identified by its SKU. The SKU is the federation key: the catalog and
 * every platform subgraph extend this type with what they know about the same SKU.
 */
export type Product = {
  __typename?: 'Product';
  /** What this SKU's listing on `channel` should show, after the channel's allocation policy. */
  availability: ChannelAvailability;
  /** The same, for every channel. */
  channelAvailability: Array<ChannelAvailability>;
  /** Most recent movements first. */
  movements: Array<StockMovement>;
  sku: Scalars['ID']['output'];
  /** Stock per location; all locations unless `locations` narrows them. */
  stockLevels: Array<StockLevel>;
  /** Units that can still be sold across every location (never below 0, at most 1,000,000,000). */
  totalAvailable: Scalars['Int']['output'];
};


/**
 * A sellable variant, identified by its SKU. The SKU is the federation key: the catalog and
 * every platform subgraph extend this type with what they know about the same SKU.
 */
export type ProductAvailabilityArgs = {
  channel: Scalars['ID']['input'];
};


/**
 * A sellable variant, identified by its SKU. The SKU is the federation key: the catalog and
 * every platform subgraph extend this type with what they know about the same SKU.
 */
export type ProductMovementsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * A sellable variant, identified by its SKU. The SKU is the federation key: the catalog and
 * every platform subgraph extend this type with what they know about the same SKU.
 */
export type ProductStockLevelsArgs = {
  locations?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type ProductConnection = {
  __typename?: 'ProductConnection';
  /** A product whose stock cannot be answered is null here, with its error; the others still answer. */
  nodes: Array<Maybe<Product>>;
  pageInfo: PageInfo;
};

export type Query = {
  __typename?: 'Query';
  channel: Maybe<Channel>;
  channels: Array<Channel>;
  location: Maybe<Location>;
  locations: Array<Location>;
  product: Maybe<Product>;
  /** Products by SKU, in SKU order; `skus` picks specific ones. */
  products: ProductConnection;
  reservation: Maybe<Reservation>;
  reservationsForOrder: Array<Reservation>;
  /** The ledger, newest first. */
  stockMovements: Array<StockMovement>;
  /** Sales at store tills (recordSale on POINT_OF_SALE channels) after a cursor, oldest first, at most 200: the orders subgraph makes each an order. */
  storeSales: Array<StoreSale>;
};


export type QueryChannelArgs = {
  id: Scalars['ID']['input'];
};


export type QueryLocationArgs = {
  id: Scalars['ID']['input'];
};


export type QueryProductArgs = {
  sku: Scalars['ID']['input'];
};


export type QueryProductsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  skus?: InputMaybe<Array<Scalars['ID']['input']>>;
};


export type QueryReservationArgs = {
  id: Scalars['ID']['input'];
};


export type QueryReservationsForOrderArgs = {
  channel: Scalars['ID']['input'];
  orderReference: Scalars['String']['input'];
};


export type QueryStockMovementsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  location?: InputMaybe<Scalars['ID']['input']>;
  sku?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryStoreSalesArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type ReceiveStockInput = {
  /** Also settle this many units of `incoming` (e.g. a purchase order arriving). */
  fromIncoming?: InputMaybe<Scalars['Boolean']['input']>;
  /** Up to 200 characters; repeating it replays the first answer. */
  idempotencyKey: Scalars['String']['input'];
  location: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
  /** Why, for the ledger: up to 500 characters. */
  reason?: InputMaybe<Scalars['String']['input']>;
  /** External reference, e.g. a purchase order: up to 200 characters. */
  reference?: InputMaybe<Scalars['String']['input']>;
  sku: Scalars['ID']['input'];
};

export type RecordIncomingStockInput = {
  /** Change to incoming units (positive when a purchase order is placed, negative when it is cancelled). */
  delta: Scalars['Int']['input'];
  /** Up to 200 characters; repeating it replays the first answer. */
  idempotencyKey: Scalars['String']['input'];
  location: Scalars['ID']['input'];
  /** External reference, e.g. a purchase order: up to 200 characters. */
  reference?: InputMaybe<Scalars['String']['input']>;
  sku: Scalars['ID']['input'];
};

export type RegisterProductsInput = {
  /** Up to 200 characters; repeating it replays the first answer. */
  idempotencyKey: Scalars['String']['input'];
  /** SKUs to start tracking; ones already known are left as they are. */
  skus: Array<Scalars['ID']['input']>;
};

export type RegisterProductsPayload = {
  __typename?: 'RegisterProductsPayload';
  products: Array<Product>;
  replayed: Scalars['Boolean']['output'];
};

/** Units held for one order on a channel. An entity: the orders subgraph links each order line to its reservation. */
export type Reservation = {
  __typename?: 'Reservation';
  channel: Channel;
  createdAt: Scalars['String']['output'];
  /** Where the order ships, as the caller gave it for routing; null when it gave none. */
  deliverTo: Maybe<DeliveryAddress>;
  id: Scalars['ID']['output'];
  /** One per order line and location it ships from: a line split across locations has several, with the same `orderLine`. */
  lines: Array<ReservationLine>;
  /** The order this reservation is for, as the channel names it. */
  orderReference: Scalars['String']['output'];
  /** The channel's routing preference when this was reserved; null for reservations made before routing. */
  routingPreference: Maybe<RoutingPreference>;
  status: ReservationStatus;
  updatedAt: Scalars['String']['output'];
};

export type ReservationActionInput = {
  /** Up to 200 characters; repeating it replays the first answer. */
  idempotencyKey: Scalars['String']['input'];
  /** Why, for the ledger: up to 500 characters. */
  reason?: InputMaybe<Scalars['String']['input']>;
  reservationId: Scalars['ID']['input'];
};

export type ReservationLine = {
  __typename?: 'ReservationLine';
  /** The channel's own line id, if any. */
  lineReference: Maybe<Scalars['String']['output']>;
  location: Location;
  /** 1-based position of the order line in the request; null for a reservation answered again from before routing. */
  orderLine: Maybe<Scalars['Int']['output']>;
  product: Product;
  quantity: Scalars['Int']['output'];
  /** Why this line (or this part of it) ships from `location`. */
  routing: ReservationLineRouting;
  sku: Scalars['ID']['output'];
};

export type ReservationLineInput = {
  /** The channel's own line id, up to 200 characters; kept on the reservation. */
  lineReference?: InputMaybe<Scalars['String']['input']>;
  quantity: Scalars['Int']['input'];
  sku: Scalars['ID']['input'];
  /** Price of one unit, in cents: recordSale on a store channel passes it to the store sale's order; ignored elsewhere. */
  unitPriceCents?: InputMaybe<Scalars['Int']['input']>;
};

/** A routing decision: one location, the units it ships, and why. */
export type ReservationLineRouting = {
  __typename?: 'ReservationLineRouting';
  /** Estimated kilometres to the delivery CEP (a state-to-state or same-state estimate, not a route); null when a CEP is unknown. */
  distanceKm: Maybe<Scalars['Int']['output']>;
  location: Location;
  quantity: Scalars['Int']['output'];
  /**
   * E.g. "nearest location with stock to CEP 01310-100 (15 km)", "split: cd-sp had 2 of 5 (15 km to
   * CEP 01310-100); no single location had all", "fewest parcels: one location has all 2 lines: ...",
   * "no delivery CEP: location priority".
   */
  reason: Scalars['String']['output'];
};

export type ReservationPayload = {
  __typename?: 'ReservationPayload';
  levels: Array<StockLevel>;
  movements: Array<StockMovement>;
  replayed: Scalars['Boolean']['output'];
  reservation: Reservation;
};

export type ReservationStatus =
  /** Fulfilled: the units left the building. */
  | 'FULFILLED'
  /** Units are committed, waiting for fulfilment or cancellation. */
  | 'OPEN'
  /** Cancelled before fulfilment: the units are available again. */
  | 'RELEASED';

export type ReserveStockInput = {
  channel: Scalars['ID']['input'];
  /**
   * Where the order ships. With it, each line goes to the nearest of the channel's locations with
   * stock (split across locations when none has it all; fewest locations when the channel prefers
   * fewer parcels). Without it, the first location by priority that has all of the line.
   */
  deliverTo?: InputMaybe<DeliveryAddressInput>;
  /** Up to 200 characters; repeating it replays the first answer. */
  idempotencyKey: Scalars['String']['input'];
  lines: Array<ReservationLineInput>;
  /** The order on the channel (e.g. the platform order id), up to 200 characters. */
  orderReference: Scalars['String']['input'];
  /** Why, for the ledger (e.g. the operator who applied an order exception): up to 500 characters. */
  reason?: InputMaybe<Scalars['String']['input']>;
};

export type ReturnStockInput = {
  /** Up to 200 characters; repeating it replays the first answer. */
  idempotencyKey: Scalars['String']['input'];
  location: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
  /** Why, for the ledger: up to 500 characters. */
  reason?: InputMaybe<Scalars['String']['input']>;
  /** E.g. the order the units came back from: up to 200 characters. */
  reference?: InputMaybe<Scalars['String']['input']>;
  sku: Scalars['ID']['input'];
};

/** How a reservation chooses the locations it ships from, when the order's delivery CEP is known. */
export type RoutingPreference =
  /** The fewest locations that can ship the whole order, even if farther: fewer parcels. */
  | 'FEWEST_PARCELS'
  /**
   * Each line from the nearest location that has all of it; a line no single location has is split
   * across locations, nearest first. The default.
   */
  | 'NEAREST';

export type SetChannelRoutingPreferenceInput = {
  channel: Scalars['ID']['input'];
  /** Up to 200 characters; repeating it replays the first answer. */
  idempotencyKey: Scalars['String']['input'];
  routingPreference: RoutingPreference;
};

export type SetSafetyStockInput = {
  /** Up to 200 characters; repeating it replays the first answer. */
  idempotencyKey: Scalars['String']['input'];
  location: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
  /** Why, for the ledger: up to 500 characters. */
  reason?: InputMaybe<Scalars['String']['input']>;
  sku: Scalars['ID']['input'];
};

export type SetStockInput = {
  /** Compare-and-set: the on-hand quantity the caller believes is current. A different current value fails with CHANGE_FROM_QUANTITY_STALE. */
  changeFromQuantity?: InputMaybe<Scalars['Int']['input']>;
  /** Up to 200 characters; repeating it replays the first answer. */
  idempotencyKey: Scalars['String']['input'];
  location: Scalars['ID']['input'];
  /** The new on-hand quantity (a stock count). */
  quantity: Scalars['Int']['input'];
  /** Why, for the ledger: up to 500 characters. */
  reason?: InputMaybe<Scalars['String']['input']>;
  /** External reference, e.g. a purchase order: up to 200 characters. */
  reference?: InputMaybe<Scalars['String']['input']>;
  sku: Scalars['ID']['input'];
};

/** The result of a stock change: the ledger rows written and the levels they left. */
export type StockChangePayload = {
  __typename?: 'StockChangePayload';
  levels: Array<StockLevel>;
  movements: Array<StockMovement>;
  /** True when this answers a replay of an idempotency key already used: nothing changed. */
  replayed: Scalars['Boolean']['output'];
};

/** A committed change to one SKU's stock at one location. */
export type StockChangedEvent = {
  __typename?: 'StockChangedEvent';
  /** Availability per channel fed by this location, or for the subscribed channel only. */
  channelAvailability: Array<ChannelAvailability>;
  /** Outbox id: increases with every committed change. */
  id: Scalars['ID']['output'];
  kind: StockMovementKind;
  level: StockLevel;
  location: Location;
  occurredAt: Scalars['String']['output'];
  /** The changed product; select fields any subgraph owns. */
  product: Product;
  sku: Scalars['ID']['output'];
  /**
   * The W3C traceparent of the operation that committed this change (trace and span ids only), so
   * work done from the event (a listing push) links to it in a trace. Null when tracing was off.
   */
  traceparent: Maybe<Scalars['String']['output']>;
};

/**
 * Stock of one SKU at one location.
 * `available = onHand - committed - safetyStock`, floored at 0.
 */
export type StockLevel = {
  __typename?: 'StockLevel';
  available: Scalars['Int']['output'];
  /** Reserved for open orders, not yet shipped. */
  committed: Scalars['Int']['output'];
  /** Expected from suppliers or transfers, not yet received. */
  incoming: Scalars['Int']['output'];
  location: Location;
  onHand: Scalars['Int']['output'];
  product: Product;
  /** Held back from every channel. */
  safetyStock: Scalars['Int']['output'];
  sku: Scalars['ID']['output'];
  updatedAt: Scalars['String']['output'];
  /** Increases on every change; lets a consumer drop an older event that arrives late. */
  version: Scalars['Int']['output'];
};

/** One row of the stock ledger. Stock levels are the sum of their movements. */
export type StockMovement = {
  __typename?: 'StockMovement';
  actor: Scalars['String']['output'];
  /** Change to committed units (reservations). */
  committedDelta: Scalars['Int']['output'];
  /** Change to on-hand units. */
  delta: Scalars['Int']['output'];
  id: Scalars['ID']['output'];
  idempotencyKey: Scalars['String']['output'];
  /** Change to incoming units. */
  incomingDelta: Scalars['Int']['output'];
  kind: StockMovementKind;
  location: Location;
  occurredAt: Scalars['String']['output'];
  product: Product;
  reason: Maybe<Scalars['String']['output']>;
  /** External reference, e.g. the platform order id. */
  reference: Maybe<Scalars['String']['output']>;
  reservationId: Maybe<Scalars['ID']['output']>;
  /** Change to safety stock. */
  safetyStockDelta: Scalars['Int']['output'];
  sku: Scalars['ID']['output'];
};

export type StockMovementKind =
  | 'ADJUSTMENT'
  | 'COUNT'
  | 'FULFILMENT'
  | 'INCOMING'
  | 'RECEIPT'
  | 'RELEASE'
  | 'RESERVATION'
  | 'RETURN'
  | 'SAFETY_STOCK'
  | 'TRANSFER_IN'
  | 'TRANSFER_OUT';

export type StoreSale = {
  __typename?: 'StoreSale';
  channelId: Scalars['ID']['output'];
  /** Opaque, increasing: pass it as `after` to read on. */
  cursor: Scalars['ID']['output'];
  lines: Array<StoreSaleLine>;
  orderReference: Scalars['String']['output'];
  reservationId: Scalars['ID']['output'];
  soldAt: Scalars['String']['output'];
};

export type StoreSaleLine = {
  __typename?: 'StoreSaleLine';
  lineReference: Maybe<Scalars['String']['output']>;
  quantity: Scalars['Int']['output'];
  sku: Scalars['ID']['output'];
  unitPriceCents: Maybe<Scalars['Int']['output']>;
};

export type Subscription = {
  __typename?: 'Subscription';
  /**
   * Every committed stock change, optionally narrowed to some SKUs, locations or one channel.
   * With `after` (an event's `id`), the changes committed after that event come first, then the live
   * ones, each once and in order: a subscriber that lost its connection resumes without a gap. Events
   * are kept 7 days; an older resume point is refused with RESUME_POINT_EXPIRED.
   */
  stockChanged: StockChangedEvent;
};


export type SubscriptionStockChangedArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  channel?: InputMaybe<Scalars['ID']['input']>;
  locations?: InputMaybe<Array<Scalars['ID']['input']>>;
  skus?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type TransferStockInput = {
  fromLocation: Scalars['ID']['input'];
  /** Up to 200 characters; repeating it replays the first answer. */
  idempotencyKey: Scalars['String']['input'];
  quantity: Scalars['Int']['input'];
  /** Why, for the ledger: up to 500 characters. */
  reason?: InputMaybe<Scalars['String']['input']>;
  /** External reference, e.g. a purchase order: up to 200 characters. */
  reference?: InputMaybe<Scalars['String']['input']>;
  sku: Scalars['ID']['input'];
  toLocation: Scalars['ID']['input'];
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
  Channel: Channel;
  Location: Location;
  Product: Product;
  Reservation: Reservation;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Channel:
    ( { __typename: 'Channel' }
    & GraphQLRecursivePick<FederationTypes['Channel'], {"id":true}> );
  Location:
    ( { __typename: 'Location' }
    & GraphQLRecursivePick<FederationTypes['Location'], {"id":true}> );
  Product:
    ( { __typename: 'Product' }
    & GraphQLRecursivePick<FederationTypes['Product'], {"sku":true}> );
  Reservation:
    ( { __typename: 'Reservation' }
    & GraphQLRecursivePick<FederationTypes['Reservation'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AdjustStockInput: AdjustStockInput;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Channel: ResolverTypeWrapper<ChannelRow>;
  ChannelAllocationPolicy: ResolverTypeWrapper<ChannelRow>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  ChannelAvailability: ResolverTypeWrapper<ChannelAvailabilityValue>;
  ChannelKind: ChannelKind;
  ChannelPolicyPayload: ResolverTypeWrapper<ChannelPolicyResult>;
  DeliveryAddress: ResolverTypeWrapper<DeliveryAddress>;
  DeliveryAddressInput: DeliveryAddressInput;
  Location: ResolverTypeWrapper<LocationRow>;
  LocationKind: LocationKind;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Product: ResolverTypeWrapper<ProductRef>;
  ProductConnection: ResolverTypeWrapper<ProductPage>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ReceiveStockInput: ReceiveStockInput;
  RecordIncomingStockInput: RecordIncomingStockInput;
  RegisterProductsInput: RegisterProductsInput;
  RegisterProductsPayload: ResolverTypeWrapper<Omit<RegisterProductsPayload, 'products'> & { products: Array<ResolversTypes['Product']> }>;
  Reservation: ResolverTypeWrapper<ReservationRow>;
  ReservationActionInput: ReservationActionInput;
  ReservationLine: ResolverTypeWrapper<ReservationLineRow>;
  ReservationLineInput: ReservationLineInput;
  ReservationLineRouting: ResolverTypeWrapper<ReservationLineRow>;
  ReservationPayload: ResolverTypeWrapper<ReservationResult>;
  ReservationStatus: ReservationStatus;
  ReserveStockInput: ReserveStockInput;
  ReturnStockInput: ReturnStockInput;
  RoutingPreference: RoutingPreference;
  SetChannelRoutingPreferenceInput: SetChannelRoutingPreferenceInput;
  SetSafetyStockInput: SetSafetyStockInput;
  SetStockInput: SetStockInput;
  StockChangePayload: ResolverTypeWrapper<StockChangeResult>;
  StockChangedEvent: ResolverTypeWrapper<StockEvent>;
  StockLevel: ResolverTypeWrapper<StockLevelRow>;
  StockMovement: ResolverTypeWrapper<StockMovementRow>;
  StockMovementKind: StockMovementKind;
  StoreSale: ResolverTypeWrapper<StoreSale>;
  StoreSaleLine: ResolverTypeWrapper<StoreSaleLine>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  TransferStockInput: TransferStockInput;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AdjustStockInput: AdjustStockInput;
  Int: Scalars['Int']['output'];
  String: Scalars['String']['output'];
  ID: Scalars['ID']['output'];
  Channel: ChannelRow;
  ChannelAllocationPolicy: ChannelRow;
  Boolean: Scalars['Boolean']['output'];
  ChannelAvailability: ChannelAvailabilityValue;
  ChannelPolicyPayload: ChannelPolicyResult;
  DeliveryAddress: DeliveryAddress;
  DeliveryAddressInput: DeliveryAddressInput;
  Location: LocationRow;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Product: ProductRef;
  ProductConnection: ProductPage;
  Query: Record<PropertyKey, never>;
  ReceiveStockInput: ReceiveStockInput;
  RecordIncomingStockInput: RecordIncomingStockInput;
  RegisterProductsInput: RegisterProductsInput;
  RegisterProductsPayload: Omit<RegisterProductsPayload, 'products'> & { products: Array<ResolversParentTypes['Product']> };
  Reservation: ReservationRow;
  ReservationActionInput: ReservationActionInput;
  ReservationLine: ReservationLineRow;
  ReservationLineInput: ReservationLineInput;
  ReservationLineRouting: ReservationLineRow;
  ReservationPayload: ReservationResult;
  ReserveStockInput: ReserveStockInput;
  ReturnStockInput: ReturnStockInput;
  SetChannelRoutingPreferenceInput: SetChannelRoutingPreferenceInput;
  SetSafetyStockInput: SetSafetyStockInput;
  SetStockInput: SetStockInput;
  StockChangePayload: StockChangeResult;
  StockChangedEvent: StockEvent;
  StockLevel: StockLevelRow;
  StockMovement: StockMovementRow;
  StoreSale: StoreSale;
  StoreSaleLine: StoreSaleLine;
  Subscription: Record<PropertyKey, never>;
  TransferStockInput: TransferStockInput;
}>;

export type ChannelResolvers<ContextType = InventoryContext, ParentType extends ResolversParentTypes['Channel'] = ResolversParentTypes['Channel'], FederationReferenceType extends FederationReferenceTypes['Channel'] = FederationReferenceTypes['Channel']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Channel']> | FederationReferenceType, FederationReferenceType, ContextType>;
  allocationPolicy?: Resolver<ResolversTypes['ChannelAllocationPolicy'], ParentType, ContextType>;
  availability?: Resolver<Array<Maybe<ResolversTypes['ChannelAvailability']>>, ParentType, ContextType, RequireFields<ChannelAvailabilityArgs, 'skus'>>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['ChannelKind'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ChannelAllocationPolicyResolvers<ContextType = InventoryContext, ParentType extends ResolversParentTypes['ChannelAllocationPolicy'] = ResolversParentTypes['ChannelAllocationPolicy']> = ResolversObject<{
  backordersAllowed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  bufferUnits?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  locations?: Resolver<Array<ResolversTypes['Location']>, ParentType, ContextType>;
  maxListedQuantity?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  minListedQuantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  percentageOfAvailable?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  routingPreference?: Resolver<ResolversTypes['RoutingPreference'], ParentType, ContextType>;
}>;

export type ChannelAvailabilityResolvers<ContextType = InventoryContext, ParentType extends ResolversParentTypes['ChannelAvailability'] = ResolversParentTypes['ChannelAvailability']> = ResolversObject<{
  available?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  backordersAllowed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  channel?: Resolver<ResolversTypes['Channel'], ParentType, ContextType>;
  product?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  stockVersion?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ChannelPolicyPayloadResolvers<ContextType = InventoryContext, ParentType extends ResolversParentTypes['ChannelPolicyPayload'] = ResolversParentTypes['ChannelPolicyPayload']> = ResolversObject<{
  channel?: Resolver<ResolversTypes['Channel'], ParentType, ContextType>;
  replayed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type DeliveryAddressResolvers<ContextType = InventoryContext, ParentType extends ResolversParentTypes['DeliveryAddress'] = ResolversParentTypes['DeliveryAddress']> = ResolversObject<{
  postalCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type LocationResolvers<ContextType = InventoryContext, ParentType extends ResolversParentTypes['Location'] = ResolversParentTypes['Location'], FederationReferenceType extends FederationReferenceTypes['Location'] = FederationReferenceTypes['Location']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Location']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['LocationKind'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  postalCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  priority?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  stockLevels?: Resolver<Array<ResolversTypes['StockLevel']>, ParentType, ContextType, Partial<LocationStockLevelsArgs>>;
}>;

export type MutationResolvers<ContextType = InventoryContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  adjustStock?: Resolver<Maybe<ResolversTypes['StockChangePayload']>, ParentType, ContextType, RequireFields<MutationAdjustStockArgs, 'input'>>;
  fulfilReservation?: Resolver<Maybe<ResolversTypes['ReservationPayload']>, ParentType, ContextType, RequireFields<MutationFulfilReservationArgs, 'input'>>;
  receiveStock?: Resolver<Maybe<ResolversTypes['StockChangePayload']>, ParentType, ContextType, RequireFields<MutationReceiveStockArgs, 'input'>>;
  recordIncomingStock?: Resolver<Maybe<ResolversTypes['StockChangePayload']>, ParentType, ContextType, RequireFields<MutationRecordIncomingStockArgs, 'input'>>;
  recordSale?: Resolver<Maybe<ResolversTypes['ReservationPayload']>, ParentType, ContextType, RequireFields<MutationRecordSaleArgs, 'input'>>;
  registerProducts?: Resolver<Maybe<ResolversTypes['RegisterProductsPayload']>, ParentType, ContextType, RequireFields<MutationRegisterProductsArgs, 'input'>>;
  releaseReservation?: Resolver<Maybe<ResolversTypes['ReservationPayload']>, ParentType, ContextType, RequireFields<MutationReleaseReservationArgs, 'input'>>;
  reserveStock?: Resolver<Maybe<ResolversTypes['ReservationPayload']>, ParentType, ContextType, RequireFields<MutationReserveStockArgs, 'input'>>;
  returnStock?: Resolver<Maybe<ResolversTypes['StockChangePayload']>, ParentType, ContextType, RequireFields<MutationReturnStockArgs, 'input'>>;
  setChannelRoutingPreference?: Resolver<Maybe<ResolversTypes['ChannelPolicyPayload']>, ParentType, ContextType, RequireFields<MutationSetChannelRoutingPreferenceArgs, 'input'>>;
  setSafetyStock?: Resolver<Maybe<ResolversTypes['StockChangePayload']>, ParentType, ContextType, RequireFields<MutationSetSafetyStockArgs, 'input'>>;
  setStock?: Resolver<Maybe<ResolversTypes['StockChangePayload']>, ParentType, ContextType, RequireFields<MutationSetStockArgs, 'input'>>;
  transferStock?: Resolver<Maybe<ResolversTypes['StockChangePayload']>, ParentType, ContextType, RequireFields<MutationTransferStockArgs, 'input'>>;
}>;

export type PageInfoResolvers<ContextType = InventoryContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type ProductResolvers<ContextType = InventoryContext, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product'], FederationReferenceType extends FederationReferenceTypes['Product'] = FederationReferenceTypes['Product']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Product']> | FederationReferenceType, FederationReferenceType, ContextType>;
  availability?: Resolver<ResolversTypes['ChannelAvailability'], ParentType, ContextType, RequireFields<ProductAvailabilityArgs, 'channel'>>;
  channelAvailability?: Resolver<Array<ResolversTypes['ChannelAvailability']>, ParentType, ContextType>;
  movements?: Resolver<Array<ResolversTypes['StockMovement']>, ParentType, ContextType, RequireFields<ProductMovementsArgs, 'first'>>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  stockLevels?: Resolver<Array<ResolversTypes['StockLevel']>, ParentType, ContextType, Partial<ProductStockLevelsArgs>>;
  totalAvailable?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ProductConnectionResolvers<ContextType = InventoryContext, ParentType extends ResolversParentTypes['ProductConnection'] = ResolversParentTypes['ProductConnection']> = ResolversObject<{
  nodes?: Resolver<Array<Maybe<ResolversTypes['Product']>>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = InventoryContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  channel?: Resolver<Maybe<ResolversTypes['Channel']>, ParentType, ContextType, RequireFields<QueryChannelArgs, 'id'>>;
  channels?: Resolver<Array<ResolversTypes['Channel']>, ParentType, ContextType>;
  location?: Resolver<Maybe<ResolversTypes['Location']>, ParentType, ContextType, RequireFields<QueryLocationArgs, 'id'>>;
  locations?: Resolver<Array<ResolversTypes['Location']>, ParentType, ContextType>;
  product?: Resolver<Maybe<ResolversTypes['Product']>, ParentType, ContextType, RequireFields<QueryProductArgs, 'sku'>>;
  products?: Resolver<ResolversTypes['ProductConnection'], ParentType, ContextType, RequireFields<QueryProductsArgs, 'first'>>;
  reservation?: Resolver<Maybe<ResolversTypes['Reservation']>, ParentType, ContextType, RequireFields<QueryReservationArgs, 'id'>>;
  reservationsForOrder?: Resolver<Array<ResolversTypes['Reservation']>, ParentType, ContextType, RequireFields<QueryReservationsForOrderArgs, 'channel' | 'orderReference'>>;
  stockMovements?: Resolver<Array<ResolversTypes['StockMovement']>, ParentType, ContextType, RequireFields<QueryStockMovementsArgs, 'first'>>;
  storeSales?: Resolver<Array<ResolversTypes['StoreSale']>, ParentType, ContextType, RequireFields<QueryStoreSalesArgs, 'first'>>;
}>;

export type RegisterProductsPayloadResolvers<ContextType = InventoryContext, ParentType extends ResolversParentTypes['RegisterProductsPayload'] = ResolversParentTypes['RegisterProductsPayload']> = ResolversObject<{
  products?: Resolver<Array<ResolversTypes['Product']>, ParentType, ContextType>;
  replayed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type ReservationResolvers<ContextType = InventoryContext, ParentType extends ResolversParentTypes['Reservation'] = ResolversParentTypes['Reservation'], FederationReferenceType extends FederationReferenceTypes['Reservation'] = FederationReferenceTypes['Reservation']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Reservation']> | FederationReferenceType, FederationReferenceType, ContextType>;
  channel?: Resolver<ResolversTypes['Channel'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  deliverTo?: Resolver<Maybe<ResolversTypes['DeliveryAddress']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lines?: Resolver<Array<ResolversTypes['ReservationLine']>, ParentType, ContextType>;
  orderReference?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  routingPreference?: Resolver<Maybe<ResolversTypes['RoutingPreference']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ReservationStatus'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ReservationLineResolvers<ContextType = InventoryContext, ParentType extends ResolversParentTypes['ReservationLine'] = ResolversParentTypes['ReservationLine']> = ResolversObject<{
  lineReference?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  location?: Resolver<ResolversTypes['Location'], ParentType, ContextType>;
  orderLine?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  product?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  routing?: Resolver<ResolversTypes['ReservationLineRouting'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type ReservationLineRoutingResolvers<ContextType = InventoryContext, ParentType extends ResolversParentTypes['ReservationLineRouting'] = ResolversParentTypes['ReservationLineRouting']> = ResolversObject<{
  distanceKm?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  location?: Resolver<ResolversTypes['Location'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ReservationPayloadResolvers<ContextType = InventoryContext, ParentType extends ResolversParentTypes['ReservationPayload'] = ResolversParentTypes['ReservationPayload']> = ResolversObject<{
  levels?: Resolver<Array<ResolversTypes['StockLevel']>, ParentType, ContextType>;
  movements?: Resolver<Array<ResolversTypes['StockMovement']>, ParentType, ContextType>;
  replayed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  reservation?: Resolver<ResolversTypes['Reservation'], ParentType, ContextType>;
}>;

export type StockChangePayloadResolvers<ContextType = InventoryContext, ParentType extends ResolversParentTypes['StockChangePayload'] = ResolversParentTypes['StockChangePayload']> = ResolversObject<{
  levels?: Resolver<Array<ResolversTypes['StockLevel']>, ParentType, ContextType>;
  movements?: Resolver<Array<ResolversTypes['StockMovement']>, ParentType, ContextType>;
  replayed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type StockChangedEventResolvers<ContextType = InventoryContext, ParentType extends ResolversParentTypes['StockChangedEvent'] = ResolversParentTypes['StockChangedEvent']> = ResolversObject<{
  channelAvailability?: Resolver<Array<ResolversTypes['ChannelAvailability']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['StockMovementKind'], ParentType, ContextType>;
  level?: Resolver<ResolversTypes['StockLevel'], ParentType, ContextType>;
  location?: Resolver<ResolversTypes['Location'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  product?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  traceparent?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type StockLevelResolvers<ContextType = InventoryContext, ParentType extends ResolversParentTypes['StockLevel'] = ResolversParentTypes['StockLevel']> = ResolversObject<{
  available?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  committed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  incoming?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  location?: Resolver<ResolversTypes['Location'], ParentType, ContextType>;
  onHand?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  product?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
  safetyStock?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type StockMovementResolvers<ContextType = InventoryContext, ParentType extends ResolversParentTypes['StockMovement'] = ResolversParentTypes['StockMovement']> = ResolversObject<{
  actor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  committedDelta?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  delta?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  idempotencyKey?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  incomingDelta?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['StockMovementKind'], ParentType, ContextType>;
  location?: Resolver<ResolversTypes['Location'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  product?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  reference?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  reservationId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  safetyStockDelta?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type StoreSaleResolvers<ContextType = InventoryContext, ParentType extends ResolversParentTypes['StoreSale'] = ResolversParentTypes['StoreSale']> = ResolversObject<{
  channelId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  cursor?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lines?: Resolver<Array<ResolversTypes['StoreSaleLine']>, ParentType, ContextType>;
  orderReference?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reservationId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  soldAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type StoreSaleLineResolvers<ContextType = InventoryContext, ParentType extends ResolversParentTypes['StoreSaleLine'] = ResolversParentTypes['StoreSaleLine']> = ResolversObject<{
  lineReference?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  unitPriceCents?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
}>;

export type SubscriptionResolvers<ContextType = InventoryContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  stockChanged?: SubscriptionResolver<ResolversTypes['StockChangedEvent'], "stockChanged", ParentType, ContextType, Partial<SubscriptionStockChangedArgs>>;
}>;

export type Resolvers<ContextType = InventoryContext> = ResolversObject<{
  Channel?: ChannelResolvers<ContextType>;
  ChannelAllocationPolicy?: ChannelAllocationPolicyResolvers<ContextType>;
  ChannelAvailability?: ChannelAvailabilityResolvers<ContextType>;
  ChannelPolicyPayload?: ChannelPolicyPayloadResolvers<ContextType>;
  DeliveryAddress?: DeliveryAddressResolvers<ContextType>;
  Location?: LocationResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  ProductConnection?: ProductConnectionResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RegisterProductsPayload?: RegisterProductsPayloadResolvers<ContextType>;
  Reservation?: ReservationResolvers<ContextType>;
  ReservationLine?: ReservationLineResolvers<ContextType>;
  ReservationLineRouting?: ReservationLineRoutingResolvers<ContextType>;
  ReservationPayload?: ReservationPayloadResolvers<ContextType>;
  StockChangePayload?: StockChangePayloadResolvers<ContextType>;
  StockChangedEvent?: StockChangedEventResolvers<ContextType>;
  StockLevel?: StockLevelResolvers<ContextType>;
  StockMovement?: StockMovementResolvers<ContextType>;
  StoreSale?: StoreSaleResolvers<ContextType>;
  StoreSaleLine?: StoreSaleLineResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
}>;

