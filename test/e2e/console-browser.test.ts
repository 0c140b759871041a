import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { startCommerce, type RunningCommerce } from '../support/all-platforms.ts';
import { eventuallyDefined as eventually } from '../support/eventually.ts';
import { graphql, TEST_KEYS, TEST_PRINCIPALS } from '../support/ponte.ts';

/**
 * The operator console in a real browser (Debian's Chromium), against everything `npm start`
 * runs: four sandboxes, the subgraphs and the gateway. What the shoppers and the operator do
 * happens for real; the page must show it without a reload, and act through the GraphQL API.
 */
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = new URL('../../docs/console.png', import.meta.url);

let commerce: RunningCommerce;
let browser: Browser;
let shopify: SandboxControlClient;

describe.skipIf(!existsSync(CHROMIUM))('operator console in Chromium', () => {
  beforeAll(async () => {
    commerce = await startCommerce({ uniqueOrderIds: true });
    shopify = new SandboxControlClient(commerce.sandboxes.urls.shopify);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await commerce?.close();
  });

  const gatewayOrigin = () => new URL(commerce.ponte.gatewayUrl).origin;

  /** A page on the console, signed in with the operator's key, offline but for the gateway. */
  async function openConsole(viewport = { width: 1280, height: 1000 }): Promise<{ page: Page; failures: string[] }> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') failures.push(`console: ${message.text()}`);
    });
    page.on('requestfailed', (request) => failures.push(`${request.url()}: ${request.failure()?.errorText}`));
    await page.route(/.*/, (route) => (route.request().url().startsWith(gatewayOrigin()) ? route.continue() : route.abort()));
    await page.goto(`${gatewayOrigin()}/console`);
    await page.locator('#key').fill(TEST_KEYS.operator);
    await page.getByRole('button', { name: 'Open the console' }).click();
    await page.locator('#live[data-state="live"]').waitFor({ timeout: 30_000 });
    await page.locator('tr[data-sku="CAM-BASICA-M"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-platform="shopify"] [data-role="sync-state"]').waitFor({ timeout: 30_000 });
    return { page, failures };
  }

  it('a shopper\'s order on the Shopify sandbox appears on the page without a reload', async () => {
    const { page, failures } = await openConsole();
    const sku = 'CAM-BASICA-M';
    const row = page.locator(`tr[data-sku="${sku}"]`);
    const channelCell = row.locator('td[data-channel="shopify-br"]');
    const before = Number(await channelCell.innerText());
    // A mark on the window: a reload would wipe it.
    await page.evaluate(() => ((window as unknown as { consoleMark: number }).consoleMark = 1));

    const order = await shopify.placeOrder([{ sku, quantity: 2 }]);
    await expect.poll(async () => Number(await channelCell.innerText()), { timeout: 30_000 }).toBeLessThan(before);
    const movement = page.locator('.movement-list li', { hasText: order.id }).first();
    await movement.waitFor({ timeout: 30_000 });
    expect(await movement.innerText()).toContain(sku);
    expect(await movement.innerText()).toContain('committed +2');
    expect(await movement.locator('[data-role="actor"]').innerText()).toBe('by shopify');
    expect(await page.evaluate(() => (window as unknown as { consoleMark?: number }).consoleMark)).toBe(1);
    expect(failures).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('a dead letter is replayed from the page and disappears', async () => {
    const sku = 'CAD-PONTILHADO';
    const woocommerce = new SandboxControlClient(commerce.sandboxes.urls.woocommerce);
    // WooCommerce refuses the store's stock writes (400): Ponte's new quantity ends as a dead letter at once.
    await woocommerce.injectFault({ mode: 'error', status: 400, method: 'POST', pathPrefix: '/wp-json/wc/v3/products/batch' });
    const received = await graphql(commerce.ponte.gatewayUrl, `mutation { receiveStock(input: { idempotencyKey: "console-dead-letter", sku: "${sku}", location: "cd-sao-paulo", quantity: 3, reason: "supplier delivery" }) { replayed } }`);
    expect(received.errors).toBeUndefined();
    const { page, failures } = await openConsole();
    const letter = page.locator(`[data-platform="woocommerce"] [data-dead-letter="${sku}"]`);
    await letter.waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-platform="woocommerce"] [data-role="sync-state"]').innerText()).toBe('dead letters');
    expect(await letter.innerText()).toContain('answered 400');
    // The WooCommerce subgraph's next alert evaluation (every 15 s) raises it in the alerts panel.
    const alert = page.locator('#alerts [data-alert="listing-dead-letters"]', { hasText: 'WooCommerce' });
    await alert.waitFor({ timeout: 45_000 });

    // The store takes writes again; the operator replays it from the page.
    await woocommerce.clearFaults();
    await letter.getByRole('button', { name: 'Replay' }).click();
    await letter.waitFor({ state: 'detached', timeout: 30_000 });
    const wanted = await graphql<{ product: { availability: { quantity: number } } }>(commerce.ponte.gatewayUrl, `{ product(sku: "${sku}") { availability(channel: "woocommerce-br") { quantity } } }`);
    await eventually(async () => (await woocommerce.quantityOf(sku)) === wanted.data!.product.availability.quantity, 'WooCommerce to show the quantity');
    expect(await page.locator('[data-platform="woocommerce"] [data-role="dead"]').innerText()).toBe('0');
    // …and the alert clears at the evaluation after the replay.
    await alert.waitFor({ state: 'detached', timeout: 45_000 });
    expect(failures).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('an order exception is resolved from the page, and the README screenshot is taken', async () => {
    // The erva-mate is nearly gone, but Shopify still takes an order for 3 (its listing lags, or oversells).
    const scarce = 'CHA-ERVA-MATE';
    for (const [location, quantity] of [['cd-sao-paulo', 1], ['3pl-extrema', 0]] as const) {
      const counted = await graphql(commerce.ponte.gatewayUrl, `mutation { setStock(input: { idempotencyKey: "console-count-${location}", sku: "${scarce}", location: "${location}", quantity: ${quantity}, reason: "stock count" }) { replayed } }`);
      expect(counted.errors).toBeUndefined();
    }
    const order = await shopify.placeOrder([{ sku: scarce, quantity: 3 }], { allowOversell: true });
    const { page, failures } = await openConsole();
    const item = page.locator('.exception', { hasText: order.id });
    await item.waitFor({ timeout: 30_000 });
    expect(await item.locator('[data-role="code"]').innerText()).toBe('INSUFFICIENT_STOCK');
    await mkdir(new URL('.', SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT.pathname });

    await item.getByRole('button', { name: 'Resolve…' }).click();
    await item.locator('input[name="sku"]').fill('CAM-BASICA-G');
    await item.getByRole('button', { name: 'Apply' }).click();
    await item.getByText(/applied as CAM-BASICA-G/).waitFor({ timeout: 30_000 });
    // And it leaves the list of open exceptions.
    await item.waitFor({ state: 'detached', timeout: 30_000 });

    const exceptions = await graphql<{ shopifyOrderExceptions: Array<{ orderId: string; resolvedBy: string | null; resolution: string | null }> }>(commerce.ponte.gatewayUrl, '{ shopifyOrderExceptions(unresolvedOnly: false) { orderId resolvedBy resolution } }');
    expect(exceptions.data!.shopifyOrderExceptions.find((exception) => exception.orderId === order.id)).toMatchObject({ resolvedBy: TEST_PRINCIPALS.operator.name, resolution: expect.stringContaining('applied as CAM-BASICA-G') });
    // The reservation shows in the page's movements with the operator named in the reason.
    const movement = page.locator('.movement-list li', { hasText: `order exception` }).first();
    await movement.waitFor({ timeout: 30_000 });
    expect(await movement.locator('[data-role="reason"]').innerText()).toContain(`by ${TEST_PRINCIPALS.operator.name}`);
    expect(failures).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('fits a phone: nothing wider than a 390 × 844 screen', async () => {
    const { page, failures } = await openConsole({ width: 390, height: 844 });
    await page.locator('#platforms .platform').nth(3).waitFor();
    const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    // The wide stock table scrolls inside its own box, not the page.
    const table = await page.evaluate(() => {
      const wrap = document.querySelector('.table-wrap')!;
      return { right: wrap.getBoundingClientRect().right, overflowX: getComputedStyle(wrap).overflowX };
    });
    expect(table.right).toBeLessThanOrEqual(390);
    expect(table.overflowX).toBe('auto');
    expect(failures).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('the page and its libraries are public and hold no data; the data needs the operator\'s key', async () => {
    const page = await fetch(`${gatewayOrigin()}/console`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = await page.text();
    expect(html).not.toContain(TEST_KEYS.operator);
    for (const path of ['/console/app.js', '/console/lib.js', '/console/commerce.js', '/console/console.css', '/console/vendor/preact.mjs', '/console/vendor/preact-hooks.mjs', '/console/vendor/htm.mjs', '/console/vendor/graphql-ws/client.js']) {
      expect((await fetch(`${gatewayOrigin()}${path}`)).status, path).toBe(200);
    }
    expect((await fetch(`${gatewayOrigin()}/console/vendor/../../package.json`)).status).toBe(404);
    expect((await fetch(`${gatewayOrigin()}/console/nothing.js`)).status).toBe(404);
    const anonymous = await graphql(commerce.ponte.gatewayUrl, '{ shopifyListingSync { dead } }', {}, { authorization: '' });
    expect(anonymous.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });
});
