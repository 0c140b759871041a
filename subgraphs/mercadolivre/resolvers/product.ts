import { GraphQLError } from 'graphql';
import type { ProductResolvers } from '../generated/resolvers-types.ts';
import { MercadoLivreApiError, MercadoLivreUnavailable } from '../client.ts';
import { MercadoLivreAuthError } from '../oauth.ts';

export const PLATFORM_UNAVAILABLE = 'PLATFORM_UNAVAILABLE';

export const Product: ProductResolvers = {
  // Any SKU can be asked about; whether it is listed is the listing field's answer, so the
  // reference needs no I/O and the platform read is left to the field's per-request loader.
  __resolveReference: ({ sku }) => ({ sku }),
  async mercadoLivreListing({ sku }, _args, { listings, log }) {
    try {
      return await listings.load(sku);
    } catch (error) {
      if (!(error instanceof MercadoLivreUnavailable || error instanceof MercadoLivreAuthError || error instanceof MercadoLivreApiError)) throw error;
      // The rest of the query (stock, catalog) still answers; only this field is missing.
      log.warn({ err: error, sku }, 'Mercado Livre listing unavailable');
      throw new GraphQLError(`Mercado Livre is unavailable: the listing of ${sku} could not be read`, {
        extensions: { code: PLATFORM_UNAVAILABLE, platform: 'mercadolivre', sku, http: { status: 503 } },
      });
    }
  },
};
