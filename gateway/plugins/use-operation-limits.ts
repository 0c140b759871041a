import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { createGraphQLError } from '@graphql-tools/utils';
import { Kind, OperationTypeNode, type FragmentDefinitionNode, type GraphQLError, type SelectionSetNode, type ValidationRule } from 'graphql';

/** The code every refused-by-a-limit operation carries; `extensions.limit` names the limit. */
export const OPERATION_LIMIT_EXCEEDED = 'OPERATION_LIMIT_EXCEEDED';

/** Nesting the storefront and the subscriptions need is 5; 10 leaves room without letting a query fan out. */
export const DEFAULT_MAX_DEPTH = 10;
/** A product page with a few variants needs a handful; 1,000 aliases of a product page was a 9 MB answer. */
export const DEFAULT_MAX_ALIASES = 15;
/** Every token of the document (names, braces, punctuation): the README's largest query is ~120. */
export const DEFAULT_MAX_TOKENS = 1000;
export const DEFAULT_MAX_DIRECTIVES = 50;
/** GraphQL Armor's cost units (objects 2, scalars 1, × 1.5 per level): the storefront page is ~200. */
export const DEFAULT_MAX_COST = 5000;
/** Root fields of one mutation operation, aliases included: 2,147 `receiveStock` aliases all committed. */
export const DEFAULT_MAX_MUTATION_FIELDS = 10;

export interface OperationLimitsOptions {
  /** @default DEFAULT_MAX_DEPTH (10) */
  maxDepth?: number;
  /** @default DEFAULT_MAX_ALIASES (15) */
  maxAliases?: number;
  /** @default DEFAULT_MAX_TOKENS (1000) */
  maxTokens?: number;
  /** @default DEFAULT_MAX_DIRECTIVES (50) */
  maxDirectives?: number;
  /** @default DEFAULT_MAX_COST (5000) */
  maxCost?: number;
  /** @default DEFAULT_MAX_MUTATION_FIELDS (10) */
  maxMutationFields?: number;
  /**
   * Hide "Did you mean …?" from validation errors, so the schema cannot be guessed field by field.
   * The gateway turns it on in production mode.
   * @default false
   */
  blockFieldSuggestions?: boolean;
}

export type OperationLimit = 'maxDepth' | 'maxAliases' | 'maxTokens' | 'maxDirectives' | 'maxCost' | 'maxMutationFields';

/**
 * Built with @graphql-tools/utils, whose `graphql` is the runtime's: an error from another copy of
 * graphql-js (ESM beside CommonJS) fails Yoga's instanceof check and reaches the client masked.
 */
function limitError(limit: OperationLimit, message: string): GraphQLError {
  return createGraphQLError(message, { extensions: { code: OPERATION_LIMIT_EXCEEDED, limit, http: { status: 400 } } });
}

/** GraphQL Armor reports "Syntax Error: …" without a code; we throw ours instead, with the same text. */
const rejectWith =
  (limit: OperationLimit): GraphQLArmorRejectCallback =>
  (_context, error) => {
    throw limitError(limit, error.message.replace(/^Syntax Error: /, ''));
  };

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  const chosen = value ?? fallback;
  if (!Number.isInteger(chosen) || chosen < 1) throw new Error(`useOperationLimits: ${name} must be a positive integer, got ${value}`);
  return chosen;
}

/** Root fields a mutation runs, counted through fragments (each spread once per place it is used). */
export function maxMutationFieldsRule(max: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      if (operation.operation !== OperationTypeNode.MUTATION) return;
      const fragments = new Map<string, FragmentDefinitionNode>();
      for (const definition of context.getDocument().definitions) {
        if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
      }
      let count = 0;
      // Fragment cycles are refused by the standard NoFragmentCycles rule; `seen` stops us before that.
      const countIn = (selectionSet: SelectionSetNode, seen: Set<string>) => {
        for (const selection of selectionSet.selections) {
          if (count > max) return;
          if (selection.kind === Kind.FIELD) {
            if (selection.name.value !== '__typename') count++;
          } else if (selection.kind === Kind.INLINE_FRAGMENT) {
            countIn(selection.selectionSet, seen);
          } else {
            const fragment = fragments.get(selection.name.value);
            if (fragment && !seen.has(fragment.name.value)) countIn(fragment.selectionSet, new Set(seen).add(fragment.name.value));
          }
        }
      };
      countIn(operation.selectionSet, new Set());
      if (count > max) {
        context.reportError(limitError('maxMutationFields', `A request may run at most ${max} mutation fields; send the rest in further requests.`));
      }
    },
  });
}

/**
 * Limits checked on the document before anything executes (parse and validation, so a refused
 * operation costs no subgraph call and never reaches the response cache): depth, aliases, tokens,
 * directives and cost with GraphQL Armor (https://escape.tech/graphql-armor/docs/), and mutation
 * fields per request with a rule of our own. Each refusal is `OPERATION_LIMIT_EXCEEDED`, HTTP 400,
 * with `extensions.limit` naming the limit.
 */
export function useOperationLimits(options: OperationLimitsOptions = {}): GatewayPlugin {
  const maxDepth = positiveInteger('maxDepth', options.maxDepth, DEFAULT_MAX_DEPTH);
  const maxAliases = positiveInteger('maxAliases', options.maxAliases, DEFAULT_MAX_ALIASES);
  const maxTokens = positiveInteger('maxTokens', options.maxTokens, DEFAULT_MAX_TOKENS);
  const maxDirectives = positiveInteger('maxDirectives', options.maxDirectives, DEFAULT_MAX_DIRECTIVES);
  const maxCost = positiveInteger('maxCost', options.maxCost, DEFAULT_MAX_COST);
  const maxMutationFields = positiveInteger('maxMutationFields', options.maxMutationFields, DEFAULT_MAX_MUTATION_FIELDS);
  const mutationRule = maxMutationFieldsRule(maxMutationFields);
  const armor = [
    maxTokensPlugin({ n: maxTokens, onReject: [rejectWith('maxTokens')] }),
    // flattenFragments: a fragment spread counts its fragment's depth once, not per visit, so a
    // 50-level fragment chain is measured in linear time.
    maxDepthPlugin({ n: maxDepth, flattenFragments: true, onReject: [rejectWith('maxDepth')] }),
    maxAliasesPlugin({ n: maxAliases, onReject: [rejectWith('maxAliases')] }),
    maxDirectivesPlugin({ n: maxDirectives, onReject: [rejectWith('maxDirectives')] }),
    costLimitPlugin({ maxCost, flattenFragments: true, onReject: [rejectWith('maxCost')] }),
    ...(options.blockFieldSuggestions ? [blockFieldSuggestionsPlugin()] : []),
  ];
  return {
    onPluginInit({ addPlugin }) {
      // Armor's plugins are plain envelop plugins, which the gateway runs as they are.
      for (const plugin of armor) addPlugin(plugin as never);
    },
    onValidate({ addValidationRule }) {
      addValidationRule(mutationRule);
    },
  };
}
