/**
 * The order reader gathers notified orders into one search. While the application's call budget is
 * low (a storm spent its burst), it gathers for longer: one call per order would take the whole
 * refill and leave the listing writes none.
 */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../kit/logger.ts';
import type { MlOrder } from './api-types.ts';
import type { MercadoLivreClient } from './client.ts';
import { BatchedOrderReader } from './order-reader.ts';

function platform(budgetLow: boolean) {
  const calls: string[] = [];
  const orderOf = (id: string) => ({ id: Number(id), status: 'paid', last_updated: new Date().toISOString(), date_closed: new Date().toISOString() }) as unknown as MlOrder;
  const client = {
    budgetLow: () => budgetLow,
    order: async (id: string) => {
      calls.push(`GET /orders/${id}`);
      return orderOf(id);
    },
    searchOrders: async () => {
      calls.push('GET /orders/search');
      return { results: ['1', '2', '3'].map(orderOf), paging: { total: 3, offset: 0, limit: 50 } };
    },
  } as unknown as MercadoLivreClient;
  return { client, calls };
}

async function askSpaced(reader: BatchedOrderReader): Promise<Array<MlOrder | null>> {
  const reads: Array<Promise<MlOrder | null>> = [];
  for (const id of ['1', '2', '3']) {
    reads.push(reader.order(id, Date.now()));
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return Promise.all(reads);
}

describe('Mercado Livre order reader', () => {
  it('reads orders notified 150 ms apart with a GET each while the budget lasts', async () => {
    const { client, calls } = platform(false);
    const orders = await askSpaced(new BatchedOrderReader({ client, log: createLogger('test', 'silent'), windowMs: 50, lowBudgetWindowMs: 1000 }));
    expect(orders.map((order) => order?.id)).toEqual([1, 2, 3]);
    expect(calls).toEqual(['GET /orders/1', 'GET /orders/2', 'GET /orders/3']);
  });

  it('gathers them into one search while the budget is low', async () => {
    const { client, calls } = platform(true);
    const orders = await askSpaced(new BatchedOrderReader({ client, log: createLogger('test', 'silent'), windowMs: 50, lowBudgetWindowMs: 1000 }));
    expect(orders.map((order) => order?.id)).toEqual([1, 2, 3]);
    expect(calls).toEqual(['GET /orders/search']);
  });
});
