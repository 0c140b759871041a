import { GraphQLError } from 'graphql';
import { WooCommerceApiError } from './client.ts';

/** The code a client branches on when the store could not answer: the listing is unknown, not absent. */
export const PLATFORM_UNAVAILABLE = 'PLATFORM_UNAVAILABLE';

/**
 * The store failed a read: the field resolves to null with this error beside it, and the rest
 * of the query (catalog, inventory) is answered as usual.
 */
export function platformUnavailable(cause: unknown, details: Record<string, unknown>): GraphQLError {
  const api = cause instanceof WooCommerceApiError ? cause : undefined;
  return new GraphQLError(`The WooCommerce store could not be read: ${(cause as Error)?.message ?? String(cause)}`, {
    extensions: {
      code: PLATFORM_UNAVAILABLE,
      platform: 'woocommerce',
      ...(api ? { platformStatus: api.status ?? null, platformCode: api.code } : {}),
      ...details,
    },
    originalError: cause instanceof Error ? cause : undefined,
  });
}
