import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPonte, TEST_KEYS, type RunningPonte } from '../support/ponte.ts';

/**
 * GraphiQL in a real browser (Debian's Chromium, no network but the gateway): the editor renders
 * with the example operations, runs one, and nothing it asks for fails or leaves the gateway.
 */
const CHROMIUM = '/usr/bin/chromium';
let ponte: RunningPonte;
let browser: Browser;

describe.skipIf(!existsSync(CHROMIUM))('GraphiQL in Chromium', () => {
  beforeAll(async () => {
    ponte = await startPonte({ responseCache: false });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await ponte?.close();
  });

  it('renders the editor offline with the examples and runs the storefront query', async () => {
    const page = await browser.newPage();
    // What a developer does first: paste a storefront key into GraphiQL's headers (sent on every request).
    await page.setExtraHTTPHeaders({ authorization: `Bearer ${TEST_KEYS.storefront}` });
    const gatewayOrigin = new URL(ponte.gatewayUrl).origin;
    const failed: string[] = [];
    const elsewhere: string[] = [];
    page.on('requestfailed', (request) => failed.push(`${request.url()}: ${request.failure()?.errorText}`));
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.url()}: ${response.status()}`);
    });
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(gatewayOrigin) && !url.startsWith('data:') && !url.startsWith('blob:')) elsewhere.push(url);
    });
    // The page is the only way in; everything else it needs must come from the gateway.
    await page.route(/.*/, (route) => (route.request().url().startsWith(gatewayOrigin) || route.request().url().startsWith('data:') ? route.continue() : route.abort()));

    await page.goto(ponte.gatewayUrl);
    await page.locator('.graphiql-container').first().waitFor({ timeout: 60_000 });
    await expect.poll(() => page.locator('.graphiql-query-editor').first().innerText(), { timeout: 30_000 }).toContain('StorefrontProducts');
    // One tab per kind of caller.
    expect(await page.locator('.graphiql-tab').count()).toBeGreaterThanOrEqual(4);

    await page.locator('.graphiql-execute-button').first().click();
    await expect.poll(() => page.locator('.graphiql-response').first().innerText(), { timeout: 30_000 }).toContain('"totalAvailable"');

    expect(failed).toEqual([]);
    expect(elsewhere).toEqual([]);
    await page.close();
  }, 180_000);
});
