import { envelop, useEngine, useSchema, type Plugin } from '@envelop/core';
import { assertObjectType, buildSchema, execute, parse, subscribe, validate, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { principalFor } from '../../kit/identity.ts';
import type { Principal } from '../../kit/principal.ts';
import { SUBSCRIBER_TOO_SLOW, useSubscriptionFanOut } from './use-subscription-fan-out.ts';

/**
 * The plugin on envelop with graphql-js and a stock feed the test drives: every upstream
 * subscription is counted and its events pushed by hand, so sharing, order and a subscriber that
 * stops reading are exact, with no network in between.
 */
function system(maxBufferedEvents = 100) {
  const feeds = new Set<{ sku: string; push(event: { sku: string; onHand: number }): void }>();
  let upstreamStarts = 0;
  let evaluations = 0;
  const schema = buildSchema(`
    type StockChangedEvent { sku: ID! onHand: Int! title: String! }
    type Query { ok: Boolean }
    type Subscription { stockChanged(sku: ID!): StockChangedEvent! }
  `);
  const Subscription = schema.getSubscriptionType()!.getFields();
  Subscription['stockChanged']!.subscribe = (_root, { sku }: { sku: string }) => {
    upstreamStarts++;
    const waiting: Array<(event: IteratorResult<unknown>) => void> = [];
    const queued: unknown[] = [];
    const feed = { sku, push: (event: { sku: string; onHand: number }) => (waiting.length ? waiting.shift()!({ value: { stockChanged: event }, done: false }) : queued.push({ stockChanged: event })) };
    feeds.add(feed);
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      next: () => (queued.length ? Promise.resolve({ value: queued.shift(), done: false }) : new Promise((resolve) => waiting.push(resolve))),
      return: () => {
        feeds.delete(feed);
        for (const resolve of waiting.splice(0)) resolve({ value: undefined, done: true });
        return Promise.resolve({ value: undefined, done: true });
      },
    } as AsyncIterableIterator<unknown>;
  };
  // The entity fetch each event costs (the catalog's title at the gateway): counted per event.
  assertObjectType(schema.getType('StockChangedEvent')).getFields()['title']!.resolve = ({ sku }: { sku: string }) => {
    evaluations++;
    return `title of ${sku}`;
  };
  const fanOut = useSubscriptionFanOut({ maxBufferedEvents });
  const getEnveloped = envelop({ plugins: [useEngine({ parse, validate, execute, subscribe }), useSchema(schema), fanOut as unknown as Plugin] });
  const QUERY = 'subscription Follow($sku: ID!) { stockChanged(sku: $sku) { sku onHand title } }';

  async function follow(sku: string, principal: Principal | undefined, query = QUERY): Promise<AsyncIterableIterator<ExecutionResult>> {
    const { subscribe: run, parse: parseDocument, contextFactory, schema: enveloped } = getEnveloped({ principal });
    const result = await run({ schema: enveloped, document: parseDocument(query), variableValues: { sku }, contextValue: await contextFactory() });
    if (!(Symbol.asyncIterator in (result as object))) throw new Error(`refused: ${JSON.stringify(result)}`);
    return result as AsyncIterableIterator<ExecutionResult>;
  }
  const publish = (sku: string, onHand: number) => {
    for (const feed of feeds) if (feed.sku === sku) feed.push({ sku, onHand });
  };
  return { follow, publish, fanOut, QUERY, upstreamStarts: () => upstreamStarts, evaluations: () => evaluations, openUpstreams: () => feeds.size };
}

const internal = principalFor('internal', { id: 'key:app-1', name: 'app-1' });
const sameRightsOtherKey = principalFor('internal', { id: 'key:app-2', name: 'app-2' });
const operator = principalFor('operator', { id: 'key:ops', name: 'ops' });

async function take(iterator: AsyncIterator<ExecutionResult>, count: number): Promise<ExecutionResult[]> {
  const results: ExecutionResult[] = [];
  for (let i = 0; i < count; i++) {
    const next = await iterator.next();
    if (next.done) break;
    results.push(next.value);
  }
  return results;
}

