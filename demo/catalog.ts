/**
 * The demo merchant: one catalog, three stock locations and five sales channels.
 *
 * `npm start` seeds the inventory and catalog subgraphs from this file, and every platform
 * sandbox lists the same SKUs, so a newcomer sees one product with its stock and its listing
 * on every channel. Tests use it too, so that fixtures and the demo never drift apart.
 */

export interface DemoProduct {
  /** Canonical SKU: the federation key every subgraph shares. */
  sku: string;
  /** SKU of the parent product when this SKU is one variation of it (size, colour). */
  parentSku: string | null;
  title: string;
  brand: string;
  category: string;
  /** Options that distinguish a variation, e.g. `{ size: 'M' }`. Empty for simple products. */
  options: Record<string, string>;
  /** List price in cents of BRL. */
  priceCents: number;
  /** Units on hand per location code at seed time. */
  onHand: Record<string, number>;
}

export interface DemoLocation {
  code: string;
  name: string;
  kind: 'WAREHOUSE' | 'STORE' | 'THIRD_PARTY_LOGISTICS';
  priority: number;
  postalCode: string;
}

export interface DemoChannel {
  code: string;
  name: string;
  kind: 'SHOPIFY' | 'WOOCOMMERCE' | 'MERCADO_LIVRE' | 'AMAZON' | 'POINT_OF_SALE';
  locationCodes: string[];
  bufferUnits: number;
  maxListedQuantity: number | null;
  minListedQuantity: number;
  percentageOfAvailable: number;
  backordersAllowed: boolean;
}

export const demoLocations: DemoLocation[] = [
  { code: 'cd-sao-paulo', name: 'Centro de Distribuição São Paulo', kind: 'WAREHOUSE', priority: 1, postalCode: '01001-000' },
  { code: 'loja-rio', name: 'Loja Rio de Janeiro — Ipanema', kind: 'STORE', priority: 2, postalCode: '22410-003' },
  { code: '3pl-extrema', name: 'Operador logístico Extrema (MG)', kind: 'THIRD_PARTY_LOGISTICS', priority: 3, postalCode: '37640-000' },
];

export const demoChannels: DemoChannel[] = [
  { code: 'shopify-br', name: 'Loja Shopify', kind: 'SHOPIFY', locationCodes: ['cd-sao-paulo', '3pl-extrema'], bufferUnits: 2, maxListedQuantity: null, minListedQuantity: 0, percentageOfAvailable: 100, backordersAllowed: false },
  { code: 'woocommerce-br', name: 'Loja WooCommerce', kind: 'WOOCOMMERCE', locationCodes: ['cd-sao-paulo'], bufferUnits: 0, maxListedQuantity: null, minListedQuantity: 0, percentageOfAvailable: 80, backordersAllowed: false },
  { code: 'mercado-livre', name: 'Mercado Livre', kind: 'MERCADO_LIVRE', locationCodes: ['cd-sao-paulo', '3pl-extrema'], bufferUnits: 1, maxListedQuantity: 50, minListedQuantity: 2, percentageOfAvailable: 100, backordersAllowed: false },
  { code: 'amazon-br', name: 'Amazon BR (merchant fulfilled)', kind: 'AMAZON', locationCodes: ['3pl-extrema', 'cd-sao-paulo'], bufferUnits: 3, maxListedQuantity: null, minListedQuantity: 0, percentageOfAvailable: 100, backordersAllowed: false },
  { code: 'pos-ipanema', name: 'PDV Loja Ipanema', kind: 'POINT_OF_SALE', locationCodes: ['loja-rio'], bufferUnits: 0, maxListedQuantity: null, minListedQuantity: 0, percentageOfAvailable: 100, backordersAllowed: true },
];

interface ProductFamily {
  sku: string;
  title: string;
  brand: string;
  category: string;
  priceCents: number;
  /** Variation axis and values; a family without one is a single, simple product. */
  variations?: { option: string; values: string[] };
}

