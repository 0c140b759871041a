import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, graphql, startPonte, type RunningPonte } from '../support/ponte.ts';

/**
 * Routing through the gateway, as a partner with its own API key: the demo merchant's Shopify
 * channel ships from the São Paulo warehouse and the Extrema (MG) 3PL; a buyer in Belo Horizonte
 * is served from Extrema, one in São Paulo from São Paulo, and each line says why.
 */
let ponte: RunningPonte;
let keys = 0;
const key = (name: string) => `e2e-routing-${name}-${++keys}`;
const PARTNER = as('partner');

beforeAll(async () => {
  ponte = await startPonte();
  const registered = await graphql(ponte.gatewayUrl, `mutation { registerProducts(input: { idempotencyKey: "${key('register')}", skus: ["ROTA-1", "ROTA-2"] }) { products { sku } } }`, {}, PARTNER);
  expect(registered.errors).toBeUndefined();
  const stock: Array<[string, string, number]> = [['ROTA-1', 'cd-sao-paulo', 3], ['ROTA-1', '3pl-extrema', 2], ['ROTA-2', 'cd-sao-paulo', 1]];
  for (const [sku, location, quantity] of stock) {
    const received = await graphql(ponte.gatewayUrl, `mutation { receiveStock(input: { idempotencyKey: "${key('receive')}", sku: "${sku}", location: "${location}", quantity: ${quantity} }) { replayed } }`, {}, PARTNER);
    expect(received.errors).toBeUndefined();
  }
});
afterAll(async () => {
  await ponte?.close();
});

const RESERVE = `mutation($input: ReserveStockInput!) { reserveStock(input: $input) {
  reservation { id deliverTo { postalCode } lines { sku quantity orderLine location { id } routing { location { id } quantity reason distanceKm } } }
} }`;

type Routed = { reserveStock: { reservation: { id: string; deliverTo: { postalCode: string } | null; lines: Array<{ sku: string; quantity: number; orderLine: number; location: { id: string }; routing: { location: { id: string }; quantity: number; reason: string; distanceKm: number | null } }> } } | null };

function reserve(channel: string, lines: Array<{ sku: string; quantity: number }>, deliverTo: { postalCode: string } | undefined, headers = PARTNER, idempotencyKey = key('reserve')) {
  return graphql<Routed>(ponte.gatewayUrl, RESERVE, { input: { idempotencyKey, channel, orderReference: idempotencyKey, lines, ...(deliverTo ? { deliverTo } : {}) } }, headers);
}

async function levels(sku: string) {
  const result = await graphql<{ product: { stockLevels: Array<{ location: { id: string }; committed: number; available: number }> } }>(ponte.gatewayUrl, `{ product(sku: "${sku}") { stockLevels { location { id } committed available } } }`);
  return result.data!.product.stockLevels;
}

