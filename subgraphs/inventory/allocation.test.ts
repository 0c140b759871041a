import { describe, expect, it } from 'vitest';
import { channelAvailability } from './allocation.ts';
import type { ChannelRow, StockLevelRow } from './models.ts';

const channel = (policy: Partial<ChannelRow>): ChannelRow => ({
  id: 'ch', name: 'ch', kind: 'OTHER', bufferUnits: 0, percentageOfAvailable: 100, maxListedQuantity: null,
  minListedQuantity: 0, backordersAllowed: false, locationIds: ['a', 'b'], routingPreference: 'NEAREST', ...policy,
});
const level = (locationId: string, onHand: number, committed = 0, safetyStock = 0): StockLevelRow => ({
  sku: 'S', locationId, onHand, committed, safetyStock, incoming: 0, version: 1, updatedAt: '',
});

describe('channel allocation policy', () => {
  const levels = [level('a', 10, 2), level('b', 5, 0, 1), level('c', 100)];

  it('sums the available units of the locations that feed the channel only', () => {
    expect(channelAvailability(channel({}), 'S', levels)).toMatchObject({ available: 12, quantity: 12 });
  });
  it("versions the answer with every location's changes, fed or not", () => {
    expect(channelAvailability(channel({}), 'S', levels).stockVersion).toBe(3);
    expect(channelAvailability(channel({}), 'S', [...levels.slice(0, 2), { ...levels[2]!, version: 2 }]).stockVersion).toBe(4);
  });
  it('holds back the buffer, then takes the percentage rounded down', () => {
    expect(channelAvailability(channel({ bufferUnits: 2, percentageOfAvailable: 75 }), 'S', levels).quantity).toBe(7);
  });
  it('caps at the maximum listed quantity', () => {
    expect(channelAvailability(channel({ maxListedQuantity: 5 }), 'S', levels).quantity).toBe(5);
  });
  it('lists zero below the minimum', () => {
    expect(channelAvailability(channel({ minListedQuantity: 13 }), 'S', levels).quantity).toBe(0);
  });
  it('never lists a negative quantity, even when a location is oversold', () => {
    expect(channelAvailability(channel({ bufferUnits: 50 }), 'S', [level('a', 1, 4)])).toMatchObject({ available: 0, quantity: 0 });
  });
});
