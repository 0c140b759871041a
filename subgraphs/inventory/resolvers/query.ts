import { ErrorCode, PonteError } from '../../../kit/errors.ts';
import type { QueryResolvers } from '../generated/resolvers-types.ts';
import * as stock from '../repositories/stock-repository.ts';

const MAX_PAGE = 200;

function pageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
    throw new PonteError(ErrorCode.BAD_USER_INPUT, `first must be from 1 to ${MAX_PAGE}, got ${first}`, { field: 'first' });
  }
  return first;
}

export const Query: QueryResolvers = {
  products: async (_root, { skus, first, after }, { db, loaders }) => {
    const limit = pageSize(first);
    if (skus) {
      const wanted = [...new Set(skus)].slice(0, MAX_PAGE);
      const exists = await loaders.productExists.loadMany(wanted);
      return { nodes: wanted.filter((_, index) => exists[index] === true).map((sku) => ({ sku })), pageInfo: { endCursor: null, hasNextPage: false } };
    }
    const page = await stock.productsPage(db, after ?? null, limit + 1);
    const nodes = page.slice(0, limit).map((sku) => ({ sku }));
    // Products listed here exist: prime the loader so their references need no second read.
    for (const node of nodes) loaders.productExists.prime(node.sku, true);
    return { nodes, pageInfo: { endCursor: nodes.at(-1)?.sku ?? null, hasNextPage: page.length > limit } };
  },
  product: async (_root, { sku }, { loaders }) => ((await loaders.productExists.load(sku)) ? { sku } : null),
  locations: (_root, _args, { db }) => stock.allLocations(db),
  location: (_root, { id }, { loaders }) => loaders.location.load(id),
  channels: (_root, _args, { loaders }) => loaders.allChannels.load('all'),
  channel: (_root, { id }, { loaders }) => loaders.channel.load(id),
  reservation: (_root, { id }, { loaders }) => loaders.reservation.load(id),
  reservationsForOrder: (_root, { channel, orderReference }, { db }) => stock.reservationsForOrder(db, channel, orderReference),
  stockMovements: (_root, { sku, location, first }, { db }) => stock.movementsFor(db, { sku: sku ?? null, locationId: location ?? null }, pageSize(first)),
};
