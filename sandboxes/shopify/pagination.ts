/**
 * Shopify's cursor pagination (`first/after`, `last/before`, `reverse`, `pageInfo`) and the
 * subset of its search syntax (`query: "sku:ABC updated_at:>2026-01-01"`) the sandbox honours.
 */
import { GraphQLError } from 'graphql';

export const MAX_PAGE_SIZE = 250;

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  reverse?: boolean | null;
}

export interface Connection<Node> {
  edges: Array<{ cursor: string; node: Node }>;
  nodes: Node[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export function connection<Node>(items: Node[], args: ConnectionArgs, idOf: (node: Node) => number): Connection<Node> {
  const first = args.first ?? null;
  const last = args.last ?? null;
  if (first === null && last === null) throw new GraphQLError('you must provide one of first or last', { extensions: { code: 'BAD_REQUEST' } });
  for (const [name, value] of [['first', first], ['last', last]] as const) {
    if (value !== null && (value < 0 || value > MAX_PAGE_SIZE)) {
      throw new GraphQLError(`${name} must be between 0 and ${MAX_PAGE_SIZE}, got ${value}`, { extensions: { code: 'BAD_REQUEST' } });
    }
  }
  const ordered = args.reverse ? [...items].reverse() : items;
  let start = 0;
  let end = ordered.length;
  if (args.after) {
    const afterId = decodeCursor(args.after);
    const index = ordered.findIndex((node) => idOf(node) === afterId);
    start = index === -1 ? ordered.length : index + 1;
  }
  if (args.before) {
    const beforeId = decodeCursor(args.before);
    const index = ordered.findIndex((node) => idOf(node) === beforeId);
    end = index === -1 ? end : index;
  }
  let window = ordered.slice(start, Math.max(start, end));
  let hasNextPage = end < ordered.length;
  let hasPreviousPage = start > 0;
  if (first !== null && window.length > first) {
    window = window.slice(0, first);
    hasNextPage = true;
  }
  if (last !== null && window.length > last) {
    window = window.slice(window.length - last);
    hasPreviousPage = true;
  }
  const edges = window.map((node) => ({ cursor: encodeCursor(idOf(node)), node }));
  return {
    edges,
    nodes: window,
    pageInfo: { hasNextPage, hasPreviousPage, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

function encodeCursor(id: number): string {
  return Buffer.from(JSON.stringify({ last_id: id, last_value: String(id) })).toString('base64url');
}

function decodeCursor(cursor: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { last_id?: unknown };
    if (typeof parsed.last_id === 'number') return parsed.last_id;
  } catch {
    // fall through to the error below
  }
  throw new GraphQLError(`Invalid cursor for request. Cursor: ${cursor}`, { extensions: { code: 'BAD_REQUEST' } });
}

type SearchValue = string | number | null | undefined;

/**
 * Matches Shopify search syntax terms joined by spaces or AND: `field:value`, `field:>value`,
 * `field:<=value`, `value*` prefix match, quoted values. Unknown fields and OR are not supported:
 * an unknown field matches nothing, so a test notices instead of silently getting everything.
 */
export function matchesSearch(query: string | null | undefined, fields: Record<string, SearchValue>): boolean {
  if (!query || !query.trim()) return true;
  const terms = query.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [];
  return terms.every((term) => {
    if (term === 'AND') return true;
    const separator = term.indexOf(':');
    if (separator === -1) return Object.values(fields).some((value) => String(value ?? '').toLowerCase().includes(unquote(term).toLowerCase()));
    const field = term.slice(0, separator);
    let raw = term.slice(separator + 1);
    const comparator = /^(>=|<=|>|<)/.exec(raw)?.[1] ?? null;
    if (comparator) raw = raw.slice(comparator.length);
    const wanted = unquote(raw);
    if (!(field in fields)) return false;
    const actual = fields[field];
    if (actual === null || actual === undefined) return false;
    if (comparator) return compare(actual, wanted, comparator);
    if (wanted.endsWith('*')) return String(actual).toLowerCase().startsWith(wanted.slice(0, -1).toLowerCase());
    return String(actual).toLowerCase() === wanted.toLowerCase();
  });
}

function unquote(value: string): string {
  return value.replace(/^["']|["']$/g, '');
}

function compare(actual: string | number, wanted: string, comparator: string): boolean {
  const left = typeof actual === 'number' ? actual : Date.parse(actual);
  const right = typeof actual === 'number' ? Number(wanted) : Date.parse(wanted);
  if (Number.isNaN(left) || Number.isNaN(right)) return false;
  switch (comparator) {
    case '>':
      return left > right;
    case '>=':
      return left >= right;
    case '<':
      return left < right;
    default:
      return left <= right;
  }
}
