import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { CustomerRow, IdentityRow, MergeRow, DataSubjectRequestRow, CustomerChangeRow, IdentifyResult, DataExport } from '../models.ts';
import type { CustomersContext } from '../context.ts';
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
  /** A JSON document (the export of a data-subject access request). */
  JSON: { input: unknown; output: unknown; }
  _FieldSet: { input: unknown; output: unknown; }
};

export type CacheControlScope =
  | 'PRIVATE'
  | 'PUBLIC';

/**
 * One person, however many channels they buy on: built from every channel's orders by matching on
 * normalised e-mail, CPF, phone, or the same platform customer id (docs/privacy.md, "Customers").
 * Personal fields are sealed at rest and need `customers:read` (operators and admins); the id and
 * `erased` are also shown to those who read orders, so an order can link to its customer, or show
 * none once the customer was erased. Never cached by the gateway.
 */
export type Customer = {
  __typename?: 'Customer';
  address: Maybe<SourcedAddress>;
  /** The channels this person bought on. */
  channels: Array<Scalars['String']['output']>;
  /** Eleven digits, check digits valid. */
  cpf: Maybe<SourcedText>;
  createdAt: Scalars['String']['output'];
  /** As given, trimmed and lower-cased. */
  email: Maybe<SourcedText>;
  /** True once the person's data was erased: every personal field is null and the identities carry no platform id. */
  erased: Scalars['Boolean']['output'];
  erasedAt: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** Each (channel, platform customer id) this person was seen as, with when. */
  identities: Array<CustomerIdentity>;
  /** The profile this one was merged into, while the merge stands. */
  mergedInto: Maybe<Customer>;
  /** Profiles merged into this one, and this one's own merge into another, newest first. */
  merges: Array<CustomerMerge>;
  name: Maybe<SourcedText>;
  /** E.164 (+5511987654321). */
  phone: Maybe<SourcedText>;
  /** ACTIVE; MERGED into another profile (see `mergedInto`); or ERASED (LGPD erasure: a tombstone with no personal data). */
  status: CustomerStatus;
  updatedAt: Scalars['String']['output'];
};

/** A change to a profile other services follow (the orders subgraph drops its link on CUSTOMER_ERASED). */
export type CustomerChange = {
  __typename?: 'CustomerChange';
  customerId: Scalars['ID']['output'];
  /** Increasing: ask for changes after the last one seen. */
  id: Scalars['ID']['output'];
  kind: CustomerChangeKind;
  occurredAt: Scalars['String']['output'];
  /** For merges: the profile merged into `customerId`. */
  otherCustomerId: Maybe<Scalars['ID']['output']>;
};

export type CustomerChangeKind =
  | 'CUSTOMERS_MERGED'
  | 'CUSTOMERS_UNMERGED'
  | 'CUSTOMER_ERASED';

export type CustomerCorrection = {
  address?: InputMaybe<PostalAddressInput>;
  cpf?: InputMaybe<Scalars['String']['input']>;
  email?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
};

export type CustomerDataExport = {
  __typename?: 'CustomerDataExport';
  /** Everything held about the person: profile, sources, identities, merges, the orders known. */
  data: Scalars['JSON']['output'];
  /** The data-subject request this export was recorded as. */
  request: DataSubjectRequest;
};

export type CustomerIdentity = {
  __typename?: 'CustomerIdentity';
  channel: Scalars['String']['output'];
  firstSeenAt: Scalars['String']['output'];
  lastSeenAt: Scalars['String']['output'];
  /** The platform's own customer id; null for a guest checkout, and after erasure. */
  platformCustomerId: Maybe<Scalars['String']['output']>;
};

/**
 * Two profiles found to be one person: which identifiers matched, and how to undo it
 * (`unmergeCustomers(mergeId:)` restores both as they were).
 */
export type CustomerMerge = {
  __typename?: 'CustomerMerge';
  /** The profile merged into it. */
  absorbedId: Scalars['ID']['output'];
  /** The channel whose observation matched both. */
  channel: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** The identifiers of the observation that found the absorbed profile. */
  matchedOn: Array<MatchKind>;
  mergedAt: Scalars['String']['output'];
  /** The profile that stayed. */
  survivorId: Scalars['ID']['output'];
  /** The identifiers of the same observation that found the survivor. */
  survivorMatchedOn: Array<MatchKind>;
  undoneAt: Maybe<Scalars['String']['output']>;
  /** Who undid it (principal id). */
  undoneBy: Maybe<Scalars['String']['output']>;
};

