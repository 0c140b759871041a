import DataLoader from 'dataloader';
import type { Database, SqlClient } from '../../kit/database.ts';
import type { Logger } from '../../kit/logger.ts';
import type { Principal } from '../../kit/principal.ts';
import type { FulfilmentRow, OrderLineRow, OrderPage, OrderRow, OrderStatusChangeRow } from './models.ts';
import type { OrderEventRelay } from './outbox/order-event-relay.ts';
import * as repository from './repositories/order-repository.ts';
import type { OrderBook } from './services/order-book.ts';

export interface OrdersContext {
  db: Database;
  orders: OrderBook;
  orderEvents: OrderEventRelay;
  loaders: OrdersLoaders;
  /** The caller as the subgraph server authenticated it; undefined only without a gateway secret (development). */
  principal: Principal | undefined;
  log: Logger;
}

/** Per-request batching behind every entity reference and list field. */
export function createOrdersLoaders(db: SqlClient) {
  const grouped = <Row extends { orderId: string }>(rows: Row[], ids: readonly string[]) => {
    const groups = new Map<string, Row[]>(ids.map((id) => [id, []]));
    for (const row of rows) groups.get(row.orderId)?.push(row);
    return ids.map((id) => groups.get(id) ?? []);
  };
  /** Key: `${first}|${after ?? ''}|${key}`; one statement per distinct page shape. */
  const pages = (by: 'sku' | 'customer') =>
    new DataLoader<string, OrderPage>(async (keys) => {
      const shapes = new Map<string, { first: number; after: string | null; keys: string[] }>();
      for (const key of keys) {
        const [first = '20', after = '', ...rest] = key.split('|');
        const shape = `${first}|${after}`;
        const entry = shapes.get(shape) ?? { first: Number(first), after: after || null, keys: [] };
        entry.keys.push(rest.join('|'));
        shapes.set(shape, entry);
      }
      const results = new Map<string, OrderPage>();
      for (const [shape, { first, after, keys: entityKeys }] of shapes) {
        const found = await repository.orderPagesFor(db, by, entityKeys, first, after);
        entityKeys.forEach((entityKey, index) => results.set(`${shape}|${entityKey}`, found[index]!));
      }
      return keys.map((key) => results.get(key)!);
    });
  const order = new DataLoader<string, OrderRow | null>(async (ids) => {
    const index = new Map((await repository.ordersByIds(db, ids)).map((row) => [row.id, row]));
    return ids.map((id) => index.get(id) ?? null);
  });
  return {
    order,
    lines: new DataLoader<string, OrderLineRow[]>(async (ids) => grouped(await repository.linesForOrders(db, ids), ids)),
    statusHistory: new DataLoader<string, OrderStatusChangeRow[]>(async (ids) => grouped(await repository.statusChangesForOrders(db, ids), ids)),
    fulfilments: new DataLoader<string, FulfilmentRow[]>(async (ids) => grouped(await repository.fulfilmentsForOrders(db, ids), ids)),
    orderByReservation: new DataLoader<string, OrderRow | null>(async (ids) => {
      const rows = await repository.ordersByReservation(db, ids);
      const index = new Map(rows.map(({ reservationId, ...row }) => [reservationId, row]));
      for (const row of index.values()) order.prime(row.id, row);
      return ids.map((id) => index.get(id) ?? null);
    }),
    ordersBySku: pages('sku'),
    ordersByCustomer: pages('customer'),
  };
}

export type OrdersLoaders = ReturnType<typeof createOrdersLoaders>;

export function createOrdersContext(deps: Omit<OrdersContext, 'loaders' | 'principal'>, principal: Principal | undefined): OrdersContext {
  return { ...deps, principal, loaders: createOrdersLoaders(deps.db) };
}