const families: ProductFamily[] = [
  { sku: 'CAM-BASICA', title: 'Camiseta Básica Algodão', brand: 'Ponte Wear', category: 'Vestuário', priceCents: 5990, variations: { option: 'size', values: ['P', 'M', 'G', 'GG'] } },
  { sku: 'CAM-LINHO', title: 'Camisa de Linho', brand: 'Ponte Wear', category: 'Vestuário', priceCents: 18990, variations: { option: 'size', values: ['P', 'M', 'G'] } },
  { sku: 'TEN-CORRIDA', title: 'Tênis de Corrida Leve', brand: 'Passo', category: 'Calçados', priceCents: 34990, variations: { option: 'size', values: ['38', '39', '40', '41', '42', '43'] } },
  { sku: 'CHI-PRAIA', title: 'Chinelo de Praia', brand: 'Passo', category: 'Calçados', priceCents: 3990, variations: { option: 'size', values: ['35/36', '37/38', '39/40', '41/42'] } },
  { sku: 'MOC-URBANA', title: 'Mochila Urbana 20L', brand: 'Trilha', category: 'Acessórios', priceCents: 24990, variations: { option: 'color', values: ['PRETO', 'VERDE', 'AREIA'] } },
  { sku: 'GAR-TERMICA', title: 'Garrafa Térmica 750ml', brand: 'Trilha', category: 'Casa', priceCents: 12990, variations: { option: 'color', values: ['INOX', 'AZUL', 'ROSA'] } },
  { sku: 'BON-ABA', title: 'Boné Aba Curva', brand: 'Ponte Wear', category: 'Acessórios', priceCents: 7990, variations: { option: 'color', values: ['PRETO', 'BRANCO'] } },
  { sku: 'MEI-ESPORTE', title: 'Meia Esportiva (3 pares)', brand: 'Passo', category: 'Vestuário', priceCents: 4490, variations: { option: 'size', values: ['34-38', '39-43'] } },
  { sku: 'CAF-MOIDO-500', title: 'Café Torrado e Moído 500g', brand: 'Serra Alta', category: 'Mercearia', priceCents: 3290 },
  { sku: 'CAF-GRAOS-1KG', title: 'Café em Grãos 1kg', brand: 'Serra Alta', category: 'Mercearia', priceCents: 8990 },
  { sku: 'XIC-PORCELANA', title: 'Xícara de Porcelana 200ml', brand: 'Casa Ponte', category: 'Casa', priceCents: 2990 },
  { sku: 'PRA-CERAMICA', title: 'Prato Raso de Cerâmica', brand: 'Casa Ponte', category: 'Casa', priceCents: 4590 },
  { sku: 'TOA-BANHO', title: 'Toalha de Banho Felpuda', brand: 'Casa Ponte', category: 'Casa', priceCents: 6990 },
  { sku: 'VEL-AROMA', title: 'Vela Aromática Capim-Limão', brand: 'Casa Ponte', category: 'Casa', priceCents: 5490 },
  { sku: 'LIV-RECEITAS', title: 'Livro: Receitas do Brasil', brand: 'Editora Ponte', category: 'Livros', priceCents: 7990 },
  { sku: 'CAD-PONTILHADO', title: 'Caderno Pontilhado A5', brand: 'Papelaria Ponte', category: 'Papelaria', priceCents: 3490 },
  { sku: 'CAN-GEL-KIT', title: 'Kit Canetas Gel (6 cores)', brand: 'Papelaria Ponte', category: 'Papelaria', priceCents: 2790 },
  { sku: 'FON-BLUETOOTH', title: 'Fone Bluetooth Intra-auricular', brand: 'Sonora', category: 'Eletrônicos', priceCents: 19990 },
  { sku: 'CAR-PORTATIL', title: 'Carregador Portátil 10.000 mAh', brand: 'Sonora', category: 'Eletrônicos', priceCents: 14990 },
  { sku: 'CAB-USBC', title: 'Cabo USB-C 1m', brand: 'Sonora', category: 'Eletrônicos', priceCents: 3990 },
  { sku: 'OCU-SOL', title: 'Óculos de Sol Polarizado', brand: 'Trilha', category: 'Acessórios', priceCents: 15990 },
  { sku: 'CIN-COURO', title: 'Cinto de Couro', brand: 'Ponte Wear', category: 'Acessórios', priceCents: 9990 },
  { sku: 'PAN-ANTIADERENTE', title: 'Panela Antiaderente 24cm', brand: 'Casa Ponte', category: 'Casa', priceCents: 17990 },
  { sku: 'ESC-DENTAL-BAMBU', title: 'Escova Dental de Bambu', brand: 'Verde Vivo', category: 'Higiene', priceCents: 1490 },
  { sku: 'SAB-NATURAL', title: 'Sabonete Natural de Argila', brand: 'Verde Vivo', category: 'Higiene', priceCents: 1890 },
  { sku: 'RED-DESCANSO', title: 'Rede de Descanso Nordestina', brand: 'Casa Ponte', category: 'Casa', priceCents: 21990 },
  { sku: 'CHA-ERVA-MATE', title: 'Erva-Mate para Chimarrão 1kg', brand: 'Serra Alta', category: 'Mercearia', priceCents: 2490 },
  { sku: 'DOC-LEITE-400', title: 'Doce de Leite Artesanal 400g', brand: 'Serra Alta', category: 'Mercearia', priceCents: 2190 },
  { sku: 'CAN-TERMICA', title: 'Caneca Térmica 350ml', brand: 'Trilha', category: 'Casa', priceCents: 8990 },
  { sku: 'AVE-CANGA', title: 'Canga de Praia Estampada', brand: 'Ponte Wear', category: 'Vestuário', priceCents: 4990 },
  { sku: 'LAN-CAMPING', title: 'Lanterna de Camping Recarregável', brand: 'Trilha', category: 'Acessórios', priceCents: 11990 },
];

/** A small deterministic hash so seeded quantities look varied but never change between runs. */
function seededQuantity(key: string, max: number): number {
  let hash = 2166136261;
  for (const char of key) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return hash % (max + 1);
}

function onHandFor(sku: string): Record<string, number> {
  return {
    'cd-sao-paulo': 10 + seededQuantity(`${sku}@sp`, 90),
    'loja-rio': seededQuantity(`${sku}@rio`, 15),
    '3pl-extrema': seededQuantity(`${sku}@mg`, 40),
  };
}

export const demoProducts: DemoProduct[] = families.flatMap((family): DemoProduct[] => {
  if (!family.variations) {
    return [{ sku: family.sku, parentSku: null, title: family.title, brand: family.brand, category: family.category, options: {}, priceCents: family.priceCents, onHand: onHandFor(family.sku) }];
  }
  const { option, values } = family.variations;
  return values.map((value) => {
    const sku = `${family.sku}-${value.replace(/[^A-Za-z0-9]+/g, '')}`;
    return { sku, parentSku: family.sku, title: `${family.title} — ${value}`, brand: family.brand, category: family.category, options: { [option]: value }, priceCents: family.priceCents, onHand: onHandFor(sku) };
  });
});

/**
 * What the merchant paid for a unit (cost price, cents of BRL): 40 to 60 % of the list price,
 * varied per SKU but never between runs, so margins differ by product and channel.
 */
export function demoCostCents(product: Pick<DemoProduct, 'sku' | 'priceCents'>): number {
  return Math.round((product.priceCents * (40 + seededQuantity(`${product.sku}@cost`, 20))) / 100);
}
