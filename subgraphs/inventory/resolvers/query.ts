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
  storeSales: async (_root, { after, first }, { db, actor }) => {
    const limit = pageSize(first ?? 100);
    if (after && !/^\d{1,18}$/.test(after)) throw new PonteError(ErrorCode.BAD_USER_INPUT, 'after is not a cursor this list gave', { field: 'after' });
    // A partner's till sees its own channels' sales only.
    return db.query<{ cursor: string; reservationId: string; channelId: string; orderReference: string; soldAt: string; lines: Array<{ sku: string; quantity: number; lineReference: string | null; unitPriceCents: number | null }> }>(
      `SELECT id::text AS cursor, reservation_id::text AS "reservationId", channel_id AS "channelId", order_reference AS "orderReference",
              to_char(sold_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "soldAt", lines
         FROM store_sales WHERE id > $1 AND ($2::text[] IS NULL OR channel_id = ANY($2::text[])) ORDER BY id LIMIT $3`,
      [Number(after ?? 0), actor.channels ?? null, limit],
    );
  },
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