export type CustomerSearch = {
  /** With or without punctuation. */
  cpf?: InputMaybe<Scalars['String']['input']>;
  /** Matched after normalisation (trim, lower case; Gmail addresses without dots and +tags). */
  email?: InputMaybe<Scalars['String']['input']>;
  /** Any format; numbers without a country code are taken as Brazilian. */
  phone?: InputMaybe<Scalars['String']['input']>;
};

export type CustomerStatus =
  | 'ACTIVE'
  | 'ERASED'
  | 'MERGED';

/** A data-subject request (LGPD art. 18) an operator made, as recorded: no personal data. */
export type DataSubjectRequest = {
  __typename?: 'DataSubjectRequest';
  at: Scalars['String']['output'];
  customerId: Scalars['ID']['output'];
  id: Scalars['ID']['output'];
  kind: DataSubjectRequestKind;
  /** The operator's principal id. */
  operator: Scalars['String']['output'];
  /** What was done, in names and counts: fields corrected, identifiers destroyed. */
  outcome: Scalars['JSON']['output'];
  /** Why, as the operator wrote it (e-mail addresses and CPFs removed). */
  reason: Maybe<Scalars['String']['output']>;
};

export type DataSubjectRequestKind =
  | 'ACCESS'
  | 'CORRECTION'
  | 'ERASURE'
  | 'UNMERGE';

/**
 * Who set a field and when. The latest observation wins per field: a channel's order observed
 * after the current value replaces it; an operator's correction counts as observed when it was made,
 * so it stands until a channel reports a change made after it.
 */
export type FieldSource = {
  __typename?: 'FieldSource';
  /** The channel whose order carried the value (kind CHANNEL). */
  channel: Maybe<Scalars['String']['output']>;
  kind: FieldSourceKind;
  /** When the channel observed the value, or when the operator corrected it. */
  observedAt: Scalars['String']['output'];
  /** The operator who corrected it (kind OPERATOR): their principal id. */
  operator: Maybe<Scalars['String']['output']>;
};

export type FieldSourceKind =
  | 'CHANNEL'
  | 'OPERATOR';

export type IdentifyOutcome =
  | 'CREATED'
  /** The order was identified before for a profile erased since: nothing is linked or kept. */
  | 'ERASED'
  | 'MATCHED'
  | 'MERGED'
  /** The same order was identified before: the same answer, nothing changed. */
  | 'REPLAYED'
  | 'UNIDENTIFIABLE';

export type IdentifyShopperInput = {
  /** The channel the order came from (shopify, woocommerce, mercadolivre, amazon, a store's POS). */
  channel: Scalars['String']['input'];
  contact: ShopperContactInput;
  /** When the channel observed this contact (the order's update time): an older observation never overwrites a newer one. */
  observedAt: Scalars['String']['input'];
  /** The channel's order id: a redelivery of the same order answers the same customer and changes nothing. */
  orderReference: Scalars['String']['input'];
  /** The platform's own customer id, when it has one (not for guest checkouts). */
  platformCustomerId?: InputMaybe<Scalars['String']['input']>;
};

export type IdentifyShopperPayload = {
  __typename?: 'IdentifyShopperPayload';
  /** The profile the order belongs to; null when the contact names no one (no valid identifier) or belongs to an erased profile. */
  customerId: Maybe<Scalars['ID']['output']>;
  /** The identifiers an existing profile was found by. */
  matchedOn: Array<MatchKind>;
  /** Profiles merged into `customerId` by this observation. */
  mergedCustomerIds: Array<Scalars['ID']['output']>;
  outcome: IdentifyOutcome;
  /** Parts of the contact that were left out (an invalid CPF, an unreadable phone), with why; never the values. */
  rejected: Array<RejectedContactField>;
};

export type MatchKind =
  | 'CPF'
  | 'EMAIL'
  | 'PHONE'
  | 'PLATFORM_CUSTOMER_ID';

export type Mutation = {
  __typename?: 'Mutation';
  /** Correction (art. 18 III): the fields given replace the profile's, sourced to the operator; recorded. */
  correctCustomer: Customer;
  /** Erasure (art. 18 VI): personal fields, blind indexes and platform ids destroyed; the profile stays as a tombstone; recorded. */
  eraseCustomer: DataSubjectRequest;
  /** Access and portability (LGPD art. 18 II and V): everything held about the person, as JSON; recorded. */
  exportCustomerData: CustomerDataExport;
  /** Finds or makes the profile of the shopper on a channel's order (the platform and orders services call it). */
  identifyShopper: IdentifyShopperPayload;
  /** Undoes a merge: both profiles as they were before it (changes since kept on the survivor), and kept apart from then on; recorded. */
  unmergeCustomers: Array<Customer>;
};


