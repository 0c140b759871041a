/**
 * Shopify's calculated query cost, as documented for the Admin GraphQL API: scalars and enums
 * cost 0, objects 1, a connection 2 plus the objects it asks for (`first`/`last`) times the
 * cost of each, and every mutation field 10. The requested cost is computed from the query
 * before it runs; the actual cost from what it returned (fewer nodes than `first` costs less).
 */
import { getNamedType, isCompositeType, isObjectType, isInterfaceType, Kind } from 'graphql';
import type { FieldNode, FragmentDefinitionNode, GraphQLCompositeType, GraphQLNamedType, GraphQLSchema, OperationDefinitionNode, SelectionSetNode, ValueNode } from 'graphql';

export const MUTATION_FIELD_COST = 10;
export const CONNECTION_BASE_COST = 2;

interface CostContext {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

export function queryCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  /** The `data` of the response, to compute the actual cost; omit for the requested cost. */
  data?: unknown,
): number {
  const context: CostContext = { schema, fragments, variables };
  if (operation.operation === 'mutation') {
    // A mutation costs 10 per mutation field; what it selects back is included.
    return collectFields(context, operation.selectionSet).length * MUTATION_FIELD_COST;
  }
  const root = operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return 0;
  return selectionCost(context, operation.selectionSet, root, data, data !== undefined);
}

function selectionCost(context: CostContext, selectionSet: SelectionSetNode, parent: GraphQLCompositeType, data: unknown, actual: boolean): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) continue;
    // Fragments on a narrower type are costed against that type; summing them over-estimates
    // an interface selection slightly, as Shopify's "maximum of possible selections" rule allows.
    const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : context.fragments.get(selection.name.value);
    if (!fragment) continue;
    const condition = fragment.typeCondition ? context.schema.getType(fragment.typeCondition.name.value) : parent;
    const narrowed = condition && isCompositeType(condition) ? condition : parent;
    cost += selectionCost(context, fragment.selectionSet, narrowed, data, actual);
  }
  for (const selection of selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const field = selection;
    const fieldName = field.name.value;
    if (fieldName.startsWith('__')) continue;
    const definition = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[fieldName] : undefined;
    if (!definition) continue;
    const type = getNamedType(definition.type);
    if (!isCompositeType(type)) continue;
    const key = field.alias?.value ?? fieldName;
    const value = actual && data && typeof data === 'object' ? (data as Record<string, unknown>)[key] : undefined;
    if (actual && (value === null || value === undefined)) continue;
    if (isConnection(type)) {
      cost += connectionCost(context, field, type, value, actual);
    } else if (field.selectionSet) {
      const item = Array.isArray(value) ? value[0] : value;
      cost += 1 + selectionCost(context, field.selectionSet, type, item, actual);
    } else {
      cost += 1;
    }
  }
  return cost;
}

function connectionCost(context: CostContext, field: FieldNode, connection: GraphQLCompositeType, value: unknown, actual: boolean): number {
  if (!field.selectionSet || !isObjectType(connection)) return CONNECTION_BASE_COST;
  const requestedSize = Number(argumentValue(context, field, 'first') ?? argumentValue(context, field, 'last') ?? 0);
  let items: unknown[] = [];
  let perItem = 0;
  for (const part of collectFields(context, field.selectionSet)) {
    const partName = part.name.value;
    const partKey = part.alias?.value ?? partName;
    const partValue = actual && value && typeof value === 'object' ? (value as Record<string, unknown>)[partKey] : undefined;
    const nodeType = getNamedType(connection.getFields()[partName]?.type);
    if (!part.selectionSet || !nodeType || !isCompositeType(nodeType)) continue;
    if (partName === 'nodes') {
      items = Array.isArray(partValue) ? partValue : items;
      perItem = Math.max(perItem, selectionCost(context, part.selectionSet, nodeType, items[0], actual));
    } else if (partName === 'edges' && isObjectType(nodeType)) {
      const edges = Array.isArray(partValue) ? partValue : [];
      if (actual) items = edges;
      for (const edgePart of collectFields(context, part.selectionSet)) {
        if (edgePart.name.value !== 'node' || !edgePart.selectionSet) continue;
        const node = getNamedType(nodeType.getFields()['node']?.type);
        if (!node || !isCompositeType(node)) continue;
        const firstEdge = edges[0] as Record<string, unknown> | undefined;
        perItem = Math.max(perItem, selectionCost(context, edgePart.selectionSet, node, firstEdge?.[edgePart.alias?.value ?? 'node'], actual));
      }
    }
  }
  const size = actual ? items.length : requestedSize;
  return CONNECTION_BASE_COST + size * (1 + perItem);
}

function isConnection(type: GraphQLNamedType): boolean {
  return isObjectType(type) && type.name.endsWith('Connection') && 'pageInfo' in type.getFields();
}

function argumentValue(context: CostContext, field: FieldNode, name: string): unknown {
  const argument = field.arguments?.find((candidate) => candidate.name.value === name);
  return argument ? literal(context, argument.value) : undefined;
}

function literal(context: CostContext, value: ValueNode): unknown {
  switch (value.kind) {
    case Kind.INT:
      return Number.parseInt(value.value, 10);
    case Kind.VARIABLE:
      return context.variables[value.name.value];
    case Kind.NULL:
      return null;
    default:
      return undefined;
  }
}

/** Fields of a selection set with fragments flattened (type conditions are not narrowed: an over-estimate, never an under-estimate). */
function collectFields(context: CostContext, selectionSet: SelectionSetNode): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) fields.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) fields.push(...collectFields(context, selection.selectionSet));
    else {
      const fragment = context.fragments.get(selection.name.value);
      if (fragment) fields.push(...collectFields(context, fragment.selectionSet));
    }
  }
  return fields;
}
