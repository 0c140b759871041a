import { existsSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../kit/logger.ts';
import { createInsightsSubgraph, INSIGHTS_SDL_PATH } from '../../subgraphs/insights/index.ts';
import { dayIn, DEFAULT_TIME_ZONE } from '../../subgraphs/insights/ingest.ts';
import { customersExtraSubgraph } from '../support/customers.ts';
import { createTestDatabase } from '../support/database.ts';
import { eventually } from '../support/eventually.ts';
import { as, graphql, startPonte, TEST_KEYS, TEST_SERVICE_KEYS, type RunningPonte, type TestCaller } from '../support/ponte.ts';

/**
 * The console's orders, customers and insights views in a real browser (Debian's Chromium),
 * against the orders, customers and insights subgraphs behind the gateway. Orders are recorded as
 * the platform subgraphs record them (their service key, with the shopper's contact), reserved
 * and shipped through the GraphQL API; the operator reads them on the page with their own key, and
 * keys without a scope see the refusal in words and none of the data.
 */
const CHROMIUM = '/usr/bin/chromium';
const log = createLogger('console-commerce-e2e');

let ponte: RunningPonte;
let browser: Browser;

const ANA = { platformCustomerId: 'gid://shopify/Customer/901', name: 'Ana Console', email: 'ana.console@example.com', phone: '(11) 98765-4321' };
const BRUNO = { name: 'Bruno Console', email: 'bruno.console@example.com' };
/** Orders beyond one page of the console's list (20), so "More orders" has a page to read. */
const FILLER_ORDERS = 21;

const RECORD = 'mutation($input: RecordChannelOrderInput!) { recordChannelOrder(input: $input) { order { id customer { id } } } }';
type Recorded = { recordChannelOrder: { order: { id: string; customer: { id: string } | null } } };

async function recordOrder(platform: string, input: Record<string, unknown>): Promise<{ id: string; customerId: string | null }> {
  const recorded = await graphql<Recorded>(ponte.gatewayUrl, RECORD, { input: { platform, currency: 'BRL', ...input } }, { authorization: `Bearer ${TEST_SERVICE_KEYS[platform]}` });
  expect(recorded.errors).toBeUndefined();
  const order = recorded.data!.recordChannelOrder.order;
  return { id: order.id, customerId: order.customer?.id ?? null };
}

function totals(lineCents: number, shippingCents = 0) {
  return { subtotalCents: lineCents, discountCents: 0, shippingCents, taxCents: 0, totalCents: lineCents + shippingCents };
}

const HOSTILE_ID = '<img src=x onerror="window.pwned=1">';
let shipped: { id: string; customerId: string | null };
let hostile: { id: string; customerId: string | null };
let again: { id: string; customerId: string | null };

describe.skipIf(!existsSync(CHROMIUM))('operator console: orders, customers and insights in Chromium', () => {
  beforeAll(async () => {
    const customers = customersExtraSubgraph();
    ponte = await startPonte({
      responseCache: false,
      extraSubgraphs: [
        customers.extra,
        {
          name: 'insights',
          sdl: readFileSync(INSIGHTS_SDL_PATH, 'utf8'),
          async start({ ordersUrl, gatewaySecret, serviceKey, apiKeys }) {
            const database = await createTestDatabase('insights_console');
            const insights = await createInsightsSubgraph({ database: database.db, log, gatewaySecret, apiKeys, orders: { url: ordersUrl, serviceKey, pollIntervalMs: 200 } });
            await insights.ordersCaughtUp;
            const url = await insights.server.listen(0, '127.0.0.1');
            return { url, async close() { await insights.close(); await database.drop(); } };
          },
        },
      ],
    });

    // Ana's Shopify order: reserved with her CEP (the inventory routes it), recorded, then shipped.
    const reserved = await graphql<{ reserveStock: { reservation: { id: string } } }>(ponte.gatewayUrl,
      'mutation($input: ReserveStockInput!) { reserveStock(input: $input) { reservation { id } } }',
      { input: { idempotencyKey: 'console-1001-L1', channel: 'shopify-br', orderReference: 'CONSOLE-1001', lines: [{ sku: 'CAM-BASICA-M', quantity: 2, lineReference: 'L1' }], deliverTo: { postalCode: '30130-010' } } });
    expect(reserved.errors).toBeUndefined();
    const placedAt = new Date(Date.now() - 60_000).toISOString();
    shipped = await recordOrder('shopify', {
      channel: 'shopify-br', platformOrderId: 'CONSOLE-1001', status: 'OPEN', placedAt, updatedAt: placedAt,
      lines: [{ lineId: 'L1', sku: 'CAM-BASICA-M', quantity: 2, unitPriceCents: 5990, discountCents: 0, reservationId: reserved.data!.reserveStock.reservation.id }],
      totals: totals(11980, 1500), shipTo: { postalCode: '30130-010' }, customer: ANA,
    });
    expect(shipped.customerId).toMatch(/^cus_/);
    const fulfilled = await graphql(ponte.gatewayUrl, 'mutation($input: FulfilOrderInput!) { fulfilOrder(input: $input) { replayed } }', {
      input: { orderId: shipped.id, idempotencyKey: 'console-1001-parcel', carrier: 'Correios', trackingCode: 'BR123456789BR', trackingUrl: 'https://rastreamento.correios.com.br/BR123456789BR', lines: [{ lineId: 'L1', quantity: 2 }] },
    });
    expect(fulfilled.errors).toBeUndefined();
    // Ana again, on Mercado Livre (found by her e-mail): a repeat customer on two channels.
    again = await recordOrder('mercadolivre', {
      channel: 'mercado-livre', platformOrderId: 'CONSOLE-2001', status: 'OPEN', placedAt: new Date().toISOString(),
      lines: [{ lineId: '1', sku: 'CAM-LINHO-M', quantity: 1, unitPriceCents: 18990, discountCents: 0 }], totals: totals(18990), customer: { email: ANA.email, name: ANA.name },
    });
    expect(again.customerId).toBe(shipped.customerId);
    // Bruno's WooCommerce orders, one cancelled, and enough of them to need a second page.
    for (let index = 0; index < FILLER_ORDERS; index++) {
      await recordOrder('woocommerce', {
        channel: 'woocommerce-br', platformOrderId: `CONSOLE-3${String(index).padStart(3, '0')}`, status: index === 0 ? 'CANCELLED' : 'OPEN',
        placedAt: new Date(Date.now() - 3_600_000 - index * 60_000).toISOString(),
        lines: [{ lineId: '1', sku: 'CHI-PRAIA-3738', quantity: 1, unitPriceCents: 3990, discountCents: 0 }], totals: totals(3990), customer: BRUNO,
      });
    }
    // An order whose platform id is markup (a platform's data is not trusted): cancelled, so no figure counts it.
    hostile = await recordOrder('amazon', {
      channel: 'amazon-br', platformOrderId: HOSTILE_ID, status: 'CANCELLED', placedAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
      lines: [{ lineId: '<b>1</b>', sku: 'CAM-BASICA-G', quantity: 1, unitPriceCents: 5990, discountCents: 0 }], totals: totals(5990),
    });
    // The insights follow the orders' feed: wait until today's figures hold all three channels.
    const today = dayIn(new Date(), DEFAULT_TIME_ZONE);
    await eventually(
      async () => (await graphql<{ sales: Array<{ channel: string }> }>(ponte.gatewayUrl, 'query($day: String!) { sales(range: { from: $day, to: $day }, groupBy: [CHANNEL]) { channel } }', { day: today })).data?.sales ?? [],
      (rows) => rows.length === 3, 'the insights to have the orders', 30_000, 200,
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await ponte?.close();
  });

  const origin = () => new URL(ponte.gatewayUrl).origin;

  /**
   * A page on the console signed in as `who`, offline but for the gateway, in the merchant's time
   * zone (the insights' calendar days). Chromium logs every answer of 400 and up as a failed load:
   * those are kept apart (`refused`, by operation name or path), so a test says which it expects;
   * page errors and any other console error are failures.
   */
  async function openConsole(who: TestCaller, viewport = { width: 1280, height: 1000 }): Promise<{ page: Page; failures: string[]; refused: Set<string> }> {
    const context = await browser.newContext({ viewport, timezoneId: 'America/Sao_Paulo', acceptDownloads: true });
    const page = await context.newPage();
    const failures: string[] = [];
    const refused = new Set<string>();
    page.on('pageerror', (error) => failures.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) failures.push(`console: ${message.text()}`);
    });
    page.on('response', (response) => {
      if (response.status() < 400) return;
      if (response.status() >= 500) failures.push(`${response.url()}: ${response.status()}`);
      const operation = /^\s*(?:query|mutation)\s+(\w+)/.exec((JSON.parse(response.request().postData() ?? '{}') as { query?: string }).query ?? '')?.[1];
      refused.add(operation ?? new URL(response.url()).pathname);
    });
    await page.route(/.*/, (route) => (route.request().url().startsWith(origin()) ? route.continue() : route.abort()));
    await page.goto(`${origin()}/console`);
    await page.locator('#key').fill(TEST_KEYS[who]);
    await page.getByRole('button', { name: 'Open the console' }).click();
    await page.getByRole('tab', { name: 'Orders' }).waitFor({ timeout: 30_000 });
    return { page, failures, refused };
  }

  it('an operator lists orders across channels, filters and pages them, and opens one with its lines, routing, timeline and tracking', async () => {
    const { page, failures, refused } = await openConsole('operator');
    await page.getByRole('tab', { name: 'Orders' }).click();
    const rows = page.locator('#orders tbody tr');
    await rows.first().waitFor({ timeout: 30_000 });
    // Newest first, every channel; one page of 20, the rest behind "More orders".
    expect(await rows.count()).toBe(20);
    expect(await rows.nth(0).getAttribute('data-order')).toBe(again.id);
    expect(await rows.nth(1).getAttribute('data-order')).toBe(shipped.id);
    await page.getByRole('button', { name: 'More orders' }).click();
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(3 + FILLER_ORDERS);
    expect(await page.getByRole('button', { name: 'More orders' }).count()).toBe(0);

    // Filtered: WooCommerce's cancelled orders are Bruno's first one only.
    await page.locator('#orders select[name="channel"]').selectOption('woocommerce-br');
    await page.locator('#orders select[name="status"]').selectOption('CANCELLED');
    await page.getByRole('button', { name: 'Show orders' }).click();
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(1);
    expect(await rows.first().innerText()).toContain('CONSOLE-3000');
    // A date range that ends before today holds none of them.
    await page.locator('#orders select[name="status"]').selectOption('');
    await page.locator('#orders input[name="to"]').fill('2020-01-31');
    await page.getByRole('button', { name: 'Show orders' }).click();
    await page.getByTestId('no-orders').waitFor({ timeout: 30_000 });
    await page.locator('#orders input[name="to"]').fill('');
    await page.locator('#orders select[name="channel"]').selectOption('');
    await page.getByRole('button', { name: 'Show orders' }).click();
    await rows.nth(1).waitFor({ timeout: 30_000 });

    await page.locator(`#orders tr[data-order="${shipped.id}"] [data-role="open-order"]`).click();
    const detail = page.locator('#order-detail');
    await detail.locator('[data-role="platform-order-id"]').waitFor({ timeout: 30_000 });
    expect(await detail.locator('[data-role="platform-order-id"]').innerText()).toBe('CONSOLE-1001');
    expect(await detail.locator('[data-role="channel"]').innerText()).toBe('shopify-br');
    expect(await detail.locator('[data-role="currency"]').innerText()).toBe('BRL');
    expect(await detail.locator('tr[data-line="L1"]').innerText()).toContain('CAM-BASICA-M');
    expect(await detail.locator('[data-total="total"] .money').getAttribute('data-cents')).toBe('13480');
    // Shipped in full: OPEN then FULFILLED, with Correios' tracking as a link.
    expect(await detail.locator('[data-role="timeline"] li').evaluateAll((items) => items.map((item) => item.getAttribute('data-status')))).toEqual(['OPEN', 'FULFILLED']);
    const tracking = detail.locator('[data-role="tracking"]');
    expect(await tracking.innerText()).toBe('BR123456789BR');
    expect(await tracking.getAttribute('href')).toBe('https://rastreamento.correios.com.br/BR123456789BR');
    // Where the line ships from, and why (the inventory's routing for CEP 30130-010).
    const routing = detail.locator('[data-routing="L1"]').first();
    await routing.waitFor({ timeout: 30_000 });
    expect(await routing.locator('[data-role="location"]').innerText()).toMatch(/^(cd-sao-paulo|3pl-extrema)$/);
    expect(await routing.locator('[data-role="reason"]').innerText()).toContain('30130-010');

    // The customer link opens her profile: her channels and both her orders.
    await detail.locator(`[data-customer="${shipped.customerId}"]`).click();
    const profile = page.locator('#customer-profile');
    await profile.locator('[data-role="email"]').waitFor({ timeout: 30_000 });
    expect(await profile.locator('[data-role="email"]').innerText()).toContain(ANA.email);
    expect(await profile.locator('[data-role="channels"] [data-channel]').evaluateAll((items) => items.map((item) => item.getAttribute('data-channel')).sort())).toEqual(['mercado-livre', 'shopify-br']);
    await profile.locator(`tr[data-order="${again.id}"]`).waitFor({ timeout: 30_000 });
    expect(await profile.locator('tbody tr').count()).toBe(2);
    // …and one of them opens back in the orders view.
    await profile.locator(`tr[data-order="${again.id}"] [data-role="open-order"]`).click();
    await page.locator('#order-detail [data-role="platform-order-id"]', { hasText: 'CONSOLE-2001' }).waitFor({ timeout: 30_000 });
    expect(failures).toEqual([]);
    // Only the stock view's platform panels fail: no platform subgraph is composed here.
    expect([...refused]).toEqual(['ConsolePlatform']);
    await page.context().close();
  }, 180_000);

  it('an operator finds a customer by e-mail (however it is typed), and sees the insights figures and downloads a CSV export', async () => {
    const { page, failures, refused } = await openConsole('operator');
    await page.getByRole('tab', { name: 'Customers' }).click();
    await page.locator('#customers input[name="search"]').fill('  Ana.Console@EXAMPLE.com ');
    await page.getByRole('button', { name: 'Find' }).click();
    const found = page.locator(`#customers [data-customer="${shipped.customerId}"]`);
    await found.waitFor({ timeout: 30_000 });
    expect(await page.locator('#customers [data-role="found"] li').count()).toBe(1);
    await found.getByRole('button', { name: ANA.name }).click();
    await page.locator('#customer-profile [data-role="name"]', { hasText: ANA.name }).waitFor({ timeout: 30_000 });
    await page.locator('#customers input[name="search"]').fill('nobody@example.com');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByTestId('no-customers').waitFor({ timeout: 30_000 });

    await page.getByRole('tab', { name: 'Insights' }).click();
    const figures = page.locator('#insights [data-role="figures"]');
    await figures.waitFor({ timeout: 30_000 });
    // 23 orders recorded, one cancelled: 22 count. Revenue is merchandise less discounts (no shipping).
    expect(await figures.locator('[data-figure="orders"] dd').innerText()).toBe('22');
    const revenue = 11980 + 18990 + (FILLER_ORDERS - 1) * 3990;
    expect(await figures.locator('[data-figure="revenue"] .money').getAttribute('data-cents')).toBe(String(revenue));
    expect(Number(await figures.locator('[data-figure="average-order-value"] .money').getAttribute('data-cents'))).toBeCloseTo(revenue / 22, 0);
    // Every customer so far: Ana bought twice, Bruno more than once, so both are repeat customers.
    expect(await figures.locator('[data-figure="repeat-rate"] [data-role="rate"]').innerText()).toBe('100.0 %');
    expect(await figures.locator('[data-figure="repeat-rate"] dd').innerText()).toContain('2 of 2');
    const woo = page.locator('[data-role="sales-by-channel"] tr[data-channel="woocommerce-br"]');
    expect(await woo.locator('[data-role="orders"]').innerText()).toBe(String(FILLER_ORDERS - 1));
    expect(await page.locator('[data-role="top-products"] li').first().getAttribute('data-sku')).toBe('CHI-PRAIA-3738');

    // The export needs the key in a header: the page fetches it and hands the file over.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export="sales"] button').click()]);
    expect(download.suggestedFilename()).toBe('sales.csv');
    // The service writes a byte-order mark first and ends lines with CRLF (RFC 4180, as Excel reads it).
    const csv = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
    expect(csv.split('\r\n')[0]).toBe('day,channel,sku,currency,orders,units,gross,discount,revenue');
    expect(csv).toContain(',shopify-br,');
    expect(failures).toEqual([]);
    expect([...refused]).toEqual(['ConsolePlatform']);
    await page.context().close();
  }, 180_000);

  it('a storefront key (no orders, customers or insights scope) sees each view refused in words, and none of the data', async () => {
    const { page, failures, refused } = await openConsole('storefront');
    await page.getByRole('tab', { name: 'Orders' }).click();
    await page.locator('#orders [data-refused="orders:read"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('#orders [data-refused]').innerText()).toContain('This key may not read orders');

    await page.getByRole('tab', { name: 'Customers' }).click();
    await page.locator('#customers input[name="search"]').fill(ANA.email);
    await page.getByRole('button', { name: 'Find' }).click();
    await page.locator('#customers [data-refused="customers:read"]').waitFor({ timeout: 30_000 });

    await page.getByRole('tab', { name: 'Insights' }).click();
    await page.locator('#insights [data-refused="insights:read"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-export="sales"] button').click();
    await page.locator('[data-export="sales"] [data-refused="insights:read"]').waitFor({ timeout: 30_000 });

    const text = await page.locator('body').innerText();
    for (const secret of ['CONSOLE-', ANA.email, ANA.name, BRUNO.email, 'shopify-br', 'R$']) expect(text).not.toContain(secret);
    expect(await page.locator('.money, tr[data-order]').count()).toBe(0);
    expect(failures).toEqual([]);
    // Each view's query was refused at the gateway, and so was the export.
    for (const operation of ['ConsoleOrders', 'ConsoleFindCustomers', 'ConsoleInsights', '/insights/sales.csv']) expect(refused).toContain(operation);
    await page.context().close();
  }, 120_000);

  it('an internal key reads orders and figures, but an order\'s customer opens as a refusal, with no personal data', async () => {
    const { page, failures, refused } = await openConsole('internal');
    await page.getByRole('tab', { name: 'Orders' }).click();
    await page.locator(`#orders tr[data-order="${shipped.id}"] [data-role="open-order"]`).click();
    const link = page.locator(`#order-detail [data-customer="${shipped.customerId}"]`);
    await link.waitFor({ timeout: 30_000 });
    await link.click();
    await page.locator('#customer-profile [data-refused="customers:read"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('#customer-profile').innerText()).toContain('This key may not read customer profiles');
    // Which orders the customer id placed is the orders' to tell (orders:read): listed, with no contact.
    await page.locator(`#customer-profile tr[data-order="${again.id}"]`).waitFor({ timeout: 30_000 });
    expect(await page.locator('#customer-profile tbody tr').count()).toBe(2);
    const text = await page.locator('body').innerText();
    for (const secret of [ANA.email, ANA.name, '98765']) expect(text).not.toContain(secret);
    expect(await page.locator('#customer-profile [data-role="email"]').count()).toBe(0);
    // The profile query itself is refused at the gateway, whoever asks for it this way.
    const direct = await graphql(ponte.gatewayUrl, 'query($id: ID!) { customer(id: $id) { email { value } } }', { id: shipped.customerId }, as('internal'));
    expect(direct.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(direct.data?.['customer'] ?? null).toBeNull();
    expect(failures).toEqual([]);
    expect(refused).toContain('ConsoleCustomer');
    expect(refused).not.toContain('ConsoleOrder');
    await page.context().close();
  }, 120_000);

  it('shows a platform\'s markup as text: nothing in an order becomes an element or runs', async () => {
    const { page, failures } = await openConsole('operator');
    await page.getByRole('tab', { name: 'Orders' }).click();
    await page.locator('#orders select[name="channel"]').selectOption('amazon-br');
    await page.getByRole('button', { name: 'Show orders' }).click();
    const row = page.locator(`#orders tr[data-order="${hostile.id}"]`);
    await row.waitFor({ timeout: 30_000 });
    expect(await row.locator('[data-role="open-order"]').innerText()).toBe(HOSTILE_ID);
    await row.locator('[data-role="open-order"]').click();
    const detail = page.locator('#order-detail');
    await detail.locator('[data-role="platform-order-id"]').waitFor({ timeout: 30_000 });
    expect(await detail.locator('[data-role="platform-order-id"]').innerText()).toBe(HOSTILE_ID);
    expect(await detail.locator('[data-line="<b>1</b>"]').count()).toBe(1);
    expect(await page.locator('#orders img, #order-detail img, #order-detail b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(failures).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('fits a phone: the orders, an order and the insights are no wider than a 390 × 844 screen', async () => {
    const { page, failures } = await openConsole('operator', { width: 390, height: 844 });
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page.getByRole('tab', { name: 'Orders' }).click();
    await page.locator(`#orders tr[data-order="${shipped.id}"] [data-role="open-order"]`).click();
    await page.locator('#order-detail [data-routing="L1"]').first().waitFor({ timeout: 30_000 });
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.getByRole('tab', { name: 'Insights' }).click();
    await page.locator('#insights [data-role="figures"]').waitFor({ timeout: 30_000 });
    expect(await overflow()).toBeLessThanOrEqual(0);
    expect(failures).toEqual([]);
    await page.context().close();
  }, 120_000);
});
