import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSupergraph, ponteSubgraphs } from '../../gateway/compose.ts';
import { createPonteGateway, type PonteGateway, type PonteGatewayOptions } from '../../gateway/index.ts';
import { useIdentity } from '../../gateway/plugins/use-identity.ts';
import { createLogger } from '../../kit/logger.ts';
import { eventually } from '../support/eventually.ts';
import { graphql, startPonte, TEST_GATEWAY_SECRET, testApiKeys, type RunningPonte } from '../support/ponte.ts';
import { subscribe } from '../support/subscriptions.ts';

/**
 * A stock subscription survives the loss of the gateway's socket to the inventory (a replica
 * killed, a balancer restarted): the events committed while it was down reach the subscriber
 * afterwards, each once and in order, and the subscriber is told nothing happened. A client that
 * lost its own socket resumes the same way with `after`.
 */
const NOWHERE = 'http://127.0.0.1:9/graphql';
const SKU = 'CAF-GRAOS-1KG';
const FOLLOW = 'subscription Follow($skus: [ID!], $after: ID) { stockChanged(skus: $skus, after: $after) { id sku kind level { onHand } } }';
type Event = { stockChanged: { id: string; sku: string; kind: string; level: { onHand: number } } };

/** A TCP hop between the gateway and the inventory that a test can cut and mend. */
class Cable {
  readonly #server = createServer((client) => this.#connect(client));
  readonly #sockets = new Set<Socket>();
  #cut = false;
  readonly #target: { host: string; port: number };
  connections = 0;

