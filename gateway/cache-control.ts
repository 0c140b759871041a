import { buildASTSchema, getNamedType, getNullableType, Kind, parse, type ConstDirectiveNode, type DocumentNode, type GraphQLField, type GraphQLObjectType, type GraphQLSchema } from 'graphql';

/**
 * What the gateway's caches learn from the composed supergraph itself, so that they are safe on
 * any supergraph and adding a subgraph never means editing the gateway: whether a subgraph
 * really offers the stock feed their invalidation follows, and how long each field's answer may
 * be kept (`@cacheControl(maxAge:)` next to the field in its subgraph's SDL, composed through
 * `@composeDirective`).
 */

/** The subscription field and event field the caches' invalidation reads. */
export const STOCK_FEED_FIELD = 'stockChanged';
export const STOCK_FEED_SKU_FIELD = 'sku';

export type StockFeed = { offered: true; subgraph: string; url: string; why: string } | { offered: false; why: string };

const directiveArgument = (directive: ConstDirectiveNode, name: string) => directive.arguments?.find((argument) => argument.name.value === name)?.value;
const stringArgument = (directive: ConstDirectiveNode, name: string) => {
  const value = directiveArgument(directive, name);
  return value?.kind === Kind.STRING || value?.kind === Kind.ENUM ? value.value : undefined;
};

const parsedSupergraphs = new Map<string, { document: DocumentNode; schema: GraphQLSchema }>();

function supergraphOf(supergraphSdl: string): { document: DocumentNode; schema: GraphQLSchema } {
  let parsed = parsedSupergraphs.get(supergraphSdl);
  if (!parsed) {
    const document = parse(supergraphSdl);
    // The supergraph declares its own join__/link__ directives: no validation needed to read it.
    parsed = { document, schema: buildASTSchema(document, { assumeValid: true, assumeValidSDL: true }) };
    if (parsedSupergraphs.size > 4) parsedSupergraphs.clear();
    parsedSupergraphs.set(supergraphSdl, parsed);
  }
  return parsed;
}

/** `join__Graph` enum value → { name, url } of each subgraph. */
function subgraphsOf(schema: GraphQLSchema): Map<string, { name: string; url: string }> {
  const graphs = new Map<string, { name: string; url: string }>();
  const graphEnum = schema.getType('join__Graph');
  for (const value of graphEnum?.astNode?.kind === Kind.ENUM_TYPE_DEFINITION ? (graphEnum.astNode.values ?? []) : []) {
    const directive = value.directives?.find((candidate) => candidate.name.value === 'join__graph');
    const name = directive && stringArgument(directive, 'name');
    const url = directive && stringArgument(directive, 'url');
    if (name && url) graphs.set(value.name.value, { name, url });
  }
  return graphs;
}

/** The `join__Graph` values that resolve a field: its own `@join__field`s, else its type's `@join__type`s. */
function graphsResolving(type: GraphQLObjectType, field: GraphQLField<unknown, unknown>): string[] {
  const fromField = (field.astNode?.directives ?? []).filter((directive) => directive.name.value === 'join__field').map((directive) => stringArgument(directive, 'graph'));
  const fromType = (type.astNode?.directives ?? []).filter((directive) => directive.name.value === 'join__type').map((directive) => stringArgument(directive, 'graph'));
  return (fromField.length ? fromField : fromType).filter((graph): graph is string => graph !== undefined);
}

/**
 * Whether the supergraph has a stock feed the caches can follow: a subscription field
 * `stockChanged` that needs no argument, resolved by one subgraph (`subgraph` when given),
 * whose event carries a non-null `sku`. Judged from the composed schema, not from subgraph names:
 * a subgraph called "inventory" that offers no such feed leaves the caches off.
 */
export function findStockFeed(supergraphSdl: string, subgraph?: string): StockFeed {
  const { schema } = supergraphOf(supergraphSdl);
  const subscription = schema.getSubscriptionType();
  const field = subscription?.getFields()[STOCK_FEED_FIELD];
  if (!subscription || !field) return { offered: false, why: `the supergraph has no Subscription.${STOCK_FEED_FIELD}` };
  const required = field.args.filter((argument) => argument.type.toString().endsWith('!') && argument.defaultValue === undefined);
  if (required.length) return { offered: false, why: `Subscription.${STOCK_FEED_FIELD} requires arguments (${required.map((argument) => argument.name).join(', ')})` };
  const event = getNamedType(field.type);
  const skuField = 'getFields' in event ? (event as GraphQLObjectType).getFields()[STOCK_FEED_SKU_FIELD] : undefined;
  const skuType = skuField && getNullableType(skuField.type);
  if (!skuField || skuField.type === skuType || !['ID', 'String'].includes(String(skuType))) {
    return { offered: false, why: `Subscription.${STOCK_FEED_FIELD} returns ${event.name}, which has no non-null ${STOCK_FEED_SKU_FIELD}: ID or String` };
  }
  const graphs = subgraphsOf(schema);
  const resolving = graphsResolving(subscription, field).map((graph) => graphs.get(graph)).filter((graph) => graph !== undefined);
  if (resolving.length !== 1) return { offered: false, why: `Subscription.${STOCK_FEED_FIELD} is resolved by ${resolving.length} subgraphs, not one` };
  const feed = resolving[0]!;
  if (subgraph !== undefined && feed.name !== subgraph) return { offered: false, why: `Subscription.${STOCK_FEED_FIELD} comes from subgraph "${feed.name}", not "${subgraph}"` };
  return { offered: true, subgraph: feed.name, url: feed.url, why: `subgraph "${feed.name}" offers Subscription.${STOCK_FEED_FIELD} { ${STOCK_FEED_SKU_FIELD} }` };
}

/**
 * Cache lifetimes declared in the subgraphs' SDL with `@cacheControl(maxAge: <seconds>)`, by
 * schema coordinate (`Type.field`, or `Type` on a type), in milliseconds; 0 means never cache
 * an answer that shows it. The same units and coordinates @envelop/response-cache reads.
 */
export function cacheControlTtls(supergraphSdl: string): Record<string, number> {
  const { document } = supergraphOf(supergraphSdl);
  const ttls: Record<string, number> = {};
  const maxAgeOf = (directives: readonly ConstDirectiveNode[] | undefined) => {
    let shortest: number | undefined;
    for (const directive of directives ?? []) {
      if (directive.name.value !== 'cacheControl') continue;
      const value = directiveArgument(directive, 'maxAge');
      if (value?.kind !== Kind.INT) continue;
      const ms = Number(value.value) * 1000;
      shortest = shortest === undefined ? ms : Math.min(shortest, ms);
    }
    return shortest;
  };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_EXTENSION) continue;
    const typeName = definition.name.value;
    const typeTtl = maxAgeOf(definition.directives);
    if (typeTtl !== undefined) ttls[typeName] = Math.min(typeTtl, ttls[typeName] ?? Infinity);
    for (const field of definition.fields ?? []) {
      const fieldTtl = maxAgeOf(field.directives);
      if (fieldTtl !== undefined) ttls[`${typeName}.${field.name.value}`] = fieldTtl;
    }
  }
  return ttls;
}
