import { ErrorCode, PonteError } from '../../kit/errors.ts';
import { availableAt, GRAPHQL_MAX_INT, type ChannelAvailabilityValue, type ChannelRow, type StockLevelRow } from './models.ts';

/**
 * What a channel lists for one SKU, following the allocation rules merchants expect from
 * multichannel tools: the stock of the locations that feed the channel, less a buffer, a
 * percentage of the rest rounded down, capped at a maximum, and 0 below a minimum.
 */
export function channelAvailability(channel: ChannelRow, sku: string, levels: readonly StockLevelRow[]): ChannelAvailabilityValue {
  let available = 0;
  let stockVersion = 0;
  for (const level of levels) {
    if (level.sku !== sku) continue;
    stockVersion += Number(level.version);
    if (channel.locationIds.includes(level.locationId)) available += availableAt(level);
  }
  if (available > GRAPHQL_MAX_INT || stockVersion > GRAPHQL_MAX_INT) {
    throw new PonteError(ErrorCode.QUANTITY_LIMIT_EXCEEDED, `Availability of ${sku} on ${channel.id} is more than a GraphQL Int can carry`, { sku, channel: channel.id, available, stockVersion });
  }
  let quantity = Math.max(0, available - channel.bufferUnits);
  quantity = Math.floor((quantity * channel.percentageOfAvailable) / 100);
  if (channel.maxListedQuantity !== null) quantity = Math.min(quantity, channel.maxListedQuantity);
  if (quantity < channel.minListedQuantity) quantity = 0;
  return { sku, channelId: channel.id, available, quantity, backordersAllowed: channel.backordersAllowed, stockVersion };
}
