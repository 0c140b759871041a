/**
 * What every sandbox seeds from: the demo catalog by default, or any list of products of the
 * same shape. Each platform turns it into its own listings (Shopify products with variants,
 * WooCommerce variable products, Mercado Livre items with variations, Amazon listings).
 */
import { demoChannels, demoLocations, demoProducts } from '../../demo/catalog.ts';
import type { DemoChannel, DemoLocation, DemoProduct } from '../../demo/catalog.ts';

export type SeedProduct = DemoProduct;
export type SeedLocation = DemoLocation;

export interface SeedInput {
  products: SeedProduct[];
  /** Locations whose on-hand units are listed on this platform (summed where the platform has one stock figure). */
  locationCodes: string[];
  /** Location details, for platforms that model locations (Shopify). */
  locations: SeedLocation[];
}

/** One product as shoppers see it: a parent with its variations, or a simple product. */
export interface ProductFamily {
  /** Parent SKU for a family with variations; the product's own SKU for a simple product. */
  sku: string;
  title: string;
  brand: string;
  category: string;
  hasVariations: boolean;
  /** Option names in the order they appear, e.g. `['size']`. */
  optionNames: string[];
  members: SeedProduct[];
}

/** The demo catalog as the channel of this kind lists it. */
export function defaultSeedFor(kind: DemoChannel['kind']): SeedInput {
  const channel = demoChannels.find((candidate) => candidate.kind === kind);
  return {
    products: demoProducts,
    locationCodes: channel ? [...channel.locationCodes] : demoLocations.map((location) => location.code),
    locations: demoLocations,
  };
}

/**
 * Validates a seed request body and fills the gaps from the demo channel of this kind, so
 * `POST /_sandbox/seed` with no body seeds the demo.
 */
export function seedInputFrom(body: unknown, kind: DemoChannel['kind']): SeedInput {
  const defaults = defaultSeedFor(kind);
  if (body === undefined || body === null) return defaults;
  if (typeof body !== 'object') throw new TypeError('The seed body must be an object: { products?, locationCodes?, locations? }');
  const input = body as Partial<SeedInput>;
  const products = input.products ?? defaults.products;
  if (!Array.isArray(products)) throw new TypeError('products must be an array of catalog products');
  for (const product of products) {
    if (!product || typeof product.sku !== 'string' || typeof product.title !== 'string' || typeof product.priceCents !== 'number') {
      throw new TypeError('Every product needs at least sku, title and priceCents (see demo/catalog.ts DemoProduct)');
    }
  }
  const normalised = products.map((product) => ({
    ...product,
    parentSku: product.parentSku ?? null,
    brand: product.brand ?? '',
    category: product.category ?? '',
    options: product.options ?? {},
    onHand: product.onHand ?? {},
  }));
  return {
    products: normalised,
    locationCodes: input.locationCodes ?? defaults.locationCodes,
    locations: input.locations ?? defaults.locations,
  };
}

/** Groups variations under their parent SKU, keeping catalog order. */
export function productFamilies(products: SeedProduct[]): ProductFamily[] {
  const families = new Map<string, ProductFamily>();
  for (const product of products) {
    const familySku = product.parentSku ?? product.sku;
    let family = families.get(familySku);
    if (!family) {
      family = {
        sku: familySku,
        title: product.parentSku ? familyTitle(product.title) : product.title,
        brand: product.brand,
        category: product.category,
        hasVariations: product.parentSku !== null,
        optionNames: [],
        members: [],
      };
      families.set(familySku, family);
    }
    family.members.push(product);
    for (const option of Object.keys(product.options)) {
      if (!family.optionNames.includes(option)) family.optionNames.push(option);
    }
  }
  return [...families.values()];
}

/** Units on hand summed over the locations a channel sells from. */
export function onHandAt(product: SeedProduct, locationCodes: string[]): number {
  return locationCodes.reduce((sum, code) => sum + (product.onHand[code] ?? 0), 0);
}

/** "Camiseta Básica Algodão — M" → "Camiseta Básica Algodão": the demo names variations that way. */
function familyTitle(variationTitle: string): string {
  const separator = variationTitle.lastIndexOf(' — ');
  return separator > 0 ? variationTitle.slice(0, separator) : variationTitle;
}

/** Cents as the decimal string most platforms use for money ("59.90"). */
export function centsToDecimal(cents: number): string {
  return (cents / 100).toFixed(2);
}
