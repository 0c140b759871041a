import { createClient, type Client } from 'graphql-ws';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Balancer, type Exchange } from '../support/balancer.ts';
import { eventually } from '../support/eventually.ts';
import { audit, lastEventId, linesSeen, unprocessedMessages } from '../support/storm/audit.ts';
import { StormSystem } from '../support/storm/system.ts';
import { PLATFORMS, SANDBOX_PORTS, STORM_LOCATION, World, stormSkus, type Platform } from '../support/storm/world.ts';

/**
 * Issue 9, "Replicas": two gateways, two inventory replicas and two replicas of each platform
 * subgraph, every one its own process (`scripts/services.ts`) on one PostgreSQL server, each pair
 * behind a round-robin balancer (test/support/balancer.ts) where the platforms, the gateways and
 * the platform subgraphs reach it; one sandboxes process stands for the platforms. Reservations
 * storm through both gateways while the platforms take orders; then one replica of each service
 * is SIGKILLed mid-storm and the storm goes on through the survivors.
 *
 * Server only: PGlite is one process's embedded database, so replicas (several processes on one
 * database) exist only on a PostgreSQL server — the CI's second run, with DATABASE_URL set.
 */
const SERVER_URL = process.env.DATABASE_URL;
const SKUS = stormSkus(6);
const STOCK = 30;
/**
 * Amazon polls often here so its orders arrive within the test. The lease outlives many polls,
 * even slow ones on a loaded machine (a holder that does not renew within it loses it), and is
 * short enough for the survivor to take over within the test after the holder is killed.
 */
const AMAZON_POLL_MS = 2_000;
const AMAZON_LEASE_MS = 30_000;
const REPLICATED = ['gateway', 'inventory', ...PLATFORMS];
/** Where each platform subgraph is told its platform's API is (the tap in front of the sandbox). */
const API_URL_VARIABLE: Record<Platform, string> = { shopify: 'SHOPIFY_API_URL', woocommerce: 'WOOCOMMERCE_STORE_URL', mercadolivre: 'MERCADOLIVRE_API_URL', amazon: 'AMAZON_SP_API_URL' };
const OUTCOME_TIMEOUT_MS = 120_000;

interface Tapped extends Exchange {
  platform: Platform;
  /** `shopify` or `shopify#2`: the platform subgraph replica that made the call. */
  from: string;
}

interface Subscriber {
  gateway: string;
  events: { id: number; sku: string }[];
  ended: string | null;
  client: Client;
}

/** A listing write, and the listings (platform ids or SKUs) it sets, read from what was sent. */
function listingWrites(call: Tapped): { listings: string[]; key: string | null } | null {
  const path = call.url.split('?')[0]!;
  const json = (): any => {
    try {
      return JSON.parse(call.body);
    } catch {
      return null;
    }
  };
  switch (call.platform) {
    case 'shopify': {
      const body = json();
      if (!body || typeof body.query !== 'string' || !body.query.includes('inventorySetQuantities')) return null;
      const quantities: { inventoryItemId: string }[] = body.variables?.input?.quantities ?? [];
      return { listings: [...new Set(quantities.map((entry) => entry.inventoryItemId))], key: body.variables?.idempotencyKey ?? null };
    }
    case 'woocommerce': {
      if (call.method === 'POST' && /\/products\/batch$/.test(path)) return { listings: ((json()?.update ?? []) as { id: number }[]).map((entry) => String(entry.id)), key: null };
      const single = /\/products\/(\d+)(?:\/variations\/(\d+))?$/.exec(path);
      if ((call.method === 'PUT' || call.method === 'PATCH') && single) return { listings: [single[2] ?? single[1]!], key: null };
      return null;
    }
    case 'mercadolivre': {
      const item = /^\/items\/([^/]+)/.exec(path);
      return call.method === 'PUT' && item ? { listings: [item[1]!], key: null } : null;
    }
    case 'amazon': {
      const listing = /^\/listings\/2021-08-01\/items\/[^/]+\/([^/]+)$/.exec(path);
      return call.method === 'PATCH' && listing ? { listings: [decodeURIComponent(listing[1]!)], key: null } : null;
    }
  }
}

