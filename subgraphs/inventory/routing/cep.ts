import { ErrorCode, PonteError } from '../../../kit/errors.ts';

/**
 * Distance between two Brazilian postal codes (CEPs), good enough to rank stock locations for
 * a delivery: which one is nearer, and roughly how far. No geocoding service, no address: the
 * CEP alone, as ChannelOrder.shipTo carries it.
 *
 * How a CEP is built (Correios, "Estrutura do CEP",
 * http://www.correios.net.br/a-a-z/cep-codigo-de-enderecamento-postal): eight digits; the first
 * five are region, sub-region, sector, sub-sector and sub-sector divider, the last three
 * (after the hyphen) identify the street, building or unit. Brazil is split into ten postal
 * regions numbered anticlockwise from São Paulo (first digit: 0 Greater São Paulo, 1 the rest of
 * São Paulo state, 2 Rio de Janeiro and Espírito Santo, 3 Minas Gerais, ..., 9 Rio Grande do
 * Sul); each region into ten sub-regions, "usually a city and its surroundings" (13 = Campinas),
 * each sub-region into ten sectors, and so on: two CEPs that share more leading digits are in
 * the same, smaller area (https://conhecendoseumicro.blogspot.com/2008/09/como-funciona-o-cep.html).
 *
 * The model:
 * - Each state (UF) owns the CEP ranges below (the Correios allocation per state, e.g. SP
 *   01000-000..19999-999, RJ 20000-000..28999-999, RS 90000-000..99999-999; listed with the
 *   capitals' ranges at https://www.estadosecapitaisdobrasil.com/sem-categoria/cep-do-brasil-lista-de-cep-das-cidades-brasileiras/
 *   and https://cepddd.com.br/cep/). A state's reference point is its capital's coordinates.
 * - Two CEPs in different states: the great-circle (haversine) distance between the capitals.
 *   An interior town is measured from its capital, so this is a state-to-state figure.
 * - Two CEPs in the same state: a band by the first digit where they differ (the level of the
 *   hierarchy they part at), see SAME_STATE_KM. Region 0 is one metropolitan area (Greater São
 *   Paulo), so its bands are that of districts of one city, see METRO_SAME_REGION_KM.
 *
 * The figures are estimates to rank and to explain, never a freight quote.
 */

export type Uf =
  | 'AC' | 'AL' | 'AM' | 'AP' | 'BA' | 'CE' | 'DF' | 'ES' | 'GO' | 'MA' | 'MG' | 'MS' | 'MT' | 'PA'
  | 'PB' | 'PE' | 'PI' | 'PR' | 'RJ' | 'RN' | 'RO' | 'RR' | 'RS' | 'SC' | 'SE' | 'SP' | 'TO';

export interface StateReference {
  uf: Uf;
  capital: string;
  latitude: number;
  longitude: number;
}

