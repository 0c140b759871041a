import { randomUUID } from 'node:crypto';
import { postGraphQL, readStorefront, type Target } from './targets.ts';

const RECEIVED_UNITS = 7;
const RECEIVE_STOCK = `mutation BenchReceiveStock($input: ReceiveStockInput!) {
  receiveStock(input: $input) { levels { sku onHand location { id } } }
}`;

export interface FreshnessResult {
  pass: boolean;
  sku: string;
  location: string;
  onHandBefore: number;
  expected: number;
  /** What the storefront query through Ponte's gateway showed right after the mutation. */
  served: number | null;
  /** The read just before the mutation came from the cache, so the check exercises invalidation. */
  cachedBeforeMutation: boolean;
  detail: string;
}

const onHandOf = (products: Awaited<ReturnType<typeof readStorefront>>, sku: string, location: string) =>
  products.find((product) => product.sku === sku)?.stockLevels.find((level) => level.location.id === location)?.onHand ?? null;

/**
 * The cache must never serve an old quantity: with the storefront page cached in Ponte's
 * gateway, receive stock through the same gateway and read the page again at once.
 */
export async function checkFreshness(ponte: Target): Promise<FreshnessResult> {
  // The load may have ended longer than the cache's TTL ago: the first read refills the entry,
  // the second should be a hit.
  await readStorefront(ponte);
  const hitsBefore = (await ponte.server.stats()).responseCache?.hits ?? 0;
  const page = await readStorefront(ponte);
  const cachedBeforeMutation = ((await ponte.server.stats()).responseCache?.hits ?? 0) > hitsBefore;

  const product = page[0]!;
  const level = product.stockLevels[0]!;
  const base = { sku: product.sku, location: level.location.id, onHandBefore: level.onHand, expected: level.onHand + RECEIVED_UNITS, cachedBeforeMutation };

  const input = { idempotencyKey: `bench-freshness-${randomUUID()}`, sku: product.sku, location: level.location.id, quantity: RECEIVED_UNITS, reason: 'bench freshness check' };
  const mutation = await postGraphQL(ponte.url, ponte.headers, JSON.stringify({ query: RECEIVE_STOCK, variables: { input } }));
  if (mutation.status !== 200 || mutation.json.errors) {
    return { ...base, pass: false, served: null, detail: `receiveStock failed: HTTP ${mutation.status} ${JSON.stringify(mutation.json).slice(0, 300)}` };
  }

  const served = onHandOf(await readStorefront(ponte), product.sku, level.location.id);
  const pass = served === base.expected;
  return {
    ...base,
    pass,
    served,
    detail: pass
      ? `onHand ${base.onHandBefore} -> ${served} served right after receiveStock(+${RECEIVED_UNITS})`
      : `STALE: expected onHand ${base.expected} right after receiveStock(+${RECEIVED_UNITS}), gateway served ${served}`,
  };
}