describe('useSubscriptionFanOut', () => {
  it('serves identical subscriptions with the same rights from one upstream, every event once, in order, evaluated once', async () => {
    const ponte = system();
    const subscribers = await Promise.all(Array.from({ length: 20 }, (_, i) => ponte.follow('CAM-BASICA-M', i % 2 ? internal : sameRightsOtherKey)));
    expect(ponte.upstreamStarts()).toBe(1);
    expect(ponte.fanOut.stats()).toMatchObject({ upstreams: 1, subscribers: 20 });
    for (let onHand = 1; onHand <= 5; onHand++) ponte.publish('CAM-BASICA-M', onHand);
    for (const subscriber of subscribers) {
      const events = await take(subscriber, 5);
      expect(events.map((event) => (event.data as { stockChanged: { onHand: number } }).stockChanged.onHand)).toEqual([1, 2, 3, 4, 5]);
      expect(events[0]!.data).toEqual({ stockChanged: { sku: 'CAM-BASICA-M', onHand: 1, title: 'title of CAM-BASICA-M' } });
    }
    expect(ponte.evaluations()).toBe(5);
    for (const subscriber of subscribers) await subscriber.return!();
  });

  it('does not share between different variables, documents or rights', async () => {
    const ponte = system();
    const a = await ponte.follow('CAM-BASICA-M', internal);
    const otherSku = await ponte.follow('TEN-CORRIDA-40', internal);
    const otherRights = await ponte.follow('CAM-BASICA-M', operator);
    const restricted = await ponte.follow('CAM-BASICA-M', { ...internal, channels: ['shopify-br'] });
    const anonymous = await ponte.follow('CAM-BASICA-M', undefined);
    const otherDocument = await ponte.follow('CAM-BASICA-M', internal, 'subscription Follow($sku: ID!) { stockChanged(sku: $sku) { sku onHand } }');
    expect(ponte.upstreamStarts()).toBe(6);
    ponte.publish('CAM-BASICA-M', 7);
    ponte.publish('TEN-CORRIDA-40', 3);
    expect((await take(otherSku, 1))[0]!.data).toMatchObject({ stockChanged: { sku: 'TEN-CORRIDA-40', onHand: 3 } });
    for (const subscriber of [a, otherRights, restricted, anonymous, otherDocument]) expect((await take(subscriber, 1))[0]!.data).toMatchObject({ stockChanged: { onHand: 7 } });
    for (const subscriber of [a, otherSku, otherRights, restricted, anonymous, otherDocument]) await subscriber.return!();
  });

  it('ends the upstream when its last subscriber leaves, and starts a new one for the next', async () => {
    const ponte = system();
    const first = await ponte.follow('CAM-BASICA-M', internal);
    const second = await ponte.follow('CAM-BASICA-M', internal);
    expect(ponte.openUpstreams()).toBe(1);
    await first.return!();
    expect(ponte.openUpstreams()).toBe(1);
    ponte.publish('CAM-BASICA-M', 1);
    expect((await take(second, 1)).length).toBe(1);
    await second.return!();
    expect(ponte.openUpstreams()).toBe(0);
    expect(ponte.fanOut.stats()).toMatchObject({ upstreams: 0, subscribers: 0 });

    const third = await ponte.follow('CAM-BASICA-M', internal);
    expect(ponte.upstreamStarts()).toBe(2);
    ponte.publish('CAM-BASICA-M', 2);
    expect((await take(third, 1))[0]!.data).toMatchObject({ stockChanged: { onHand: 2 } });
    await third.return!();
  });

  it('ends a subscriber that stops reading with SUBSCRIBER_TOO_SLOW, and the others get every event', async () => {
    const ponte = system(3);
    const slow = await ponte.follow('CAM-BASICA-M', internal);
    const reader = await ponte.follow('CAM-BASICA-M', internal);
    const received: number[] = [];
    for (let onHand = 1; onHand <= 10; onHand++) {
      ponte.publish('CAM-BASICA-M', onHand);
      received.push(...(await take(reader, 1)).map((event) => (event.data as { stockChanged: { onHand: number } }).stockChanged.onHand));
    }
    expect(received).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const last = await slow.next();
    expect(last.value).toEqual({ errors: [expect.objectContaining({ extensions: { code: SUBSCRIBER_TOO_SLOW } })] });
    expect((await slow.next()).done).toBe(true);
    expect(ponte.fanOut.stats()).toEqual({ upstreams: 1, subscribers: 1, droppedSlow: 1 });
    await reader.return!();
    expect(ponte.openUpstreams()).toBe(0);
  });
});