/** Each state's capital, its reference point (decimal degrees, WGS 84). */
export const STATE_REFERENCES: Readonly<Record<Uf, StateReference>> = {
  AC: { uf: 'AC', capital: 'Rio Branco', latitude: -9.9747, longitude: -67.8243 },
  AL: { uf: 'AL', capital: 'Maceió', latitude: -9.6658, longitude: -35.735 },
  AM: { uf: 'AM', capital: 'Manaus', latitude: -3.119, longitude: -60.0217 },
  AP: { uf: 'AP', capital: 'Macapá', latitude: 0.0349, longitude: -51.0694 },
  BA: { uf: 'BA', capital: 'Salvador', latitude: -12.9714, longitude: -38.5014 },
  CE: { uf: 'CE', capital: 'Fortaleza', latitude: -3.7319, longitude: -38.5267 },
  DF: { uf: 'DF', capital: 'Brasília', latitude: -15.7939, longitude: -47.8828 },
  ES: { uf: 'ES', capital: 'Vitória', latitude: -20.3155, longitude: -40.3128 },
  GO: { uf: 'GO', capital: 'Goiânia', latitude: -16.6869, longitude: -49.2648 },
  MA: { uf: 'MA', capital: 'São Luís', latitude: -2.5307, longitude: -44.3068 },
  MG: { uf: 'MG', capital: 'Belo Horizonte', latitude: -19.9167, longitude: -43.9345 },
  MS: { uf: 'MS', capital: 'Campo Grande', latitude: -20.4697, longitude: -54.6201 },
  MT: { uf: 'MT', capital: 'Cuiabá', latitude: -15.6014, longitude: -56.0979 },
  PA: { uf: 'PA', capital: 'Belém', latitude: -1.4558, longitude: -48.4902 },
  PB: { uf: 'PB', capital: 'João Pessoa', latitude: -7.1195, longitude: -34.845 },
  PE: { uf: 'PE', capital: 'Recife', latitude: -8.0476, longitude: -34.877 },
  PI: { uf: 'PI', capital: 'Teresina', latitude: -5.092, longitude: -42.8038 },
  PR: { uf: 'PR', capital: 'Curitiba', latitude: -25.4284, longitude: -49.2733 },
  RJ: { uf: 'RJ', capital: 'Rio de Janeiro', latitude: -22.9068, longitude: -43.1729 },
  RN: { uf: 'RN', capital: 'Natal', latitude: -5.7945, longitude: -35.211 },
  RO: { uf: 'RO', capital: 'Porto Velho', latitude: -8.7612, longitude: -63.9004 },
  RR: { uf: 'RR', capital: 'Boa Vista', latitude: 2.8235, longitude: -60.6758 },
  RS: { uf: 'RS', capital: 'Porto Alegre', latitude: -30.0346, longitude: -51.2177 },
  SC: { uf: 'SC', capital: 'Florianópolis', latitude: -27.5954, longitude: -48.548 },
  SE: { uf: 'SE', capital: 'Aracaju', latitude: -10.9472, longitude: -37.0731 },
  SP: { uf: 'SP', capital: 'São Paulo', latitude: -23.5505, longitude: -46.6333 },
  TO: { uf: 'TO', capital: 'Palmas', latitude: -10.184, longitude: -48.3336 },
};

/**
 * The Correios CEP ranges per state, by their first five digits (inclusive). Some states hold two
 * ranges (DF and GO interleave around Brasília; AM's range is cut by RR's; RO keeps its older 789xx). 00000..00999 belongs
 * to no state: such a CEP is refused.
 */
export const CEP_RANGES: ReadonlyArray<{ from: number; to: number; uf: Uf }> = [
  { from: 1000, to: 19999, uf: 'SP' },
  { from: 20000, to: 28999, uf: 'RJ' },
  { from: 29000, to: 29999, uf: 'ES' },
  { from: 30000, to: 39999, uf: 'MG' },
  { from: 40000, to: 48999, uf: 'BA' },
  { from: 49000, to: 49999, uf: 'SE' },
  { from: 50000, to: 56999, uf: 'PE' },
  { from: 57000, to: 57999, uf: 'AL' },
  { from: 58000, to: 58999, uf: 'PB' },
  { from: 59000, to: 59999, uf: 'RN' },
  { from: 60000, to: 63999, uf: 'CE' },
  { from: 64000, to: 64999, uf: 'PI' },
  { from: 65000, to: 65999, uf: 'MA' },
  { from: 66000, to: 68899, uf: 'PA' },
  { from: 68900, to: 68999, uf: 'AP' },
  { from: 69000, to: 69299, uf: 'AM' },
  { from: 69300, to: 69399, uf: 'RR' },
  { from: 69400, to: 69899, uf: 'AM' },
  { from: 69900, to: 69999, uf: 'AC' },
  { from: 70000, to: 72799, uf: 'DF' },
  { from: 72800, to: 72999, uf: 'GO' },
  { from: 73000, to: 73699, uf: 'DF' },
  { from: 73700, to: 76799, uf: 'GO' },
  { from: 76800, to: 76999, uf: 'RO' },
  { from: 77000, to: 77999, uf: 'TO' },
  { from: 78000, to: 78899, uf: 'MT' },
  // Rondônia's range before 76800..76999 was given to it; older addresses may still carry it.
  { from: 78900, to: 78999, uf: 'RO' },
  { from: 79000, to: 79999, uf: 'MS' },
  { from: 80000, to: 87999, uf: 'PR' },
  { from: 88000, to: 89999, uf: 'SC' },
  { from: 90000, to: 99999, uf: 'RS' },
];

