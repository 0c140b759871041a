import { describe, expect, it } from 'vitest';
import { CEP_RANGES, cepDistanceKm, formatCep, parseCep, requireCep, STATE_REFERENCES } from './cep.ts';

const cep = (value: string) => parseCep(value)!;

describe('CEP parsing', () => {
  it('reads 8 digits with or without the hyphen, and names the state', () => {
    expect(parseCep('01310-100')).toEqual({ digits: '01310100', uf: 'SP' });
    expect(parseCep('01310100')).toEqual({ digits: '01310100', uf: 'SP' });
    expect(parseCep(' 90010-000 ')?.uf).toBe('RS');
    expect(parseCep('69301-000')?.uf).toBe('RR');
    expect(parseCep('69400-000')?.uf).toBe('AM');
    expect(parseCep('72800-000')?.uf).toBe('GO');
    expect(parseCep('73000-000')?.uf).toBe('DF');
    expect(formatCep(cep('01310100'))).toBe('01310-100');
  });

  it('refuses what is not a CEP of any state', () => {
    for (const bad of ['', '0131-0100', '013101000', '01310-10a', '01.310-100', '00999-999', '1310-100', 'cep 01310-100']) {
      expect(parseCep(bad), bad).toBeUndefined();
    }
    expect(() => requireCep('12-34', 'deliverTo.postalCode')).toThrowError(expect.objectContaining({ code: 'BAD_USER_INPUT', extensions: expect.objectContaining({ field: 'deliverTo.postalCode' }) }));
  });

  it('covers every five-digit prefix from 01000 to 99999 exactly once, with a reference for each state', () => {
    const notOwnedOnce: number[] = [];
    for (let prefix = 1000; prefix <= 99999; prefix++) {
      if (CEP_RANGES.filter((range) => prefix >= range.from && prefix <= range.to).length !== 1) notOwnedOnce.push(prefix);
    }
    expect(notOwnedOnce).toEqual([]);
    expect(new Set(CEP_RANGES.map((range) => range.uf))).toEqual(new Set(Object.keys(STATE_REFERENCES)));
  });
});

describe('CEP distance', () => {
  it('puts a São Paulo address nearer to a São Paulo location than to Rio', () => {
    const paulista = cep('01310-100');
    expect(cepDistanceKm(paulista, cep('04543-011'))).toBeLessThan(cepDistanceKm(paulista, cep('20040-002')));
    expect(cepDistanceKm(paulista, cep('04543-011'))).toBe(15);
    // São Paulo to Rio de Janeiro is about 360 km as the crow flies.
    expect(cepDistanceKm(paulista, cep('20040-002'))).toBeGreaterThan(330);
    expect(cepDistanceKm(paulista, cep('20040-002'))).toBeLessThan(380);
  });

  it('sends Porto Alegre to Curitiba before São Paulo', () => {
    const portoAlegre = cep('90010-000');
    const curitiba = cepDistanceKm(portoAlegre, cep('80010-000'));
    const saoPaulo = cepDistanceKm(portoAlegre, cep('01001-000'));
    expect(curitiba).toBeLessThan(saoPaulo);
    expect(curitiba).toBeGreaterThan(500);
    expect(curitiba).toBeLessThan(600);
    expect(saoPaulo).toBeGreaterThan(800);
  });

  it('within a state, is nearer the more leading digits match', () => {
    const campinas = cep('13010-000');
    const sameDivider = cepDistanceKm(campinas, cep('13010-900'));
    const sameSubsector = cepDistanceKm(campinas, cep('13015-000'));
    const sameSector = cepDistanceKm(campinas, cep('13050-000'));
    const sameSubregion = cepDistanceKm(campinas, cep('13500-000'));
    const sameRegion = cepDistanceKm(campinas, cep('19000-000'));
    const otherRegion = cepDistanceKm(campinas, cep('01001-000'));
    expect([sameDivider, sameSubsector, sameSector, sameSubregion, sameRegion, otherRegion]).toEqual([1, 3, 8, 25, 80, 250]);
    expect(cepDistanceKm(campinas, campinas)).toBe(0);
  });

  it('is symmetric', () => {
    const pairs = [['01310-100', '20040-002'], ['13010-000', '19000-000'], ['69900-000', '88010-000']] as const;
    for (const [a, b] of pairs) expect(cepDistanceKm(cep(a), cep(b))).toBe(cepDistanceKm(cep(b), cep(a)));
  });
});
