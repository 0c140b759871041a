/**
 * The demo merchant's shoppers: 200 fake Brazilians (names from common lists, e-mails at
 * example.com, CPFs generated with valid check digits, +55 mobile numbers, addresses with CEPs
 * across Brazil), most of whom buy on two or three channels. Deterministic: the same people,
 * ids and details on every start, so the demo orders can name them (`demo-customer-001`…`200`).
 *
 * Each channel knows a person its own way, as real platforms do: another case in the e-mail, a
 * phone written with punctuation, a CPF with dots, no e-mail at all on Mercado Livre (which hides
 * the buyer's), an older address on the first channel. The customers subgraph's identification
 * turns each person's identities into one profile (subgraphs/customers/seed.ts).
 */
import { seededRandom } from './random.ts';

export interface DemoAddress {
  street: string;
  number: string;
  complement: string | null;
  district: string;
  city: string;
  state: string;
  postalCode: string;
  country: string;
}

export interface DemoContact {
  name: string;
  email: string | null;
  phone: string | null;
  cpf: string | null;
  address: DemoAddress;
}

export interface DemoIdentity {
  /** The channel code (demo/catalog.ts channels). */
  channel: string;
  /** The platform's own customer id; null at a store's till (no account). */
  platformCustomerId: string | null;
  /** The contact as this channel has it. */
  contact: DemoContact;
  /** When this channel last saw the person (ISO 8601); the latest wins per field. */
  observedAt: string;
}

export interface DemoCustomer {
  /** The profile's id in the customers subgraph. */
  id: string;
  /** Channels bought on, the first one (acquisition) first. */
  channels: string[];
  /** The person as they are now (the latest of each field across their identities). */
  contact: DemoContact;
  identities: DemoIdentity[];
}

export const DEMO_CUSTOMER_COUNT = 200;
export const demoCustomerId = (index: number) => `demo-customer-${String(index + 1).padStart(3, '0')}`;

const FIRST_NAMES = [
  'Ana', 'Maria', 'Juliana', 'Fernanda', 'Camila', 'Beatriz', 'Larissa', 'Patrícia', 'Aline', 'Mariana', 'Gabriela', 'Letícia', 'Renata', 'Vanessa', 'Bruna',
  'João', 'José', 'Pedro', 'Lucas', 'Gabriel', 'Rafael', 'Mateus', 'Felipe', 'Gustavo', 'Bruno', 'Thiago', 'Rodrigo', 'Eduardo', 'Carlos', 'André',
];
const SURNAMES = [
  'Silva', 'Santos', 'Oliveira', 'Souza', 'Rodrigues', 'Ferreira', 'Alves', 'Pereira', 'Lima', 'Gomes', 'Costa', 'Ribeiro', 'Martins', 'Carvalho',
  'Almeida', 'Lopes', 'Soares', 'Fernandes', 'Vieira', 'Barbosa', 'Rocha', 'Dias', 'Nascimento', 'Andrade', 'Moreira', 'Nunes', 'Marques', 'Machado',
];
const STREETS = ['Rua das Flores', 'Avenida Brasil', 'Rua São João', 'Rua XV de Novembro', 'Avenida Getúlio Vargas', 'Rua Sete de Setembro', 'Rua Tiradentes', 'Avenida Rio Branco', 'Rua da Paz', 'Rua Santos Dumont'];
const DISTRICTS = ['Centro', 'Jardim América', 'Vila Nova', 'Boa Vista', 'Santa Cecília', 'Bela Vista', 'Copacabana', 'Savassi', 'Moinhos de Vento', 'Pituba'];

/** Cities across Brazil: UF, area code (DDD), and the first five digits of a CEP there. */
const CITIES: Array<{ city: string; state: string; ddd: string; cep: string }> = [
  { city: 'São Paulo', state: 'SP', ddd: '11', cep: '01310' },
  { city: 'Campinas', state: 'SP', ddd: '19', cep: '13010' },
  { city: 'Rio de Janeiro', state: 'RJ', ddd: '21', cep: '22410' },
  { city: 'Niterói', state: 'RJ', ddd: '21', cep: '24020' },
  { city: 'Belo Horizonte', state: 'MG', ddd: '31', cep: '30140' },
  { city: 'Curitiba', state: 'PR', ddd: '41', cep: '80010' },
  { city: 'Porto Alegre', state: 'RS', ddd: '51', cep: '90010' },
  { city: 'Florianópolis', state: 'SC', ddd: '48', cep: '88010' },
  { city: 'Salvador', state: 'BA', ddd: '71', cep: '40020' },
  { city: 'Recife', state: 'PE', ddd: '81', cep: '50010' },
  { city: 'Fortaleza', state: 'CE', ddd: '85', cep: '60060' },
  { city: 'Belém', state: 'PA', ddd: '91', cep: '66010' },
  { city: 'Manaus', state: 'AM', ddd: '92', cep: '69005' },
  { city: 'Goiânia', state: 'GO', ddd: '62', cep: '74003' },
  { city: 'Brasília', state: 'DF', ddd: '61', cep: '70040' },
  { city: 'Vitória', state: 'ES', ddd: '27', cep: '29010' },
];

