import { describe, expect, it } from 'vitest';
import { parseCep } from './cep.ts';
import { planRouting, type RoutingCandidate, type RoutingRequest } from './plan.ts';

const locations: RoutingCandidate[] = [
  { id: 'rio', priority: 1, postalCode: '20040-002' },
  { id: 'sao-paulo', priority: 2, postalCode: '04543-011' },
  { id: 'porto-alegre', priority: 3, postalCode: '90010-000' },
];

function request(stock: Record<string, Record<string, number>>, overrides: Partial<RoutingRequest> = {}): RoutingRequest {
  return {
    lines: [{ sku: 'A', quantity: 5 }],
    candidates: locations,
    available: (sku, locationId) => stock[sku]?.[locationId] ?? 0,
    deliverTo: parseCep('01310-100')!,
    preference: 'NEAREST',
    backordersAllowed: false,
    ...overrides,
  };
}

const summary = (outcome: ReturnType<typeof planRouting>) =>
  outcome.ok ? outcome.parts.map((part) => `${part.line}:${part.sku}@${part.locationId}x${part.quantity}${part.backorder ? '!' : ''}`) : outcome;

describe('routing plan', () => {
  it('ships a line whole from the nearest location that has all of it, whatever its priority', () => {
    const outcome = planRouting(request({ A: { rio: 10, 'sao-paulo': 10 } }));
    expect(summary(outcome)).toEqual(['0:A@sao-paulox5']);
    expect(outcome.ok && outcome.parts[0]).toMatchObject({ distanceKm: 15, reason: 'nearest location with stock to CEP 01310-100 (15 km)' });
  });

  it('passes over a nearer location that lacks units, and says so', () => {
    const outcome = planRouting(request({ A: { rio: 10, 'sao-paulo': 2 } }));
    expect(summary(outcome)).toEqual(['0:A@riox5']);
    expect(outcome.ok && outcome.parts[0]!.reason).toMatch(/^nearest location with all 5 to CEP 01310-100 \(\d+ km\); nearer sao-paulo \(15 km\) had 2 of 5$/);
  });

  it('splits a line no location has whole, nearest first', () => {
    const outcome = planRouting(request({ A: { rio: 4, 'sao-paulo': 2, 'porto-alegre': 4 } }));
    expect(summary(outcome)).toEqual(['0:A@sao-paulox2', '0:A@riox3']);
    expect(outcome.ok && outcome.parts.map((part) => part.reason)).toEqual([
      'split: sao-paulo had 2 of 5 (15 km to CEP 01310-100); no single location had all',
      expect.stringMatching(/^split: rio had 3 of 5 \(\d+ km to CEP 01310-100\); no single location had all$/),
    ]);
  });

  it('refuses what the locations together cannot ship, naming the line', () => {
    expect(planRouting(request({ A: { rio: 1, 'sao-paulo': 2 } }))).toEqual({ ok: false, line: 0, sku: 'A', requested: 5, available: 3, split: true });
  });

  it('breaks a tie in distance by location priority, then id, and explains it', () => {
    const twins: RoutingCandidate[] = [
      { id: 'sp-b', priority: 5, postalCode: '04543-011' },
      { id: 'sp-a', priority: 5, postalCode: '04543-011' },
      { id: 'sp-c', priority: 9, postalCode: '04543-011' },
    ];
    const outcome = planRouting(request({ A: { 'sp-a': 5, 'sp-b': 5, 'sp-c': 5 } }, { candidates: twins }));
    expect(summary(outcome)).toEqual(['0:A@sp-ax5']);
    expect(outcome.ok && outcome.parts[0]!.reason).toBe('nearest location with stock to CEP 01310-100 (15 km); tied at 15 km with sp-b, sp-c, chosen by location priority, then id');
    const byPriority = planRouting(request({ A: { 'sp-b': 5, 'sp-c': 5 } }, { candidates: twins }));
    expect(byPriority.ok && byPriority.parts[0]!.reason).toBe('nearest location with all 5 to CEP 01310-100 (15 km); ranked before it sp-a (15 km) had 0 of 5; tied at 15 km with sp-c, chosen by location priority');
  });

  it('without a delivery CEP keeps the first location by priority that has all, and does not split', () => {
    const outcome = planRouting(request({ A: { rio: 2, 'sao-paulo': 5 } }, { deliverTo: null }));
    expect(summary(outcome)).toEqual(['0:A@sao-paulox5']);
    expect(outcome.ok && outcome.parts[0]).toMatchObject({ reason: 'no delivery CEP: location priority; rio had 2', distanceKm: null });
    expect(planRouting(request({ A: { rio: 3, 'sao-paulo': 3 } }, { deliverTo: null }))).toEqual({ ok: false, line: 0, sku: 'A', requested: 5, available: 3, split: false });
  });

  it('ranks by priority when no location has a CEP, and puts locations without one after the others', () => {
    const unlocated = locations.map((location) => ({ ...location, postalCode: null }));
    const outcome = planRouting(request({ A: { rio: 5, 'sao-paulo': 5 } }, { candidates: unlocated }));
    expect(outcome.ok && outcome.parts[0]).toMatchObject({ locationId: 'rio', reason: 'no location CEP: location priority' });
    const mixed = [{ ...locations[0]!, postalCode: null }, locations[2]!];
    const nearestKnown = planRouting(request({ A: { rio: 5, 'porto-alegre': 5 } }, { candidates: mixed }));
    expect(nearestKnown.ok && nearestKnown.parts[0]!.locationId).toBe('porto-alegre');
  });

  it('prefers fewer parcels over nearer ones when the channel asks for it', () => {
    const lines = [{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 1 }];
    const stock = { A: { 'sao-paulo': 1, 'porto-alegre': 1 }, B: { 'porto-alegre': 1 } };
    expect(summary(planRouting(request(stock, { lines })))).toEqual(['0:A@sao-paulox1', '1:B@porto-alegrex1']);
    const fewest = planRouting(request(stock, { lines, preference: 'FEWEST_PARCELS' }));
    expect(summary(fewest)).toEqual(['0:A@porto-alegrex1', '1:B@porto-alegrex1']);
    expect(fewest.ok && fewest.parts[0]!.reason).toMatch(/^fewest parcels: one location has all 2 lines: porto-alegre \(\d+ km to CEP 01310-100\); nearer sao-paulo, rio would add a parcel$/);
  });

  it('with fewest parcels, picks the best-ranked set of the smallest size, splitting inside it', () => {
    const lines = [{ sku: 'A', quantity: 4 }];
    const outcome = planRouting(request({ A: { rio: 2, 'sao-paulo': 1, 'porto-alegre': 3 } }, { lines, preference: 'FEWEST_PARCELS' }));
    // Nearest-first would take sao-paulo 1 + rio 2 + porto-alegre 1 (three parcels); two suffice.
    expect(summary(outcome)).toEqual(['0:A@sao-paulox1', '0:A@porto-alegrex3']);
    expect(outcome.ok && outcome.parts[1]!.reason).toMatch(/^fewest parcels: 2 locations \(sao-paulo, porto-alegre\) ship the order: porto-alegre .*split: porto-alegre had 3 of 4/);
  });

  it('backorders on a channel that allows it, at the best-ranked location', () => {
    const outcome = planRouting(request({ A: { rio: 2 } }, { backordersAllowed: true }));
    expect(summary(outcome)).toEqual(['0:A@riox2', '0:A@sao-paulox3!']);
    expect(outcome.ok && outcome.parts[1]!.reason).toBe("backorder: 3 of 5 not in stock at the channel's locations, placed at sao-paulo (nearest to CEP 01310-100, 15 km)");
    const noCep = planRouting(request({ A: { 'sao-paulo': 2 } }, { backordersAllowed: true, deliverTo: null }));
    expect(summary(noCep)).toEqual(['0:A@riox5!']);
    expect(noCep.ok && noCep.parts[0]!.reason).toBe('backorder: no location had all 5, placed at rio (no delivery CEP: location priority)');
  });

  it('with fewest parcels and no delivery CEP, ranks by priority and does not split', () => {
    const lines = [{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 1 }];
    const outcome = planRouting(request({ A: { rio: 1, 'porto-alegre': 1 }, B: { 'porto-alegre': 1 } }, { lines, deliverTo: null, preference: 'FEWEST_PARCELS' }));
    expect(summary(outcome)).toEqual(['0:A@porto-alegrex1', '1:B@porto-alegrex1']);
    expect(outcome.ok && outcome.parts[0]!.reason).toBe('fewest parcels: one location has all 2 lines: porto-alegre (no delivery CEP: location priority)');
    expect(planRouting(request({ A: { rio: 3, 'porto-alegre': 3 } }, { deliverTo: null, preference: 'FEWEST_PARCELS' }))).toMatchObject({ ok: false, available: 3, split: false });
  });

  it('draws two lines of one SKU from the same stock', () => {
    const lines = [{ sku: 'A', quantity: 3 }, { sku: 'A', quantity: 3 }];
    expect(summary(planRouting(request({ A: { 'sao-paulo': 4, rio: 5 } }, { lines })))).toEqual(['0:A@sao-paulox3', '1:A@riox3']);
  });
});