describe.skipIf(!SERVER_URL)('replicas on one PostgreSQL server', () => {
  const extraEnv: Record<string, Record<string, string>> = { amazon: { AMAZON_POLL_INTERVAL_MS: String(AMAZON_POLL_MS), AMAZON_POLL_LEASE_MS: String(AMAZON_LEASE_MS) } };
  // Made in beforeAll: the PGlite run collects this block without running it, and has no server.
  let system: StormSystem;
  let world: World;
  const taps: Balancer[] = [];
  const tapped: Tapped[] = [];
  const subscribers: Subscriber[] = [];
  let sql: pg.Client;
  let since = 0;
  let keepLogs = false;

  beforeAll(async () => {
    // Twelve processes share the server's connections (100 by default): four each, and one to LISTEN.
    system = new StormSystem({ serverUrl: SERVER_URL!, env: { DATABASE_POOL_SIZE: '4' }, extraEnv, replicated: REPLICATED });
    world = new World(system, SKUS);
    await system.prepare();
    await system.start(['access', 'catalog', 'sandboxes']);
    await world.seedSandboxes(STOCK);
    // Each platform subgraph replica calls its platform through a tap of its own, so the test
    // knows which replica made each call (the sandbox's own call log cannot tell them apart).
    for (const platform of PLATFORMS) {
      for (const replica of [platform, `${platform}#2`]) {
        const tap = new Balancer({ replicas: () => [system.port(SANDBOX_PORTS[platform])], observe: (exchange) => tapped.push({ ...exchange, platform, from: replica }) });
        taps.push(tap);
        extraEnv[replica] = { ...extraEnv[replica], [API_URL_VARIABLE[platform]]: `http://127.0.0.1:${await tap.listen()}` };
      }
    }
    await system.start(['inventory', 'inventory#2']);
    // The platforms' intake records each order in the orders subgraph (which links its customer).
    await system.start(['customers', 'orders']);
    // Pairs start together, as a rollout starts them: migrations and webhook registration race.
    await system.start(PLATFORMS.flatMap((platform) => [platform, `${platform}#2`]));
    await system.start(['gateway', 'gateway#2']);
    await world.seedPonte(STOCK);
    sql = await system.sql();
  }, 240_000);

  afterAll(async () => {
    for (const subscriber of subscribers) await Promise.resolve(subscriber.client.dispose()).catch(() => {});
    await sql?.end();
    for (const tap of taps) await tap.close();
    if (keepLogs) console.log(`replica logs kept in ${system?.logDir}`);
    await system?.close({ keepLogs });
  });

  function subscribe(gateway: string): Subscriber {
    const subscriber: Subscriber = { gateway, events: [], ended: null, client: undefined as unknown as Client };
    subscriber.client = createClient({
      url: system.url(gateway).replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${system.key('internal')}` },
      retryAttempts: 0,
    });
    subscriber.client.subscribe<{ stockChanged: { id: string; sku: string } }>(
      { query: 'subscription($skus: [ID!]) { stockChanged(skus: $skus) { id sku } }', variables: { skus: SKUS } },
      {
        next: ({ data, errors }) => {
          if (errors) subscriber.ended = `errors: ${JSON.stringify(errors)}`;
          if (data) subscriber.events.push({ id: Number(data.stockChanged.id), sku: data.stockChanged.sku });
        },
        error: (error) => {
          subscriber.ended = `error: ${error instanceof Error ? error.message : JSON.stringify(error)}`;
        },
        complete: () => {
          subscriber.ended ??= 'completed';
        },
      },
    );
    subscribers.push(subscriber);
    return subscriber;
  }

  /** The outbox's events of the test's SKUs after `since`, in id order. */
  async function outbox(): Promise<{ id: number; sku: string }[]> {
    const { rows } = await sql.query<{ id: string; sku: string }>('SELECT id::text AS id, sku FROM inventory.stock_events WHERE id > $1 AND sku = ANY($2) ORDER BY id', [since, SKUS]);
    return rows.map((row) => ({ id: Number(row.id), sku: row.sku }));
  }

  /** What a partner's reservation came to: the reservation id it was acknowledged with, or refused, or no answer. */
  type Reserved = { key: string; gateway: string; outcome: 'reserved'; reservationId: string; replayed: boolean } | { key: string; gateway: string; outcome: 'refused' | 'failed'; detail: string };

  async function reserve(gateway: string, key: string, sku: string, quantity: number): Promise<Reserved> {
    try {
      const response = await fetch(system.url(gateway), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${system.key('partner')}` },
        body: JSON.stringify({
          query: 'mutation($input: ReserveStockInput!) { reserveStock(input: $input) { replayed reservation { id } } }',
          variables: { input: { idempotencyKey: key, channel: 'shopify-br', orderReference: `partner-${key}`, lines: [{ sku, quantity }] } },
        }),
        signal: AbortSignal.timeout(30_000),
      });
      const body = (await response.json().catch(() => null)) as { data?: { reserveStock: { replayed: boolean; reservation: { id: string } } | null }; errors?: { extensions?: { code?: string } }[] } | null;
      const payload = body?.data?.reserveStock;
      if (payload) return { key, gateway, outcome: 'reserved', reservationId: payload.reservation.id, replayed: payload.replayed };
      const code = body?.errors?.[0]?.extensions?.code;
      return { key, gateway, outcome: code === 'INSUFFICIENT_STOCK' ? 'refused' : 'failed', detail: `${response.status} ${code ?? JSON.stringify(body).slice(0, 200)}` };
    } catch (error) {
      return { key, gateway, outcome: 'failed', detail: (error as Error).message };
    }
  }

  /**
   * A partner's client: on no answer (a gateway or an inventory replica died under the request) it
   * retries with the same idempotency key through the gateways still up, as a client must.
   */
  async function reserveUntilAnswered(gateways: () => string[], key: string, sku: string, quantity: number, first: string): Promise<Reserved> {
    let gateway = first;
    for (let attempt = 1; ; attempt++) {
      const answer = await reserve(gateway, key, sku, quantity);
      if (answer.outcome !== 'failed' || attempt >= 20) return answer;
      const up = gateways();
      gateway = up[attempt % up.length]!;
      await new Promise((done) => setTimeout(done, 250));
    }
  }

  /** One storm: partner reservations through the given gateways (some keys sent to both at once) and orders on each platform. */
  async function storm(round: string, gateways: () => string[], size: { reservations: number; ordersPerPlatform: number }, midway?: () => Promise<void>) {
    const reservations: Promise<Reserved>[] = [];
    const orders: Promise<{ platform: Platform; status: number }>[] = [];
    let midwayDone: Promise<void> = Promise.resolve();
    for (let index = 0; index < size.reservations; index++) {
      if (midway && index === Math.floor(size.reservations / 3)) midwayDone = midway();
      const sku = SKUS[index % SKUS.length]!;
      const quantity = 1 + (index % 3 === 0 ? 1 : 0);
      const key = `${round}-${index}`;
      const up = gateways();
      reservations.push(reserveUntilAnswered(gateways, key, sku, quantity, up[index % up.length]!));
      // Every fifth key goes to both gateways at once: one reservation, acknowledged twice.
      if (index % 5 === 0 && up.length > 1) reservations.push(reserveUntilAnswered(gateways, key, sku, quantity, up[(index + 1) % up.length]!));
      if (index < size.ordersPerPlatform * PLATFORMS.length) {
        const platform = PLATFORMS[index % PLATFORMS.length]!;
        orders.push(world.placeOrder(platform, SKUS[(index * 7) % SKUS.length]!, 1).then(({ status }) => ({ platform, status }), () => ({ platform, status: 0 })));
      }
      if (index % 4 === 3) await new Promise((done) => setTimeout(done, 20));
    }
    await midwayDone;
    return { reservations: await Promise.all(reservations), orders: await Promise.all(orders) };
  }

  /** Each subscriber has exactly the outbox's events, each once, in order per SKU. */
  function expectEveryEventOnce(subscriber: Subscriber, expected: { id: number; sku: string }[]) {
    const received = subscriber.events.filter((event) => event.id > since);
    expect(new Set(received.map((event) => event.id)).size, `${subscriber.gateway}: an event received twice`).toBe(received.length);
    for (const sku of SKUS) {
      expect(received.filter((event) => event.sku === sku).map((event) => event.id), `${subscriber.gateway}: ${sku}'s events`).toEqual(expected.filter((event) => event.sku === sku).map((event) => event.id));
    }
  }

  /** Every acknowledged reservation exists, open, once per key; refused ones left nothing. */
  async function expectReservationsKept(results: Reserved[]) {
    const failed = results.filter((result) => result.outcome === 'failed');
    expect(failed, 'reservations never answered').toEqual([]);
    const byKey = new Map<string, string>();
    for (const result of results) {
      if (result.outcome !== 'reserved') continue;
      // Both gateways answered a repeated key with the same reservation.
      expect(byKey.get(result.key) ?? result.reservationId, `key ${result.key}`).toBe(result.reservationId);
      byKey.set(result.key, result.reservationId);
    }
    const { rows } = await sql.query<{ id: string; reference: string; status: string }>(
      `SELECT id::text AS id, order_reference AS reference, status FROM inventory.reservations WHERE channel_id = 'shopify-br' AND order_reference = ANY($1)`,
      [results.map((result) => `partner-${result.key}`)],
    );
    const stored = new Map(rows.map((row) => [row.reference, row]));
    expect(rows.length, 'one reservation per acknowledged key, none for a refused one').toBe(byKey.size);
    for (const [key, reservationId] of byKey) {
      expect(stored.get(`partner-${key}`)?.id, `reservation of ${key}`).toBe(reservationId);
      expect(stored.get(`partner-${key}`)?.status).toBe('OPEN');
    }
  }

  /** Every order a platform accepted is a reservation or an exception, once. */
  async function expectOrdersAccountedFor(accepted: Record<Platform, number>) {
    await eventually(
      async () => ({ seen: await linesSeen(sql, SKUS), unprocessed: await unprocessedMessages(sql) }),
      ({ seen, unprocessed }) => PLATFORMS.every((platform) => seen[platform] >= accepted[platform] && unprocessed[platform] === 0),
      'every accepted order in the platform subgraphs',
      OUTCOME_TIMEOUT_MS,
      250,
    ).catch(async (error: unknown) => {
      const deliveries = (await (await fetch(`${world.sandbox('mercadolivre')}/_sandbox/webhooks/deliveries`)).json()) as { deliveries: { topic: string; status: number | null; error: string | null; url: string }[] };
      const tally = new Map<string, number>();
      for (const delivery of deliveries.deliveries) tally.set(`${delivery.topic} ${delivery.status} ${delivery.error} ${delivery.url}`, (tally.get(`${delivery.topic} ${delivery.status} ${delivery.error} ${delivery.url}`) ?? 0) + 1);
      const inbox = (await sql.query('SELECT topic, count(*)::int AS n, count(processed_at)::int AS done FROM mercadolivre.inbox_messages GROUP BY topic')).rows;
      const lines = (await sql.query('SELECT sku, state, count(*)::int AS n FROM mercadolivre.channel_order_lines GROUP BY 1, 2')).rows;
      console.log('[debug] ML deliveries', JSON.stringify([...tally]), 'inbox', JSON.stringify(inbox), 'lines', JSON.stringify(lines), 'ML calls', JSON.stringify(tapped.filter((c) => c.platform === 'mercadolivre' && c.url.startsWith('/orders')).map((c) => `${c.from} ${c.method} ${c.url} ${c.status}`)));
      throw error;
    });
    const result = await audit(sql, SKUS, since);
    expect(result.oversold, 'SKUs sold past their stock').toBe(0);
    expect(result.ledgerUnbalanced, 'levels the ledger does not explain').toBe(0);
    expect(result.reservationsUnbalanced, 'committed ≠ open reservations').toBe(0);
    expect(result.appliedTwice, 'order lines reserved twice').toBe(0);
    for (const platform of PLATFORMS) {
      const lines = result.lines[platform];
      expect(lines.reserved + lines.exceptions, `${platform}: accepted orders reserved or kept as exceptions`).toBe(accepted[platform]);
    }
    return result;
  }

  /**
   * A listing push happens once: no two replicas of a platform subgraph ever write the same
   * listing at the same time (each due change is claimed by one replica, pushed by it, and only
   * then can the next change of that listing be claimed), and no change is pushed by both: where
   * the platform call carries a key derived from the change (Shopify's `@idempotent` key, from the
   * SKU, location, stockVersion and quantities), no key comes from two replicas.
   */
  function expectEachPushOnce() {
    const writes = tapped.map((call) => ({ call, write: listingWrites(call) })).filter((entry): entry is { call: Tapped; write: NonNullable<ReturnType<typeof listingWrites>> } => entry.write !== null);
    const concurrent: string[] = [];
    for (const [index, { call, write }] of writes.entries()) {
      for (const { call: other, write: otherWrite } of writes.slice(index + 1)) {
        if (other.platform !== call.platform || other.from === call.from) continue;
        const overlap = other.startedAt < call.endedAt && call.startedAt < other.endedAt;
        const shared = write.listings.filter((listing) => otherWrite.listings.includes(listing));
        if (overlap && shared.length > 0) concurrent.push(`${call.platform} ${shared.join(',')} by ${call.from} and ${other.from}`);
      }
    }
    expect(concurrent, 'a listing written by two replicas at once').toEqual([]);
    const keys = new Map<string, Set<string>>();
    for (const { call, write } of writes) if (write.key) keys.set(write.key, (keys.get(write.key) ?? new Set()).add(call.from));
    expect([...keys].filter(([, from]) => from.size > 1).map(([key]) => key), 'a change pushed by both replicas').toEqual([]);
    return writes;
  }

  /**
   * The Amazon poll lease holds: searchOrders is never in flight from two replicas at once, and
   * the poller changes only once the previous one stopped renewing its lease (it died, or stalled
   * past the lease): the new poller's first call comes a lease after the old one's last renewal,
   * which the old one made just before its last call (half a lease of slack for that gap and the
   * two clocks; two replicas polling on their own would be a poll interval apart at most).
   */
  function expectOnePoller() {
    const calls = tapped.filter((call) => call.platform === 'amazon' && call.method === 'GET' && call.url.split('?')[0] === '/orders/2026-01-01/orders').sort((a, b) => a.startedAt - b.startedAt);
    const timeline = calls.map((call) => `${call.from}@${Math.round(call.startedAt)}-${Math.round(call.endedAt)}:${call.status}`).join(' ');
    expect(calls.length, 'searchOrders calls').toBeGreaterThan(0);
    const overlapping = calls.filter((call, index) => calls.slice(index + 1).some((other) => other.from !== call.from && other.startedAt < call.endedAt));
    expect(overlapping.length, `searchOrders in flight from two replicas at once: ${timeline}`).toBe(0);
    const handovers = calls.slice(1).map((call, index) => ({ call, before: calls[index]! })).filter(({ call, before }) => call.from !== before.from);
    for (const { call, before } of handovers) expect(call.startedAt - before.startedAt, `${before.from} → ${call.from} before the lease lapsed: ${timeline}`).toBeGreaterThanOrEqual(AMAZON_LEASE_MS / 2);
    return { callers: calls.map((call) => call.from), handovers: handovers.length };
  }

  it('keeps every promise with two of each service, and after one of each is killed', async () => {
    try {
      // Quiet first: the start-up's pushes are done, and Amazon's searchOrders quota is full again.
      await eventually(() => world.differences(), (differences) => PLATFORMS.every((platform) => differences[platform].length === 0), 'listings to match Ponte before the storm', OUTCOME_TIMEOUT_MS, 250);
      await fetch(`${world.sandbox('amazon')}/_sandbox/rate-limits/reset`, { method: 'POST' });
      const first = subscribe('gateway');
      const second = subscribe('gateway#2');
      // A subscription is live once an event reaches it: receipts of one unit until one reaches
      // both, then the storm's events are those after the last of them (which both received).
      let warmups = 0;
      const warmUp = () => world.graphql(`mutation { receiveStock(input: { idempotencyKey: "replicas-warmup-${++warmups}", sku: "${SKUS[0]}", location: "${STORM_LOCATION}", quantity: 1, reason: "warm-up" }) { replayed } }`);
      await eventually(
        async () => {
          await warmUp();
          return [first.events.length, second.events.length];
        },
        (counts) => counts.every((count) => count > 0),
        'both subscribers live',
        OUTCOME_TIMEOUT_MS,
        1_000,
      );
      await warmUp();
      since = await lastEventId(sql);
      await eventually(async () => [first.events.at(-1)?.id, second.events.at(-1)?.id], (last) => last.every((id) => id === since), 'both subscribers to have the last warm-up', OUTCOME_TIMEOUT_MS, 100);

      // Round 1: everything has two replicas.
      const round1 = await storm('r1', () => ['gateway', 'gateway#2'], { reservations: 60, ordersPerPlatform: 6 });
      const accepted = Object.fromEntries(PLATFORMS.map((platform) => [platform, round1.orders.filter((order) => order.platform === platform && order.status === 201).length])) as Record<Platform, number>;
      await expectReservationsKept(round1.reservations);
      await expectOrdersAccountedFor(accepted);
      let expected = await outbox();
      await eventually(async () => [first.events.length, second.events.length], () => [first, second].every((subscriber) => subscriber.events.filter((event) => event.id > since).length >= expected.length), 'both subscribers to have every event', OUTCOME_TIMEOUT_MS, 100);
      expectEveryEventOnce(first, expected);
      expectEveryEventOnce(second, expected);
      expect(first.ended).toBeNull();
      expectOnePoller();
      await eventually(() => world.differences(), (differences) => PLATFORMS.every((platform) => differences[platform].length === 0), 'listings to match Ponte after round 1', OUTCOME_TIMEOUT_MS, 250);
      const round1Writes = expectEachPushOnce();
      const pollerBeforeKill = tapped.filter((call) => call.platform === 'amazon' && call.url.split('?')[0] === '/orders/2026-01-01/orders').at(-1)?.from;

      // Round 2: one replica of each service dies (SIGKILL) a third of the way in; the storm goes on through the survivors.
      const doomed = ['gateway#2', 'inventory#2', ...PLATFORMS.map((platform) => (platform === 'amazon' ? (pollerBeforeKill ?? 'amazon') : `${platform}#2`))];
      const alive = new Set(['gateway', 'gateway#2']);
      let feedsOnKilledInventory = 0;
      const round2 = await storm('r2', () => [...alive], { reservations: 90, ordersPerPlatform: 8 }, async () => {
        alive.delete('gateway#2');
        // WebSockets (the gateways' and platform subgraphs' stock feeds) the kill will cut.
        feedsOnKilledInventory = system.balancer('inventory').openUpgrades.get(system.replicasOf('inventory').find((replica) => replica.name === 'inventory#2')!.port) ?? 0;
        await Promise.all(doomed.map((name) => system.kill(name)));
      });
      for (const order of round2.orders) if (order.status === 201) accepted[order.platform]++;
      await expectReservationsKept([...round1.reservations, ...round2.reservations]);
      const result = await expectOrdersAccountedFor(accepted);
      expected = await outbox();
      await eventually(async () => first.events.length, () => first.events.filter((event) => event.id > since).length >= expected.length, 'the surviving gateway\'s subscriber to have every event', OUTCOME_TIMEOUT_MS, 100);
      expectEveryEventOnce(first, expected);
      expect(first.ended, 'the surviving gateway\'s subscription').toBeNull();
      // The killed gateway's subscriber had every event up to its end, once and in order.
      const upTo = second.events.at(-1)?.id ?? since;
      expectEveryEventOnce({ ...second, events: second.events }, expected.filter((event) => event.id <= upTo));
      const { callers, handovers } = expectOnePoller();
      await eventually(() => world.differences(), (differences) => PLATFORMS.every((platform) => differences[platform].length === 0), 'listings to match Ponte after round 2', OUTCOME_TIMEOUT_MS, 250);
      const writes = expectEachPushOnce();

      const reserved = [...round1.reservations, ...round2.reservations].filter((r) => r.outcome === 'reserved').length;
      const refused = [...round1.reservations, ...round2.reservations].filter((r) => r.outcome === 'refused').length;
      console.log(
        `[replicas] partner answers: ${reserved} reserved (${[...round1.reservations, ...round2.reservations].filter((r) => r.outcome === 'reserved' && r.replayed).length} replays), ${refused} refused; ` +
          `platform orders accepted ${JSON.stringify(accepted)}, exceptions ${PLATFORMS.map((p) => `${p} ${result.lines[p].exceptions}`).join(', ')}; ` +
          `events ${expected.length}, received by gateway ${first.events.filter((event) => event.id > since).length}, by gateway#2 ${second.events.filter((event) => event.id > since).length} before it died; ` +
          `listing writes ${round1Writes.length} in round 1, ${writes.length} in all, by replica ${JSON.stringify(Object.fromEntries([...new Set(writes.map((w) => w.call.from))].map((from) => [from, writes.filter((w) => w.call.from === from).length])))}; ` +
          `searchOrders by ${JSON.stringify([...new Set(callers)].map((from) => [from, callers.filter((c) => c === from).length]))}, ${handovers} handover(s); killed ${doomed.join(', ')} (${feedsOnKilledInventory} stock feeds were on inventory#2)`,
      );
    } catch (error) {
      keepLogs = true;
      throw error;
    }
  }, 300_000);
});