describe('routing through the gateway', () => {
  it("answers the README's routing example as the README shows", async () => {
    const result = await graphql<{ reserveStock: { reservation: { lines: unknown[] } } }>(
      ponte.gatewayUrl,
      'mutation { reserveStock(input: { idempotencyKey: "order-1002", channel: "shopify-br", orderReference: "1002", lines: [{ sku: "CAM-BASICA-M", quantity: 2 }, { sku: "CHI-PRAIA-3738", quantity: 41 }], deliverTo: { postalCode: "30130-010" } }) { reservation { lines { orderLine sku routing { location { id } quantity reason distanceKm } } } } }',
      {},
      PARTNER,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.reserveStock.reservation.lines).toEqual([
      { orderLine: 1, sku: 'CAM-BASICA-M', routing: { location: { id: '3pl-extrema' }, quantity: 2, reason: 'nearest location with stock to CEP 30130-010 (80 km)', distanceKm: 80 } },
      { orderLine: 2, sku: 'CHI-PRAIA-3738', routing: { location: { id: '3pl-extrema' }, quantity: 1, reason: 'split: 3pl-extrema had 1 of 41 (80 km to CEP 30130-010); no single location had all', distanceKm: 80 } },
      { orderLine: 2, sku: 'CHI-PRAIA-3738', routing: { location: { id: 'cd-sao-paulo' }, quantity: 40, reason: 'split: cd-sao-paulo had 40 of 41 (491 km to CEP 30130-010); no single location had all', distanceKm: 491 } },
    ]);
    // And what the README says nine T-shirts would have done.
    const nine = await reserve('shopify-br', [{ sku: 'CAM-BASICA-M', quantity: 9 }], { postalCode: '30130-010' });
    expect(nine.data!.reserveStock!.reservation.lines[0]!.routing.reason).toBe('nearest location with all 9 to CEP 30130-010 (491 km); nearer 3pl-extrema (80 km) had 5 of 9');
  });

  it('ships to Belo Horizonte from the Extrema 3PL, the nearer location, and explains it to a reader', async () => {
    const result = await reserve('shopify-br', [{ sku: 'ROTA-1', quantity: 1 }], { postalCode: '30130-010' });
    expect(result.errors).toBeUndefined();
    const reservation = result.data!.reserveStock!.reservation;
    expect(reservation.lines).toEqual([
      { sku: 'ROTA-1', quantity: 1, orderLine: 1, location: { id: '3pl-extrema' }, routing: { location: { id: '3pl-extrema' }, quantity: 1, reason: 'nearest location with stock to CEP 30130-010 (80 km)', distanceKm: 80 } },
    ]);
    // An internal app reads the decision (reservations:read) without being able to make one.
    const read = await graphql(ponte.gatewayUrl, `{ reservation(id: "${reservation.id}") { deliverTo { postalCode } lines { routing { location { name } reason } } } }`, {}, as('internal'));
    expect(read.data).toEqual({ reservation: { deliverTo: { postalCode: '30130-010' }, lines: [{ routing: { location: { name: 'Operador logístico Extrema (MG)' }, reason: 'nearest location with stock to CEP 30130-010 (80 km)' } }] } });
  });

  it('splits a line across locations when no single one has it all', async () => {
    // Extrema has 1 left, São Paulo 3: four units to Belo Horizonte come from both.
    const result = await reserve('shopify-br', [{ sku: 'ROTA-1', quantity: 4 }], { postalCode: '30130010' });
    expect(result.errors).toBeUndefined();
    const lines = result.data!.reserveStock!.reservation.lines;
    expect(lines.map((line) => [line.location.id, line.quantity, line.routing.reason])).toEqual([
      ['3pl-extrema', 1, 'split: 3pl-extrema had 1 of 4 (80 km to CEP 30130-010); no single location had all'],
      ['cd-sao-paulo', 3, expect.stringMatching(/^split: cd-sao-paulo had 3 of 4 \(\d+ km to CEP 30130-010\); no single location had all$/)],
    ]);
    expect((await levels('ROTA-1')).filter((level) => level.available > 0)).toEqual([]);
  });

  it('refuses an order no location can serve, and a bad CEP, changing nothing', async () => {
    const before = await levels('ROTA-2');
    const short = await reserve('shopify-br', [{ sku: 'ROTA-2', quantity: 2 }], { postalCode: '01310-100' });
    expect(short.errors?.[0]?.extensions).toMatchObject({ code: 'INSUFFICIENT_STOCK', sku: 'ROTA-2', requested: 2, available: 1 });
    const badCep = await reserve('shopify-br', [{ sku: 'ROTA-2', quantity: 1 }], { postalCode: '0131-0100' });
    expect(badCep.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'deliverTo.postalCode' });
    expect(await levels('ROTA-2')).toEqual(before);
  });

  it('refuses a caller without reservations:write, or without stock:write for the preference, changing nothing', async () => {
    const before = await levels('ROTA-2');
    const internal = await reserve('shopify-br', [{ sku: 'ROTA-2', quantity: 1 }], { postalCode: '01310-100' }, as('internal'));
    expect(internal.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(internal.data?.reserveStock ?? null).toBeNull();
    expect(await levels('ROTA-2')).toEqual(before);
    const setByInternal = await graphql(ponte.gatewayUrl, `mutation { setChannelRoutingPreference(input: { idempotencyKey: "${key('pref')}", channel: "shopify-br", routingPreference: FEWEST_PARCELS }) { replayed } }`, {}, as('internal'));
    expect(setByInternal.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const policy = await graphql(ponte.gatewayUrl, '{ channel(id: "shopify-br") { allocationPolicy { routingPreference } } }');
    expect(policy.data).toEqual({ channel: { allocationPolicy: { routingPreference: 'NEAREST' } } });
  });

  it('ships a two-line order from one location once the channel prefers fewer parcels', async () => {
    const receive = async (sku: string, location: string, quantity: number) =>
      expect((await graphql(ponte.gatewayUrl, `mutation { receiveStock(input: { idempotencyKey: "${key('more')}", sku: "${sku}", location: "${location}", quantity: ${quantity} }) { replayed } }`, {}, PARTNER)).errors).toBeUndefined();
    await receive('ROTA-1', '3pl-extrema', 2);
    await receive('ROTA-1', 'cd-sao-paulo', 2);
    await receive('ROTA-2', 'cd-sao-paulo', 1);
    const lines = [{ sku: 'ROTA-1', quantity: 1 }, { sku: 'ROTA-2', quantity: 1 }];
    const nearest = await reserve('shopify-br', lines, { postalCode: '30130-010' });
    expect(nearest.data!.reserveStock!.reservation.lines.map((line) => `${line.sku}@${line.location.id}`)).toEqual(['ROTA-1@3pl-extrema', 'ROTA-2@cd-sao-paulo']);

    const set = await graphql(ponte.gatewayUrl, `mutation { setChannelRoutingPreference(input: { idempotencyKey: "${key('pref')}", channel: "shopify-br", routingPreference: FEWEST_PARCELS }) {
      channel { allocationPolicy { routingPreference } } } }`, {}, PARTNER);
    expect(set.data).toEqual({ setChannelRoutingPreference: { channel: { allocationPolicy: { routingPreference: 'FEWEST_PARCELS' } } } });
    // A read of the policy cached before the change is not served again.
    const policy = await graphql(ponte.gatewayUrl, '{ channel(id: "shopify-br") { allocationPolicy { routingPreference } } }');
    expect(policy.data).toEqual({ channel: { allocationPolicy: { routingPreference: 'FEWEST_PARCELS' } } });
    await receive('ROTA-2', 'cd-sao-paulo', 1);
    const fewest = await reserve('shopify-br', lines, { postalCode: '30130-010' });
    expect(fewest.errors).toBeUndefined();
    const routed = fewest.data!.reserveStock!.reservation.lines;
    expect(routed.map((line) => `${line.sku}@${line.location.id}`)).toEqual(['ROTA-1@cd-sao-paulo', 'ROTA-2@cd-sao-paulo']);
    expect(routed[0]!.routing.reason).toMatch(/^fewest parcels: one location has all 2 lines: cd-sao-paulo \(\d+ km to CEP 30130-010\); nearer 3pl-extrema would add a parcel$/);
  });
});