  constructor(target: { host: string; port: number }) {
    this.#target = target;
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/graphql`;
  }

  /** Drops every open connection and refuses new ones, as a dead replica behind a balancer does. */
  cut(): void {
    this.#cut = true;
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
  }

  mend(): void {
    this.#cut = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  #connect(client: Socket): void {
    if (this.#cut) return void client.destroy();
    this.connections++;
    const upstream = createConnection(this.#target, client);
    this.#sockets.add(client).add(upstream);
    const forget = () => {
      this.#sockets.delete(client);
      this.#sockets.delete(upstream);
    };
    client.on('close', forget);
    upstream.on('close', forget);
  }
}

function createConnection(target: { host: string; port: number }, client: Socket): Socket {
  const upstream = connect(target.port, target.host);
  client.pipe(upstream).pipe(client);
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
  return upstream;
}

let ponte: RunningPonte;
let cable: Cable;
let gateway: PonteGateway;
let gatewayUrl: string;
let supergraphSdl: string;

function createGateway(sdl: string, subgraphSubscriptions?: PonteGatewayOptions['subgraphSubscriptions']): PonteGateway {
  const log = createLogger('test');
  return createPonteGateway({ supergraphSdl: sdl, log, subgraphSecret: TEST_GATEWAY_SECRET, identity: useIdentity({ apiKeys: testApiKeys, log }), responseCache: false, audit: false, subgraphSubscriptions });
}

beforeAll(async () => {
  ponte = await startPonte({ responseCache: false });
  const inventory = new URL(ponte.inventoryUrl);
  cable = new Cable({ host: inventory.hostname, port: Number(inventory.port) });
  const inventoryThroughCable = await cable.listen();
  supergraphSdl = composeSupergraph(
    ponteSubgraphs({
      INVENTORY_URL: inventoryThroughCable, CATALOG_URL: ponte.catalogUrl, ACCESS_URL: ponte.accessUrl, ORDERS_URL: ponte.ordersUrl,
      CUSTOMERS_URL: NOWHERE, INSIGHTS_URL: NOWHERE, SHOPIFY_URL: NOWHERE, WOOCOMMERCE_URL: NOWHERE, MERCADOLIVRE_URL: NOWHERE, AMAZON_URL: NOWHERE,
    }),
  );
  gateway = createGateway(supergraphSdl);
  gatewayUrl = await gateway.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await gateway?.close();
  await cable?.close();
  await ponte?.close();
});

/** Receives `quantity` units of the SKU through Ponte's own gateway (not through the cable). */
async function receive(key: string, quantity = 1): Promise<void> {
  const result = await graphql(ponte.gatewayUrl, `mutation { receiveStock(input: { idempotencyKey: "${key}", sku: "${SKU}", location: "loja-rio", quantity: ${quantity} }) { replayed } }`);
  expect(result.errors).toBeUndefined();
}

async function eventIds(): Promise<number[]> {
  const rows = await ponte.databases.inventory.db.query<{ id: string }>('SELECT id::text AS id FROM stock_events WHERE sku = $1 ORDER BY stock_events.id', [SKU]);
  return rows.map((row) => Number(row.id));
}

describe('stock subscriptions resume without a gap', () => {
  it('delivers the events committed while the gateway had no socket to the inventory, each once and in order', async () => {
    const subscription = subscribe<Event>(gatewayUrl, FOLLOW, { skus: [SKU] }, { as: 'internal' });
    await subscription.started;
    await receive('resume-before');
    const before = await subscription.next(15_000);
    expect(before.stockChanged.kind).toBe('RECEIPT');

    cable.cut();
    const connectionsAtCut = cable.connections;
    for (let index = 0; index < 4; index++) await receive(`resume-during-${index}`, index + 1);
    cable.mend();
    // The gateway connects again by itself; nothing about the cut reaches the subscriber.
    await eventually(async () => cable.connections, (count) => count > connectionsAtCut, 'the gateway to connect to the inventory again', 15_000, 50);
    await receive('resume-after');

    const received: Event['stockChanged'][] = [];
    for (let index = 0; index < 5; index++) received.push((await subscription.next(15_000)).stockChanged);
    const committed = (await eventIds()).filter((id) => id > Number(before.stockChanged.id));
    expect(received.map((event) => Number(event.id))).toEqual(committed);
    // Each receipt's level follows the one before: none lost, none twice.
    expect(received.map((event) => event.level.onHand - before.stockChanged.level.onHand)).toEqual([1, 3, 6, 10, 11]);
    await expect(subscription.next(1_000)).rejects.toThrow(/no event within/);
    await subscription.close();
  });

  it('lets a client resume after an event it had: the events since, then live ones, each once and in order', async () => {
    await receive('client-resume-1');
    await receive('client-resume-2', 2);
    const ids = await eventIds();
    const resumeAfter = ids.at(-2)!;
    const subscription = subscribe<Event>(gatewayUrl, FOLLOW, { skus: [SKU], after: String(resumeAfter) }, { as: 'internal' });
    expect(Number((await subscription.next(15_000)).stockChanged.id)).toBe(ids.at(-1));
    await receive('client-resume-3', 3);
    const live = (await subscription.next(15_000)).stockChanged;
    expect(Number(live.id)).toBe((await eventIds()).at(-1));
    await expect(subscription.next(1_000)).rejects.toThrow(/no event within/);
    await subscription.close();
  });

  it('refuses a resume point that is not an event id, or one older than the events kept, and a caller who may not subscribe', async () => {
    const malformed = subscribe<Event>(gatewayUrl, FOLLOW, { skus: [SKU], after: 'yesterday' }, { as: 'internal' });
    await expect(malformed.next(15_000)).rejects.toThrow(/BAD_USER_INPUT/);
    await malformed.close();

    const notYet = subscribe<Event>(gatewayUrl, FOLLOW, { skus: [SKU], after: String(Number.MAX_SAFE_INTEGER) }, { as: 'internal' });
    await expect(notYet.next(15_000)).rejects.toThrow(/BAD_USER_INPUT/);
    await notYet.close();

    // Housekeeping pruned the first events: a resume point before them would skip what was pruned.
    const [oldest] = await eventIds();
    await ponte.databases.inventory.db.query('DELETE FROM stock_events WHERE id <= $1', [oldest! + 1]);
    const expired = subscribe<Event>(gatewayUrl, FOLLOW, { skus: [SKU], after: String(oldest! - 1) }, { as: 'internal' });
    await expect(expired.next(15_000)).rejects.toThrow(/RESUME_POINT_EXPIRED/);
    await expired.close();

    // A storefront key has no stock:subscribe: refused, with or without a resume point, and given nothing.
    const refused = subscribe<Event>(gatewayUrl, FOLLOW, { skus: [SKU], after: String((await eventIds()).at(-1)! - 1) }, { as: 'storefront' });
    await expect(refused.next(15_000)).rejects.toThrow(/FORBIDDEN|UNAUTHENTICATED|not authorized/i);
    await refused.close();
  });
  it('tells a subscriber SUBGRAPH_UNAVAILABLE once the inventory stays away, instead of going quiet', async () => {
    // Short, so that giving up takes a second here, not the default's 25.
    const impatient = createGateway(supergraphSdl, { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 200 });
    const impatientUrl = await impatient.listen(0, '127.0.0.1');
    try {
      const subscription = subscribe<Event>(impatientUrl, FOLLOW, { skus: [SKU] }, { as: 'internal' });
      await subscription.started;
      await receive('away-before');
      await subscription.next(15_000);
      cable.cut();
      try {
        await expect(subscription.next(15_000)).rejects.toThrow(/SUBGRAPH_UNAVAILABLE/);
      } finally {
        cable.mend();
        await subscription.close();
      }
      // Subscribing again works once the inventory is back.
      const again = subscribe<Event>(impatientUrl, FOLLOW, { skus: [SKU] }, { as: 'internal' });
      await again.started;
      await receive('away-after');
      expect((await again.next(15_000)).stockChanged.kind).toBe('RECEIPT');
      await again.close();
    } finally {
      await impatient.close();
    }
  });
});
