import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { WooProduct } from './client.ts';
import { centsFromDecimal, channelOrderFromWooOrder, listingFromWooProduct, orderWithoutPersonalData, WOOCOMMERCE_DICTIONARY } from './dictionary.ts';
import { derivedWebhookSecret, orderMessageKey, verifyWebhookSignature } from './webhooks.ts';

const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');

const variation: WooProduct = {
  id: 140, parent_id: 120, type: 'variation', name: 'Camiseta Básica — M', sku: 'CAM-BASICA-M', status: 'publish', permalink: 'https://loja/produto/camiseta/?attribute_size=M',
  price: '49.90', regular_price: '59.90', sale_price: '49.90', on_sale: true, manage_stock: 'parent', stock_quantity: 7, stock_status: 'instock', backorders: 'notify', categories: [], date_modified_gmt: '2026-11-20T10:00:00',
};

describe('the WooCommerce data dictionary', () => {
  it('is mirrored by the table in README.md', () => {
    for (const mapping of Object.values(WOOCOMMERCE_DICTIONARY.listing)) expect(readme).toContain(`\`${mapping.field}\``);
    for (const mapping of Object.values(WOOCOMMERCE_DICTIONARY.order)) expect(readme).toContain(`\`${mapping.field}\``);
    for (const [woo, canonical] of Object.entries(WOOCOMMERCE_DICTIONARY.listing.status.values)) expect(readme).toContain(`\`${woo}\` → ${canonical}`);
    for (const [woo, canonical] of Object.entries(WOOCOMMERCE_DICTIONARY.stockStatus.values)) expect(readme).toContain(`\`${woo}\` → ${canonical}`);
    for (const [woo, canonical] of Object.entries(WOOCOMMERCE_DICTIONARY.order.status.values)) expect(readme).toMatch(new RegExp(`\\| \`${woo}\` \\| ${canonical ?? '—'}`));
  });

  it('maps a variation to a listing under its parent, with stock managed on the parent', () => {
    expect(listingFromWooProduct(variation, 'BRL')).toEqual({
      sku: 'CAM-BASICA-M', kind: 'VARIATION', productId: '120', variationId: '140', title: 'Camiseta Básica — M',
      price: { amountInCents: 4990, currency: 'BRL' }, regularPrice: { amountInCents: 5990, currency: 'BRL' }, onSale: true,
      status: 'ACTIVE', platformStatus: 'publish', url: variation.permalink, quantity: 7, managesStock: true, stockStatus: 'IN_STOCK',
      backordersAllowed: true, categories: null, modifiedAt: '2026-11-20T10:00:00Z',
    });
    expect(listingFromWooProduct({ ...variation, type: 'simple', parent_id: 0, manage_stock: false, stock_quantity: null, price: '', status: 'private', categories: [{ id: 1, name: 'Casa' }] }, 'BRL')).toMatchObject({
      kind: 'SIMPLE_PRODUCT', productId: '140', variationId: null, price: null, quantity: null, managesStock: false, status: 'PRIVATE', categories: ['Casa'],
    });
    expect(centsFromDecimal('0.1')).toBe(10);
    expect(centsFromDecimal('abc')).toBeNull();
  });

  it('maps order statuses, drops lines without quantity and keeps no buyer data', () => {
    const order = { id: 501, status: 'on-hold', date_modified_gmt: '2026-11-20T10:00:00', billing: { email: 'cliente@example.com' }, line_items: [
      { id: 1, product_id: 10, variation_id: 0, sku: 'CAF-MOIDO-500', quantity: 2 },
      { id: 2, product_id: 11, variation_id: 0, sku: '', quantity: 1 },
      { id: 3, product_id: 12, variation_id: 0, sku: 'X', quantity: 0 },
    ] };
    expect(channelOrderFromWooOrder(order)).toEqual({
      orderId: '501', status: 'OPEN', lines: [{ lineId: '1', sku: 'CAF-MOIDO-500', quantity: 2 }, { lineId: '2', sku: null, quantity: 1 }],
      updatedAt: '2026-11-20T10:00:00Z', shipTo: null, customer: { platformCustomerId: null, name: null, email: 'cliente@example.com', phone: null, cpf: null, address: { street: null, number: null, complement: null, district: null, city: null, state: null, postalCode: null, country: null } },
    });
    // WooCommerce puts stock back on cancelled and pending only (wc-stock-functions.php).
    expect(channelOrderFromWooOrder({ ...order, status: 'cancelled' })).toMatchObject({ status: 'CANCELLED' });
    expect(channelOrderFromWooOrder({ ...order, status: 'cancelled' })).not.toHaveProperty('onlyIfHeld');
    expect(channelOrderFromWooOrder({ ...order, status: 'pending' })).toMatchObject({ status: 'CANCELLED', onlyIfHeld: true });
    expect(channelOrderFromWooOrder({ ...order, status: 'some-plugin-status' })).toBeNull();
    expect(channelOrderFromWooOrder({ ...order, status: 'refunded' })).toBeNull();
    expect(channelOrderFromWooOrder({ ...order, status: 'failed' })).toBeNull();
    expect(JSON.stringify(orderWithoutPersonalData(order))).not.toContain('cliente@example.com');
    // The inbox key follows the canonical meaning: a new status is a new message, a re-send is not.
    expect(orderMessageKey(order)).toBe(orderMessageKey({ ...order, date_modified_gmt: '2026-11-20T10:00:05' }));
    expect(orderMessageKey(order)).not.toBe(orderMessageKey({ ...order, status: 'completed' }));
  });

  it('maps amounts, times, the CEP and the shopper; the inbox keeps the amounts and the CEP, not the shopper', () => {
    const order = {
      id: 502, status: 'processing', currency: 'BRL', date_created_gmt: '2026-11-20T09:58:00', date_modified_gmt: '2026-11-20T10:00:00',
      discount_total: '5.99', shipping_total: '19.90', total_tax: '0.00', total: '127.81', customer_id: 0,
      billing: { first_name: 'Ana', last_name: 'Oliveira', email: 'ana@example.com', phone: '+5531987650003', cpf: '39053344705', postcode: '30130-005', address_1: 'Av. Afonso Pena, 1500', city: 'Belo Horizonte', state: 'MG', country: 'BR' },
      shipping: { first_name: 'Ana', last_name: 'Oliveira', postcode: '30130-005', address_1: 'Av. Afonso Pena, 1500', city: 'Belo Horizonte', state: 'MG', country: 'BR' },
      line_items: [{ id: 1, product_id: 10, variation_id: 0, sku: 'CAF-GRAOS-1KG', quantity: 2, subtotal: '113.80', total: '107.81' }],
    };
    const mapped = channelOrderFromWooOrder(order)!;
    expect(mapped).toMatchObject({
      placedAt: '2026-11-20T09:58:00Z', updatedAt: '2026-11-20T10:00:00Z', currency: 'BRL', shipTo: { postalCode: '30130-005' },
      lines: [{ lineId: '1', unitPriceCents: 5690, discountCents: 599 }],
      totals: { subtotalCents: 11380, discountCents: 599, shippingCents: 1990, taxCents: 0, totalCents: 12781 },
      customer: { platformCustomerId: null, name: 'Ana Oliveira', email: 'ana@example.com', cpf: '39053344705', address: { postalCode: '30130-005', city: 'Belo Horizonte' } },
    });
    const stored = orderWithoutPersonalData(order);
    expect(JSON.stringify(stored)).not.toMatch(/ana|oliveira|afonso|3905|98765/i);
    expect(channelOrderFromWooOrder(stored)).toEqual({ ...mapped, customer: null });
  });

  it('verifies X-WC-Webhook-Signature over the raw body', () => {
    const secret = derivedWebhookSecret('cs_sandbox');
    const body = Buffer.from('{"id":1}');
    expect(verifyWebhookSignature(body, createHmac('sha256', secret).update(body).digest('base64'), secret)).toBe(true);
    expect(verifyWebhookSignature(Buffer.from('{"id":2}'), createHmac('sha256', secret).update(body).digest('base64'), secret)).toBe(false);
    expect(verifyWebhookSignature(body, 'not base64 at all', secret)).toBe(false);
    expect(verifyWebhookSignature(body, undefined, secret)).toBe(false);
  });
});