/**
 * Same state, by the 1-based position of the first digit where two CEPs differ: 1 another postal
 * region of the state (São Paulo's capital region 0 vs its interior 1), 2 another sub-region (a
 * city and its surroundings), 3 another sector, 4 another sub-sector, 5 another sub-sector
 * divider, 6 to 8 the same divider (a street or a block apart).
 */
export const SAME_STATE_KM: Readonly<Record<number, number>> = { 1: 250, 2: 80, 3: 25, 4: 8, 5: 3, 6: 1, 7: 1, 8: 1 };

/** Both in postal region 0, Greater São Paulo: sub-regions there are districts of one metropolis. */
export const METRO_SAME_REGION_KM: Readonly<Record<number, number>> = { 2: 15, 3: 8, 4: 4, 5: 2, 6: 1, 7: 1, 8: 1 };

const EARTH_RADIUS_KM = 6371.0088;
const CEP_PATTERN = /^(\d{5})-?(\d{3})$/;

/** A valid CEP: its eight digits, its state. */
export interface Cep {
  digits: string;
  uf: Uf;
}

/** `01310-100` or `01310100` → its digits and state; undefined when it is not a CEP of any state. */
export function parseCep(value: string | null | undefined): Cep | undefined {
  const match = CEP_PATTERN.exec((value ?? '').trim());
  if (!match) return undefined;
  const prefix = Number(match[1]);
  const range = CEP_RANGES.find((candidate) => prefix >= candidate.from && prefix <= candidate.to);
  return range ? { digits: `${match[1]}${match[2]}`, uf: range.uf } : undefined;
}

/** Like parseCep, for a caller's input: refuses anything else with BAD_USER_INPUT naming `field`. */
export function requireCep(value: string, field: string): Cep {
  const cep = parseCep(value);
  if (!cep) {
    throw new PonteError(ErrorCode.BAD_USER_INPUT, `${field} must be a Brazilian CEP: 8 digits, with or without the hyphen (01310-100)`, { field });
  }
  return cep;
}

/** The CEP as people write it: `01310-100`. */
export function formatCep(cep: Cep): string {
  return `${cep.digits.slice(0, 5)}-${cep.digits.slice(5)}`;
}

/** Estimated kilometres between two CEPs, rounded (see the model above). */
export function cepDistanceKm(a: Cep, b: Cep): number {
  if (a.uf !== b.uf) return Math.round(greatCircleKm(STATE_REFERENCES[a.uf], STATE_REFERENCES[b.uf]));
  const differsAt = firstDifference(a.digits, b.digits);
  if (differsAt === 0) return 0;
  const bands = a.digits[0] === '0' && b.digits[0] === '0' ? METRO_SAME_REGION_KM : SAME_STATE_KM;
  return bands[differsAt]!;
}

/** 1-based position of the first differing digit; 0 when identical. */
function firstDifference(a: string, b: string): number {
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return index + 1;
  return 0;
}

/** Haversine distance on a sphere of the Earth's mean radius. */
export function greatCircleKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const radians = (degrees: number) => (degrees * Math.PI) / 180;
  const dLat = radians(b.latitude - a.latitude);
  const dLon = radians(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.latitude)) * Math.cos(radians(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}
