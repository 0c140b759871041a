import { demoChannels, demoLocations, demoProducts } from '../../demo/catalog.ts';
import type { Database } from '../../kit/database.ts';
import type { InventoryService } from './services/inventory-service.ts';

const SEED_ACTOR = { name: 'demo-seed' };

/**
 * Loads the demo merchant once: locations, channels and products, then the opening stock as
 * RECEIPT movements through the service, so the ledger balances from the first row.
 * Idempotency keys make a second run (or a crash halfway) harmless.
 */
export async function seedDemoInventory(db: Database, inventory: InventoryService): Promise<{ seeded: boolean }> {
  const [{ count }] = (await db.query<{ count: number }>('SELECT count(*)::int AS count FROM stock_movements')) as [{ count: number }];
  await db.transaction(async (tx) => {
    for (const location of demoLocations) {
      await tx.query(
        `INSERT INTO locations (id, name, kind, priority, postal_code) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
        [location.code, location.name, location.kind, location.priority, location.postalCode],
      );
    }
    for (const channel of demoChannels) {
      await tx.query(
        `INSERT INTO channels (id, name, kind, buffer_units, percentage_of_available, max_listed_quantity, min_listed_quantity, backorders_allowed)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
        [channel.code, channel.name, channel.kind, channel.bufferUnits, channel.percentageOfAvailable, channel.maxListedQuantity, channel.minListedQuantity, channel.backordersAllowed],
      );
      for (const locationId of channel.locationCodes) {
        await tx.query('INSERT INTO channel_locations (channel_id, location_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [channel.code, locationId]);
      }
    }
    await tx.query('INSERT INTO products (sku) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING', [demoProducts.map((product) => product.sku)]);
  });
  for (const product of demoProducts) {
    for (const [location, quantity] of Object.entries(product.onHand)) {
      if (quantity <= 0) continue;
      await inventory.receiveStock(
        { idempotencyKey: `demo-seed:${product.sku}:${location}`, sku: product.sku, location, quantity, reason: 'Opening stock' },
        SEED_ACTOR,
      );
    }
  }
  return { seeded: count === 0 };
}