export type MutationCorrectCustomerArgs = {
  fields: CustomerCorrection;
  id: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
};


export type MutationEraseCustomerArgs = {
  id: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
};


export type MutationExportCustomerDataArgs = {
  id: Scalars['ID']['input'];
  reason?: InputMaybe<Scalars['String']['input']>;
};


export type MutationIdentifyShopperArgs = {
  input: IdentifyShopperInput;
};


export type MutationUnmergeCustomersArgs = {
  mergeId: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
};

export type PostalAddress = {
  __typename?: 'PostalAddress';
  city: Maybe<Scalars['String']['output']>;
  complement: Maybe<Scalars['String']['output']>;
  /** ISO 3166-1 alpha-2. */
  country: Maybe<Scalars['String']['output']>;
  district: Maybe<Scalars['String']['output']>;
  number: Maybe<Scalars['String']['output']>;
  /** CEP, eight digits. */
  postalCode: Maybe<Scalars['String']['output']>;
  /** Two-letter state (UF). */
  state: Maybe<Scalars['String']['output']>;
  street: Maybe<Scalars['String']['output']>;
};

export type PostalAddressInput = {
  city?: InputMaybe<Scalars['String']['input']>;
  complement?: InputMaybe<Scalars['String']['input']>;
  country?: InputMaybe<Scalars['String']['input']>;
  district?: InputMaybe<Scalars['String']['input']>;
  number?: InputMaybe<Scalars['String']['input']>;
  postalCode?: InputMaybe<Scalars['String']['input']>;
  state?: InputMaybe<Scalars['String']['input']>;
  street?: InputMaybe<Scalars['String']['input']>;
};

export type Query = {
  __typename?: 'Query';
  /** One profile by id (a merged one shows `mergedInto`). */
  customer: Maybe<Customer>;
  /** Erasures and merges after `after` (a change id), oldest first: what the orders subgraph follows. */
  customerChanges: Array<CustomerChange>;
  /** Profiles found by an exact normalised e-mail, CPF or phone (through the blind index); give one. */
  customers: Array<Customer>;
  /** Recorded data-subject requests, newest first. */
  dataSubjectRequests: Array<DataSubjectRequest>;
};


export type QueryCustomerArgs = {
  id: Scalars['ID']['input'];
};


export type QueryCustomerChangesArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryCustomersArgs = {
  search: CustomerSearch;
};


