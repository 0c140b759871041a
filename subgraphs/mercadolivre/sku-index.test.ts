import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { createMercadoLivreSandbox, MAX_OFFSET_RESULTS, type MercadoLivreSandbox } from '../../sandboxes/mercadolivre/mercadolivre-sandbox.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { createPlatformFetch } from '../platform-common/platform-fetch.ts';
import { createLogger } from '../../kit/logger.ts';
import { migrate } from '../../kit/migrate.ts';
import { MercadoLivreClient } from './client.ts';
import { MercadoLivreTokens } from './oauth.ts';
import { SkuIndex } from './sku-index.ts';

/** A seller with more items than offset paging reaches (Mercado Livre stops it at 1,000 results). */
const SELLER_ITEMS = 2_500;
const log = createLogger('ml-sku-index-test');
const FAST = { perHour: 3_600_000, burst: 1_000 };

let sandbox: MercadoLivreSandbox;
let control: SandboxControlClient;
let database: TestDatabase;
let client: MercadoLivreClient;

const skuOf = (index: number) => `BIG-${String(index).padStart(5, '0')}`;

beforeAll(async () => {
  // What this file checks is the paging; the rate limit is rate-limit.test.ts's. At Mercado Livre's
  // 18,000 requests an hour the 150 calls of a 2,500-item index take half a minute of waiting.
  sandbox = createMercadoLivreSandbox({ seed: false, rateLimit: FAST });
  const baseUrl = await sandbox.listen();
  control = new SandboxControlClient(baseUrl);
  await control.seed({
    products: Array.from({ length: SELLER_ITEMS }, (_, index) => ({ sku: skuOf(index), parentSku: null, title: `Produto ${index}`, brand: 'Ponte', category: 'Casa', options: {}, priceCents: 1000 + index, onHand: { 'cd-sao-paulo': 3 } })),
    locationCodes: ['cd-sao-paulo'],
  });
  database = await createTestDatabase('mercadolivre_sku_index');
  await migrate(database.db, new URL('../platform-common/migrations', import.meta.url).pathname);
  const tokens = new MercadoLivreTokens({
    db: database.db,
    baseUrl,
    application: { applicationId: String(sandbox.application.applicationId), clientSecret: sandbox.application.clientSecret },
    initial: { accessToken: sandbox.accessToken, refreshToken: sandbox.refreshToken },
    fetch: createPlatformFetch({ maxAttempts: 1 }),
    log,
  });
  client = new MercadoLivreClient({ baseUrl, userId: String(sandbox.userId), tokens, log, rateLimit: FAST });
});

afterAll(async () => {
  await database?.drop();
  await sandbox?.close();
});

describe('SKU index of a seller with more than 1,000 items', () => {
  it('the platform refuses offset paging past result 1,000', async () => {
    const response = await fetch(`${sandbox.url}/users/${sandbox.userId}/items/search?offset=${MAX_OFFSET_RESULTS}&limit=50`, { headers: { authorization: `Bearer ${sandbox.accessToken}` } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'bad_request', status: 400, cause: [] });
  });

  it('walks every item with search_type=scan and indexes all 2,500 SKUs', async () => {
    await control.clearCalls();
    const index = new SkuIndex({ client, log });
    await index.rebuild();
    expect(index.size).toBe(SELLER_ITEMS);
    const wanted = [skuOf(0), skuOf(999), skuOf(1000), skuOf(SELLER_ITEMS - 1)];
    const found = await index.lookup(wanted);
    expect([...found.keys()].sort()).toEqual(wanted);
    // Scan pages of 100 (the maximum), never an offset.
    const searches = (await control.calls()).calls.filter((call) => call.path.endsWith('/items/search'));
    expect(searches).toHaveLength(SELLER_ITEMS / 100);
    expect(searches.every((call) => new URLSearchParams(call.query).get('search_type') === 'scan' && !new URLSearchParams(call.query).has('offset'))).toBe(true);
    expect(searches.every((call) => call.status === 200)).toBe(true);
  });
});
