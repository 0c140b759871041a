import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { SANDBOX_SHOPPERS } from '../../sandboxes/common/shoppers.ts';
import { startCommerce, type RunningCommerce } from '../support/all-platforms.ts';
import { customersExtraSubgraph } from '../support/customers.ts';
import { eventually, eventuallyDefined } from '../support/eventually.ts';
import { as, graphql } from '../support/ponte.ts';

/**
 * A shopper's contact, end to end: the Shopify and WooCommerce sandboxes send orders placed by the
 * same person; each platform subgraph's inbox keeps the contact sealed until the order is applied,
 * hands it to the orders subgraph (transit only), which asks the customers subgraph for the
 * person's id. One profile lists both orders; erasing it leaves the orders without a customer.
 */
describe('a shopper across channels, through the gateway', () => {
  let commerce: RunningCommerce;
  const customers = customersExtraSubgraph();
  const shopper = SANDBOX_SHOPPERS[2]!;

  beforeAll(async () => {
    commerce = await startCommerce({ before: [customers.extra] });
  });
  afterAll(async () => {
    await commerce?.close();
  });

  const ORDER = 'query($channel: ID!, $id: String!) { orderOnChannel(channel: $channel, platformOrderId: $id) { id platformOrderId totals { total { amountInCents } } customer { id } } }';
  type OrderSeen = { id: string; platformOrderId: string; totals: { total: { amountInCents: number } }; customer: { id: string } | null };
  const orderOn = async (channel: string, id: string, who: Parameters<typeof as>[0] = 'internal') =>
    (await graphql<{ orderOnChannel: OrderSeen | null }>(commerce.ponte.gatewayUrl, ORDER, { channel, id }, as(who))).data?.orderOnChannel ?? undefined;

  it('one profile for the Shopify and WooCommerce orders of one person; internal keys see the link, not the person; the inboxes keep no contact; erasure unlinks', async () => {
    const shopify = new SandboxControlClient(commerce.sandboxes.urls.shopify);
    const woocommerce = new SandboxControlClient(commerce.sandboxes.urls.woocommerce);
    const onShopify = await shopify.placeOrder([{ sku: 'CAB-USBC', quantity: 1 }], { shopper: 2 });
    const onWoo = await woocommerce.placeOrder([{ sku: 'CAB-USBC', quantity: 1 }], { shopper: 2 });

    const shopifyOrder = await eventuallyDefined(async () => { const order = await orderOn('shopify-br', onShopify.id); return order?.customer ? order : undefined; }, 'the Shopify order linked to a customer');
    const wooOrder = await eventuallyDefined(async () => { const order = await orderOn('woocommerce-br', onWoo.id); return order?.customer ? order : undefined; }, 'the WooCommerce order linked to a customer');
    expect(wooOrder.customer!.id).toBe(shopifyOrder.customer!.id);
    const customerId = shopifyOrder.customer!.id;

    // An operator finds one profile by the e-mail however it is cased, listing both orders (Customer.orders, from the orders subgraph).
    const search = await graphql<{ customers: Array<{ id: string; channels: string[]; orders: { nodes: Array<{ id: string }> } }> }>(
      commerce.ponte.gatewayUrl, 'query($email: String!) { customers(search: { email: $email }) { id channels orders(first: 10) { nodes { id } } } }', { email: shopper.email.toUpperCase() }, as('operator'),
    );
    expect(search.errors).toBeUndefined();
    expect(search.data!.customers).toHaveLength(1);
    expect(search.data!.customers[0]!.id).toBe(customerId);
    expect(search.data!.customers[0]!.channels).toEqual(['shopify-br', 'woocommerce-br']);
    expect(search.data!.customers[0]!.orders.nodes.map((order) => order.id).sort()).toEqual([shopifyOrder.id, wooOrder.id].sort());

    // An internal app (orders:read, no customers:read) reads the link, never the person.
    const personal = await graphql(commerce.ponte.gatewayUrl, 'query($channel: ID!, $id: String!) { orderOnChannel(channel: $channel, platformOrderId: $id) { customer { id email { value } } } }', { channel: 'shopify-br', id: onShopify.id }, as('internal'));
    expect(personal.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(personal.data ?? null)).not.toContain(shopper.email);

    // The platform subgraphs' inboxes keep no plaintext contact (nor, once applied, a sealed one); the orders none at all.
    for (const platform of ['shopify', 'woocommerce'] as const) {
      const rows = await commerce.databases.platforms[platform].db.query<Record<string, unknown>>('SELECT * FROM inbox_messages');
      expect(rows.length, platform).toBeGreaterThan(0);
      const stored = JSON.stringify(rows);
      for (const value of [shopper.email, shopper.cpf, shopper.phone, shopper.lastName, shopper.address.street]) expect(stored, `${platform} ${value}`).not.toContain(value);
      expect(rows.every((row) => row['contact_sealed'] === null), platform).toBe(true);
    }
    const ordersText = JSON.stringify(await commerce.ponte.orders.db.query('SELECT * FROM orders'));
    for (const value of [shopper.email, shopper.cpf, shopper.phone, shopper.lastName]) expect(ordersText).not.toContain(value);

    // Erasure: the orders keep their totals and lose the link.
    const erased = await graphql(commerce.ponte.gatewayUrl, 'mutation($id: ID!) { eraseCustomer(id: $id, reason: "titular pediu") { id } }', { id: customerId }, as('operator'));
    expect(erased.errors).toBeUndefined();
    for (const [channel, placed, before] of [['shopify-br', onShopify, shopifyOrder], ['woocommerce-br', onWoo, wooOrder]] as const) {
      const after = await eventually(() => orderOn(channel, placed.id), (order) => order !== undefined && order.customer === null, `${channel} order unlinked`);
      expect(after!.totals.total.amountInCents).toBe(before.totals.total.amountInCents);
      expect(after!.totals.total.amountInCents).toBeGreaterThan(0);
    }
  }, 120_000);

  // The e-mail is all each pair of orders shares: another phone on Shopify (which sends no CPF), so
  // only matching the two spellings of the address makes them one person.
  it.each([
    { who: 'an e-mail cased differently', shopper: 4, onShopify: { email: 'Juliana.Costa@Example.com', phone: '+5511912340404' }, onWoo: {} },
    { who: 'a Gmail address with dots and a +tag', shopper: 3, onShopify: { email: 'Pedro.Souza+Loja@Gmail.com', phone: '+5511912340303' }, onWoo: { email: 'pedrosouza@gmail.com' } },
  ])('one profile for one person with $who on Shopify and WooCommerce, listing both platforms and orders', async ({ shopper, onShopify: atShopify, onWoo: atWoo }) => {
    const shopify = new SandboxControlClient(commerce.sandboxes.urls.shopify);
    const woocommerce = new SandboxControlClient(commerce.sandboxes.urls.woocommerce);
    const onShopify = await shopify.placeOrder([{ sku: 'CAB-USBC', quantity: 1 }], { shopper, ...atShopify });
    const onWoo = await woocommerce.placeOrder([{ sku: 'CAB-USBC', quantity: 1 }], { shopper, ...atWoo });

    const shopifyOrder = await eventuallyDefined(async () => { const order = await orderOn('shopify-br', onShopify.id); return order?.customer ? order : undefined; }, 'the Shopify order linked to a customer');
    const wooOrder = await eventuallyDefined(async () => { const order = await orderOn('woocommerce-br', onWoo.id); return order?.customer ? order : undefined; }, 'the WooCommerce order linked to a customer');
    expect(wooOrder.customer!.id).toBe(shopifyOrder.customer!.id);

    const PROFILE = 'query($id: ID!) { customer(id: $id) { id channels identities { channel } orders(first: 10) { nodes { id platform } } } }';
    const profile = await graphql<{ customer: { id: string; channels: string[]; identities: Array<{ channel: string }>; orders: { nodes: Array<{ id: string; platform: string }> } } }>(
      commerce.ponte.gatewayUrl, PROFILE, { id: shopifyOrder.customer!.id }, as('operator'),
    );
    expect(profile.errors).toBeUndefined();
    expect(profile.data!.customer.channels).toEqual(['shopify-br', 'woocommerce-br']);
    expect(profile.data!.customer.identities.map((identity) => identity.channel).sort()).toEqual(['shopify-br', 'woocommerce-br']);
    expect(profile.data!.customer.orders.nodes.map((order) => `${order.platform}:${order.id}`).sort()).toEqual([`shopify:${shopifyOrder.id}`, `woocommerce:${wooOrder.id}`].sort());
    // Found by either spelling: one profile.
    for (const email of [atShopify.email, atWoo.email ?? SANDBOX_SHOPPERS[shopper]!.email]) {
      const search = await graphql<{ customers: Array<{ id: string }> }>(commerce.ponte.gatewayUrl, 'query($email: String!) { customers(search: { email: $email }) { id } }', { email }, as('operator'));
      expect(search.data!.customers, email).toEqual([{ id: shopifyOrder.customer!.id }]);
    }
  }, 120_000);
});