export type QueryDataSubjectRequestsArgs = {
  customerId?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type RejectedContactField = {
  __typename?: 'RejectedContactField';
  field: Scalars['String']['output'];
  reason: Scalars['String']['output'];
};

export type ShopperContactInput = {
  address?: InputMaybe<PostalAddressInput>;
  cpf?: InputMaybe<Scalars['String']['input']>;
  email?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
};

export type SourcedAddress = {
  __typename?: 'SourcedAddress';
  source: FieldSource;
  value: PostalAddress;
};

/** A personal field's value and where it came from (its source of truth). */
export type SourcedText = {
  __typename?: 'SourcedText';
  source: FieldSource;
  value: Scalars['String']['output'];
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
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Customer:
    ( { __typename: 'Customer' }
    & GraphQLRecursivePick<FederationTypes['Customer'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  CacheControlScope: CacheControlScope;
  Customer: ResolverTypeWrapper<CustomerRow>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  CustomerChange: ResolverTypeWrapper<CustomerChangeRow>;
  CustomerChangeKind: CustomerChangeKind;
  CustomerCorrection: CustomerCorrection;
  CustomerDataExport: ResolverTypeWrapper<DataExport>;
  CustomerIdentity: ResolverTypeWrapper<IdentityRow>;
  CustomerMerge: ResolverTypeWrapper<MergeRow>;
  CustomerSearch: CustomerSearch;
  CustomerStatus: CustomerStatus;
  DataSubjectRequest: ResolverTypeWrapper<DataSubjectRequestRow>;
  DataSubjectRequestKind: DataSubjectRequestKind;
  FieldSource: ResolverTypeWrapper<FieldSource>;
  FieldSourceKind: FieldSourceKind;
  IdentifyOutcome: IdentifyOutcome;
  IdentifyShopperInput: IdentifyShopperInput;
  IdentifyShopperPayload: ResolverTypeWrapper<IdentifyResult>;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  MatchKind: MatchKind;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PostalAddress: ResolverTypeWrapper<PostalAddress>;
  PostalAddressInput: PostalAddressInput;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RejectedContactField: ResolverTypeWrapper<RejectedContactField>;
  ShopperContactInput: ShopperContactInput;
  SourcedAddress: ResolverTypeWrapper<SourcedAddress>;
  SourcedText: ResolverTypeWrapper<SourcedText>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Customer: CustomerRow;
  String: Scalars['String']['output'];
  ID: Scalars['ID']['output'];
  CustomerChange: CustomerChangeRow;
  CustomerCorrection: CustomerCorrection;
  CustomerDataExport: DataExport;
  CustomerIdentity: IdentityRow;
  CustomerMerge: MergeRow;
  CustomerSearch: CustomerSearch;
  DataSubjectRequest: DataSubjectRequestRow;
  FieldSource: FieldSource;
  IdentifyShopperInput: IdentifyShopperInput;
  IdentifyShopperPayload: IdentifyResult;
  JSON: Scalars['JSON']['output'];
  Mutation: Record<PropertyKey, never>;
  PostalAddress: PostalAddress;
  PostalAddressInput: PostalAddressInput;
  Query: Record<PropertyKey, never>;
  RejectedContactField: RejectedContactField;
  ShopperContactInput: ShopperContactInput;
  SourcedAddress: SourcedAddress;
  SourcedText: SourcedText;
  Boolean: Scalars['Boolean']['output'];
  Int: Scalars['Int']['output'];
}>;

export type CacheControlDirectiveArgs = {
  inheritMaxAge?: Maybe<Scalars['Boolean']['input']>;
  maxAge?: Maybe<Scalars['Int']['input']>;
  scope?: Maybe<CacheControlScope>;
};

export type CacheControlDirectiveResolver<Result, Parent, ContextType = CustomersContext, Args = CacheControlDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type CustomerResolvers<ContextType = CustomersContext, ParentType extends ResolversParentTypes['Customer'] = ResolversParentTypes['Customer'], FederationReferenceType extends FederationReferenceTypes['Customer'] = FederationReferenceTypes['Customer']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Customer']> | FederationReferenceType, FederationReferenceType, ContextType>;
  address?: Resolver<Maybe<ResolversTypes['SourcedAddress']>, ParentType, ContextType>;
  channels?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  cpf?: Resolver<Maybe<ResolversTypes['SourcedText']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  email?: Resolver<Maybe<ResolversTypes['SourcedText']>, ParentType, ContextType>;
  erased?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  erasedAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  identities?: Resolver<Array<ResolversTypes['CustomerIdentity']>, ParentType, ContextType>;
  mergedInto?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType>;
  merges?: Resolver<Array<ResolversTypes['CustomerMerge']>, ParentType, ContextType>;
  name?: Resolver<Maybe<ResolversTypes['SourcedText']>, ParentType, ContextType>;
  phone?: Resolver<Maybe<ResolversTypes['SourcedText']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['CustomerStatus'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type CustomerChangeResolvers<ContextType = CustomersContext, ParentType extends ResolversParentTypes['CustomerChange'] = ResolversParentTypes['CustomerChange']> = ResolversObject<{
  customerId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['CustomerChangeKind'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  otherCustomerId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
}>;

export type CustomerDataExportResolvers<ContextType = CustomersContext, ParentType extends ResolversParentTypes['CustomerDataExport'] = ResolversParentTypes['CustomerDataExport']> = ResolversObject<{
  data?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  request?: Resolver<ResolversTypes['DataSubjectRequest'], ParentType, ContextType>;
}>;

export type CustomerIdentityResolvers<ContextType = CustomersContext, ParentType extends ResolversParentTypes['CustomerIdentity'] = ResolversParentTypes['CustomerIdentity']> = ResolversObject<{
  channel?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  firstSeenAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  lastSeenAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  platformCustomerId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type CustomerMergeResolvers<ContextType = CustomersContext, ParentType extends ResolversParentTypes['CustomerMerge'] = ResolversParentTypes['CustomerMerge']> = ResolversObject<{
  absorbedId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  channel?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  matchedOn?: Resolver<Array<ResolversTypes['MatchKind']>, ParentType, ContextType>;
  mergedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  survivorId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  survivorMatchedOn?: Resolver<Array<ResolversTypes['MatchKind']>, ParentType, ContextType>;
  undoneAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  undoneBy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type DataSubjectRequestResolvers<ContextType = CustomersContext, ParentType extends ResolversParentTypes['DataSubjectRequest'] = ResolversParentTypes['DataSubjectRequest']> = ResolversObject<{
  at?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  customerId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['DataSubjectRequestKind'], ParentType, ContextType>;
  operator?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  outcome?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type FieldSourceResolvers<ContextType = CustomersContext, ParentType extends ResolversParentTypes['FieldSource'] = ResolversParentTypes['FieldSource']> = ResolversObject<{
  channel?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['FieldSourceKind'], ParentType, ContextType>;
  observedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  operator?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type IdentifyShopperPayloadResolvers<ContextType = CustomersContext, ParentType extends ResolversParentTypes['IdentifyShopperPayload'] = ResolversParentTypes['IdentifyShopperPayload']> = ResolversObject<{
  customerId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  matchedOn?: Resolver<Array<ResolversTypes['MatchKind']>, ParentType, ContextType>;
  mergedCustomerIds?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  outcome?: Resolver<ResolversTypes['IdentifyOutcome'], ParentType, ContextType>;
  rejected?: Resolver<Array<ResolversTypes['RejectedContactField']>, ParentType, ContextType>;
}>;

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type MutationResolvers<ContextType = CustomersContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  correctCustomer?: Resolver<ResolversTypes['Customer'], ParentType, ContextType, RequireFields<MutationCorrectCustomerArgs, 'fields' | 'id' | 'reason'>>;
  eraseCustomer?: Resolver<ResolversTypes['DataSubjectRequest'], ParentType, ContextType, RequireFields<MutationEraseCustomerArgs, 'id' | 'reason'>>;
  exportCustomerData?: Resolver<ResolversTypes['CustomerDataExport'], ParentType, ContextType, RequireFields<MutationExportCustomerDataArgs, 'id'>>;
  identifyShopper?: Resolver<ResolversTypes['IdentifyShopperPayload'], ParentType, ContextType, RequireFields<MutationIdentifyShopperArgs, 'input'>>;
  unmergeCustomers?: Resolver<Array<ResolversTypes['Customer']>, ParentType, ContextType, RequireFields<MutationUnmergeCustomersArgs, 'mergeId' | 'reason'>>;
}>;

export type PostalAddressResolvers<ContextType = CustomersContext, ParentType extends ResolversParentTypes['PostalAddress'] = ResolversParentTypes['PostalAddress']> = ResolversObject<{
  city?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  complement?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  country?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  district?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  number?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  postalCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  state?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  street?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = CustomersContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  customer?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType, RequireFields<QueryCustomerArgs, 'id'>>;
  customerChanges?: Resolver<Array<ResolversTypes['CustomerChange']>, ParentType, ContextType, RequireFields<QueryCustomerChangesArgs, 'first'>>;
  customers?: Resolver<Array<ResolversTypes['Customer']>, ParentType, ContextType, RequireFields<QueryCustomersArgs, 'search'>>;
  dataSubjectRequests?: Resolver<Array<ResolversTypes['DataSubjectRequest']>, ParentType, ContextType, RequireFields<QueryDataSubjectRequestsArgs, 'first'>>;
}>;

export type RejectedContactFieldResolvers<ContextType = CustomersContext, ParentType extends ResolversParentTypes['RejectedContactField'] = ResolversParentTypes['RejectedContactField']> = ResolversObject<{
  field?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type SourcedAddressResolvers<ContextType = CustomersContext, ParentType extends ResolversParentTypes['SourcedAddress'] = ResolversParentTypes['SourcedAddress']> = ResolversObject<{
  source?: Resolver<ResolversTypes['FieldSource'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['PostalAddress'], ParentType, ContextType>;
}>;

export type SourcedTextResolvers<ContextType = CustomersContext, ParentType extends ResolversParentTypes['SourcedText'] = ResolversParentTypes['SourcedText']> = ResolversObject<{
  source?: Resolver<ResolversTypes['FieldSource'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = CustomersContext> = ResolversObject<{
  Customer?: CustomerResolvers<ContextType>;
  CustomerChange?: CustomerChangeResolvers<ContextType>;
  CustomerDataExport?: CustomerDataExportResolvers<ContextType>;
  CustomerIdentity?: CustomerIdentityResolvers<ContextType>;
  CustomerMerge?: CustomerMergeResolvers<ContextType>;
  DataSubjectRequest?: DataSubjectRequestResolvers<ContextType>;
  FieldSource?: FieldSourceResolvers<ContextType>;
  IdentifyShopperPayload?: IdentifyShopperPayloadResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  Mutation?: MutationResolvers<ContextType>;
  PostalAddress?: PostalAddressResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RejectedContactField?: RejectedContactFieldResolvers<ContextType>;
  SourcedAddress?: SourcedAddressResolvers<ContextType>;
  SourcedText?: SourcedTextResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = CustomersContext> = ResolversObject<{
  cacheControl?: CacheControlDirectiveResolver<any, any, ContextType>;
}>;