/** Channel sets people buy on, first (acquisition) channel first. */
const CHANNEL_SETS = [
  ['shopify-br', 'mercado-livre'],
  ['mercado-livre', 'amazon-br'],
  ['shopify-br', 'woocommerce-br', 'pos-ipanema'],
  ['amazon-br'],
  ['woocommerce-br', 'shopify-br'],
  ['mercado-livre', 'shopify-br', 'amazon-br'],
  ['pos-ipanema', 'shopify-br'],
  ['shopify-br'],
  ['amazon-br', 'mercado-livre', 'woocommerce-br'],
  ['woocommerce-br', 'mercado-livre'],
];


/** Eleven digits with both check digits computed (the Receita Federal's rule). */
export function cpfWithCheckDigits(base: string): string {
  const digits = base.padStart(9, '0').slice(0, 9).split('').map(Number);
  for (const length of [9, 10]) {
    const sum = digits.slice(0, length).reduce((total, digit, index) => total + digit * (length + 1 - index), 0);
    const rest = (sum * 10) % 11;
    digits.push(rest === 10 ? 0 : rest);
  }
  return digits.join('');
}

const ascii = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
const formattedCpf = (cpf: string) => `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`;

function person(index: number): DemoCustomer {
  const random = seededRandom(0x50e7e + index);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const first = pick(FIRST_NAMES);
  const surname = pick(SURNAMES);
  const secondSurname = pick(SURNAMES);
  const name = `${first} ${surname === secondSurname ? surname : `${surname} ${secondSurname}`}`;
  const place = CITIES[index % CITIES.length]!;
  const here = (from: typeof place): DemoAddress => ({
    street: pick(STREETS),
    number: String(10 + Math.floor(random() * 1990)),
    complement: random() < 0.4 ? `Apto ${10 + Math.floor(random() * 190)}` : null,
    district: pick(DISTRICTS),
    city: from.city,
    state: from.state,
    postalCode: `${from.cep}-${String(Math.floor(random() * 1000)).padStart(3, '0')}`,
    country: 'BR',
  });
  // Unique per person by construction: the index is part of the CPF's base, the phone and the e-mail.
  const cpf = cpfWithCheckDigits(String(100_000_000 + index * 4_999_993).slice(-9));
  const mobile = `9${String(6000_0000 + index * 17_389).slice(-8)}`;
  const phone = `+55${place.ddd}${mobile}`;
  const email = `${ascii(first)}.${ascii(surname)}${index + 1}@example.com`;
  const address = here(place);
  const channels = CHANNEL_SETS[index % CHANNEL_SETS.length]!;
  // Every fifth person moved: the first channel still has the old address, observed earlier.
  const movedFrom = index % 5 === 0 ? here(CITIES[(index + 7) % CITIES.length]!) : null;
  const start = Date.UTC(2026, 6, 1) + index * 3_600_000 * 7;
  const identities = channels.map((channel, order): DemoIdentity => {
    const observedAt = new Date(start + order * 86_400_000 * (5 + (index % 23))).toISOString();
    const contactHere: DemoContact = { name, email, phone, cpf, address: order === 0 && movedFrom ? movedFrom : address };
    switch (channel) {
      case 'mercado-livre':
        // Mercado Livre does not share the buyer's e-mail; it gives the CPF (billing info), punctuated.
        return { channel, platformCustomerId: String(240_000_000 + index * 13), contact: { ...contactHere, email: null, cpf: formattedCpf(cpf) }, observedAt };
      case 'amazon-br':
        // Amazon gives a name, e-mail and address; no CPF, and the phone as the buyer typed it.
        return { channel, platformCustomerId: `A${(0x1f00000 + index * 977).toString(16).toUpperCase()}`, contact: { ...contactHere, cpf: null, phone: `(${place.ddd}) ${mobile.slice(0, 5)}-${mobile.slice(5)}` }, observedAt };
      case 'pos-ipanema':
        // At the till: no account; the CPF for the invoice (CPF na nota) and a phone.
        return { channel, platformCustomerId: null, contact: { ...contactHere, email: null }, observedAt };
      case 'woocommerce-br':
        return { channel, platformCustomerId: String(5000 + index), contact: { ...contactHere, email: email.toUpperCase(), cpf: null }, observedAt };
      default:
        return { channel, platformCustomerId: `gid://shopify/Customer/${7_000_000_000 + index}`, contact: contactHere, observedAt };
    }
  });
  return { id: demoCustomerId(index), channels, contact: { name, email, phone, cpf, address }, identities };
}

export const demoCustomers: DemoCustomer[] = Array.from({ length: DEMO_CUSTOMER_COUNT }, (_, index) => person(index));
