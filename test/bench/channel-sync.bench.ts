/**
 * `npm run bench:sync`: how long a sale on one platform takes to reach every platform's listing.
 *
 * Runs the whole system in this one process (four sandboxes, inventory, catalog, four platform
 * subgraphs with channel sync, the gateway; embedded PGlite unless DATABASE_URL), places
 * `BENCH_SALES` (default 24) one-unit orders in turn on Shopify, WooCommerce and Mercado Livre
 * (Amazon's orders arrive by polling, minutes apart by design, so it is only a destination), and
 * measures from the order's acceptance by the platform to each listing showing the new canonical
 * quantity: the webhook or notification, the reservation, the outbox, the feed, and the push.
 */
// Errors only: the gateway runtime's logger reads LOG_LEVEL too and accepts no 'silent'.
process.env.LOG_LEVEL ??= 'error';

const { SandboxControlClient } = await import('../../sandboxes/common/control-client.ts');
const { startCommerce } = await import('../support/all-platforms.ts');
const { ensurePgliteTemplate } = await import('../support/pglite-template.ts');
const { graphql } = await import('../support/ponte.ts');

const SALES = Number(process.env.BENCH_SALES ?? 24);
const CHANNELS = { shopify: 'shopify-br', woocommerce: 'woocommerce-br', mercadolivre: 'mercado-livre', amazon: 'amazon-br' } as const;
type Platform = keyof typeof CHANNELS;
const PLATFORMS = Object.keys(CHANNELS) as Platform[];
const ORIGINS: Platform[] = ['shopify', 'woocommerce', 'mercadolivre'];
const SKUS = ['CAM-BASICA-G', 'TEN-CORRIDA-40', 'MOC-URBANA-PRETO', 'GAR-TERMICA-AZUL', 'CAF-GRAOS-1KG', 'LAN-CAMPING'];

if (!process.env.DATABASE_URL) await ensurePgliteTemplate();
const commerce = await startCommerce();
const controls = Object.fromEntries(PLATFORMS.map((platform) => [platform, new SandboxControlClient(commerce.sandboxes.urls[platform])])) as Record<Platform, InstanceType<typeof SandboxControlClient>>;

async function canonical(sku: string): Promise<Record<Platform, number>> {
  const fields = PLATFORMS.map((platform) => `${platform}: availability(channel: "${CHANNELS[platform]}") { quantity stockVersion }`).join(' ');
  const result = await graphql<{ product: Record<Platform, { quantity: number }> }>(commerce.ponte.gatewayUrl, `query($sku: ID!) { product(sku: $sku) { ${fields} } }`, { sku });
  return Object.fromEntries(PLATFORMS.map((platform) => [platform, result.data!.product[platform].quantity])) as Record<Platform, number>;
}

/** Milliseconds from `since` until each platform lists `expected`. */
async function reached(sku: string, expected: Record<Platform, number>, since: number): Promise<Record<Platform, number>> {
  const after: Partial<Record<Platform, number>> = {};
  const deadline = Date.now() + 30_000;
  while (Object.keys(after).length < PLATFORMS.length) {
    if (Date.now() > deadline) throw new Error(`${sku}: listings did not converge to ${JSON.stringify(expected)}`);
    await Promise.all(
      PLATFORMS.filter((platform) => after[platform] === undefined).map(async (platform) => {
        if ((await controls[platform].quantityOf(sku)) === expected[platform]) after[platform] = Date.now() - since;
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return after as Record<Platform, number>;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(values.length * 0.95) - 1)]!;

try {
  for (const sku of SKUS) await reached(sku, await canonical(sku), Date.now());
  const perPlatform: Record<Platform, number[]> = { shopify: [], woocommerce: [], mercadolivre: [], amazon: [] };
  const everywhere: number[] = [];
  for (let sale = 0; sale < SALES; sale++) {
    const origin = ORIGINS[sale % ORIGINS.length]!;
    const sku = SKUS[sale % SKUS.length]!;
    const before = await canonical(sku);
    const soldAt = Date.now();
    await controls[origin].placeOrder([{ sku, quantity: 1 }]);
    let after = before;
    // The new canonical quantities are known once the reservation committed.
    while (PLATFORMS.every((platform) => after[platform] === before[platform]) && Date.now() - soldAt < 30_000) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      after = await canonical(sku);
    }
    const latency = await reached(sku, after, soldAt);
    for (const platform of PLATFORMS) perPlatform[platform].push(latency[platform]);
    everywhere.push(Math.max(...Object.values(latency)));
  }
  console.log(`\nChannel sync: ${SALES} one-unit sales placed on ${ORIGINS.join(', ')} in turn; whole system in one process, ${process.env.DATABASE_URL ? 'PostgreSQL server' : 'embedded PGlite'}`);
  console.log('destination listing      median ms   p95 ms');
  for (const platform of PLATFORMS) console.log(`${platform.padEnd(24)} ${String(median(perPlatform[platform])).padStart(9)} ${String(p95(perPlatform[platform])).padStart(8)}`);
  console.log(`${'every listing'.padEnd(24)} ${String(median(everywhere)).padStart(9)} ${String(p95(everywhere)).padStart(8)}`);
  console.log(`within one second: ${everywhere.filter((ms) => ms <= 1000).length} of ${SALES} sales`);
} finally {
  await commerce.close();
}
