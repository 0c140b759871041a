// The console's commerce views: orders across channels, customer profiles, and the insights
// figures with their CSV exports. Each reads with the operator's key only what its view shows,
// in queries split along the scopes the schema asks for (orders:read, reservations:read,
// customers:read, insights:read): the gateway refuses an operation whole when one field is not
// allowed, so a key without one scope still sees what the others let it read, and a refusal is
// said in words rather than as a broken panel. Every datum is put into the page as text (htm
// and Preact create text nodes), never as markup.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { GraphQLFailure, graphql, html } from './lib.js';

const ORDERS_PER_PAGE = 20;
const CUSTOMER_ORDERS_PER_PAGE = 10;
const TOP_PRODUCTS = 5;
/** The insights' default period, in days ending today. */
const INSIGHTS_DAYS = 30;
const ORDER_STATUSES = ['OPEN', 'PARTIALLY_FULFILLED', 'FULFILLED', 'CANCELLED'];

/** The CSV exports the console offers, as the insights service names them (subgraphs/insights/csv.ts). */
const EXPORTS = [
  { report: 'sales', label: 'Sales by day and channel', query: (range) => ({ from: range.from, to: range.to, groupBy: 'day,channel' }) },
  { report: 'average-order-value', label: 'Average order value', query: (range) => ({ from: range.from, to: range.to }) },
  { report: 'gross-margin', label: 'Gross margin', query: (range) => ({ from: range.from, to: range.to }) },
  // Lifetime figures of every customer so far, as the page's repeat rate is.
  { report: 'customer-value', label: 'Customer value and repeat rate, every customer so far', query: () => ({}) },
];

// ---------------------------------------------------------------------------------------------
// Formatting

function money(cents, currency) {
  if (cents == null) return '—';
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).format(cents / 100);
  } catch {
    // A currency code Intl does not know is still shown, as the platform gave it.
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}

function Money({ cents, currency }) {
  return html`<span class="money" data-cents=${cents}>${money(cents, currency)}</span>`;
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '—';
}

function percent(share) {
  return `${(share * 100).toFixed(1)} %`;
}

const pad = (value) => String(value).padStart(2, '0');

/** A calendar day in the browser's time zone, as ISO (YYYY-MM-DD). */
function localDay(date = new Date()) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function addDays(day, days) {
  const date = new Date(`${day}T00:00:00`);
  date.setDate(date.getDate() + days);
  return localDay(date);
}

/** The instant a local calendar day starts, as the orders' placedFrom / placedTo take it. */
function dayStart(day) {
  return new Date(`${day}T00:00:00`).toISOString();
}

/** Only web links are made clickable: a tracking URL is the platform's data, and `javascript:` is not a parcel. */
function safeWebUrl(url) {
  return typeof url === 'string' && /^https?:\/\//i.test(url) ? url : null;
}

const STATUS_TONE = { OPEN: 'warn', PARTIALLY_FULFILLED: 'warn', FULFILLED: 'good', CANCELLED: 'muted', ACTIVE: 'good', MERGED: 'muted', ERASED: 'muted' };

function StatusBadge({ status }) {
  return html`<span class=${`badge ${STATUS_TONE[status] ?? ''}`} data-status=${status}>${status.toLowerCase().replace(/_/g, ' ')}</span>`;
}

// ---------------------------------------------------------------------------------------------
// Loading and refusals

/**
 * A view's answer: `{ state: 'loading' | 'ready' | 'refused' | 'failed', data, failure }`.
 * FORBIDDEN is a refusal of this key, said as such; anything else is a failure to retry.
 */
function settle(failure) {
  return { state: failure.code === 'FORBIDDEN' ? 'refused' : 'failed', data: null, failure };
}

async function ask(apiKey, query, variables) {
  const { data, errors } = await graphql(apiKey, query, variables);
  // The gateway answers a refused operation with no data; a partial answer is a failure of a subgraph.
  if (errors.length > 0 && errors[0].extensions?.code === 'FORBIDDEN') throw new GraphQLFailure(errors[0].message, 'FORBIDDEN');
  return { data, errors };
}

function Refusal({ what, scope, failure }) {
  return html`<div class="refusal" role="alert" data-refused=${scope}>
    <strong>This key may not ${what}.</strong> It needs the <code>${scope}</code> scope: sign in with a key whose role has it (an operator's), or ask an admin.
    ${failure?.message ? html`<p class="muted small">${failure.message}</p>` : null}
  </div>`;
}

function Answer({ answer, what, scope, children }) {
  // The content is a function of the answer, called only once the answer is there.
  const content = Array.isArray(children) ? children.find((child) => typeof child === 'function') : children;
  if (answer.state === 'loading') return html`<p class="muted" role="status">Loading…</p>`;
  if (answer.state === 'refused') return html`<${Refusal} what=${what} scope=${scope} failure=${answer.failure} />`;
  if (answer.state === 'failed') return html`<p class="error" role="alert">${answer.failure.message}</p>`;
  return content();
}

// ---------------------------------------------------------------------------------------------
// Orders across channels

const ORDER_ROW_FIELDS = 'id channel { id } platform platformOrderId placedAt status currency totals { total { amountInCents } } lines { quantity }';

function OrderRows({ orders, selected, onOpenOrder }) {
  return html`<div class="table-wrap">
    <table class="data-table orders-table">
      <thead><tr><th>Placed</th><th>Channel</th><th>Order</th><th>Status</th><th class="num">Units</th><th class="num">Total</th></tr></thead>
      <tbody>
        ${orders.map((order) => html`<tr key=${order.id} data-order=${order.id} class=${order.id === selected ? 'selected' : ''}>
          <td class="small">${when(order.placedAt)}</td>
          <td data-role="channel">${order.channel.id}</td>
          <td><button class="link" onClick=${() => onOpenOrder(order.id)} data-role="open-order">${order.platformOrderId}</button></td>
          <td><${StatusBadge} status=${order.status} /></td>
          <td class="num">${order.lines.reduce((sum, line) => sum + line.quantity, 0)}</td>
          <td class="num"><${Money} cents=${order.totals.total.amountInCents} currency=${order.currency} /></td>
        </tr>`)}
      </tbody>
    </table>
  </div>`;
}

export function OrdersView({ apiKey, orderId, onOpenOrder, onOpenCustomer }) {
  const [channels, setChannels] = useState([]);
  const [draft, setDraft] = useState({ channel: '', status: '', from: '', to: '' });
  const [list, setList] = useState({ state: 'loading', data: null, failure: null });
  const [more, setMore] = useState(false);

  const filterOf = (form) => {
    const filter = {};
    if (form.channel) filter.channel = form.channel;
    if (form.status) filter.status = form.status;
    if (form.from) filter.placedFrom = dayStart(form.from);
    // The range includes its last day: orders placed before the next day starts.
    if (form.to) filter.placedTo = dayStart(addDays(form.to, 1));
    return filter;
  };

  const load = useCallback(async (form, after, known) => {
    try {
      const { data, errors } = await ask(apiKey, `query ConsoleOrders($filter: OrderFilter, $first: Int!, $after: String) {
        orders(filter: $filter, first: $first, after: $after) { nodes { ${ORDER_ROW_FIELDS} } pageInfo { endCursor hasNextPage } }
      }`, { filter: filterOf(form), first: ORDERS_PER_PAGE, after });
      if (!data.orders) throw new GraphQLFailure(errors[0]?.message ?? 'The orders could not be read', errors[0]?.extensions?.code);
      setList({ state: 'ready', failure: null, data: { orders: [...(known ?? []), ...data.orders.nodes], pageInfo: data.orders.pageInfo, form } });
    } catch (failure) {
      setList(settle(failure));
    }
  }, [apiKey]);

  useEffect(() => {
    load(draft, null, null);
    // The channel list is the catalog's (catalog:read): without it, the filter is left out, not the orders.
    graphql(apiKey, '{ channels { id name } }').then(({ data }) => setChannels(data.channels ?? []), () => setChannels([]));
  }, [apiKey]);

  const onFilter = (event) => {
    event.preventDefault();
    setList((current) => ({ ...current, state: 'loading' }));
    load(draft, null, null);
  };
  const onMore = async () => {
    setMore(true);
    await load(list.data.form, list.data.pageInfo.endCursor, list.data.orders);
    setMore(false);
  };
  const field = (name) => (event) => setDraft({ ...draft, [name]: event.currentTarget.value });

  return html`<div class="columns">
    <section class="panel" id="orders" aria-labelledby="orders-title">
      <h2 id="orders-title">Orders <span class="muted small">newest first, every channel</span></h2>
      <form class="filters" onSubmit=${onFilter} aria-label="Filter orders">
        <label>Channel
          <select name="channel" value=${draft.channel} onChange=${field('channel')}>
            <option value="">All channels</option>
            ${channels.map((channel) => html`<option key=${channel.id} value=${channel.id}>${channel.name ?? channel.id}</option>`)}
          </select>
        </label>
        <label>Status
          <select name="status" value=${draft.status} onChange=${field('status')}>
            <option value="">Any status</option>
            ${ORDER_STATUSES.map((status) => html`<option key=${status} value=${status}>${status.toLowerCase().replace(/_/g, ' ')}</option>`)}
          </select>
        </label>
        <label>Placed from <input type="date" name="from" value=${draft.from} onInput=${field('from')} /></label>
        <label>to <input type="date" name="to" value=${draft.to} onInput=${field('to')} /></label>
        <button type="submit">Show orders</button>
      </form>
      <${Answer} answer=${list} what="read orders" scope="orders:read">${() => html`
        ${list.data.orders.length === 0 ? html`<p class="muted" data-testid="no-orders">No order matches.</p>` : html`<${OrderRows} orders=${list.data.orders} selected=${orderId} onOpenOrder=${onOpenOrder} />`}
        ${list.data.pageInfo.hasNextPage ? html`<button class="secondary" disabled=${more} onClick=${onMore}>More orders</button>` : null}
      `}<//>
    </section>
    <div class="column">
      ${orderId ? html`<${OrderDetail} key=${orderId} apiKey=${apiKey} id=${orderId} onOpenCustomer=${onOpenCustomer} onClose=${() => onOpenOrder(null)} />` : null}
    </div>
  </div>`;
}

function OrderDetail({ apiKey, id, onOpenCustomer, onClose }) {
  const [answer, setAnswer] = useState({ state: 'loading', data: null, failure: null });
  const [routing, setRouting] = useState({ state: 'loading', data: null, failure: null });

  useEffect(() => {
    ask(apiKey, `query ConsoleOrder($id: ID!) {
      order(id: $id) {
        id channel { id } platform platformOrderId placedAt updatedAt recordedAt status currency
        statusHistory { status at source }
        lines { lineId sku quantity status unitPrice { amountInCents } discount { amountInCents } total { amountInCents } }
        totals { subtotal { amountInCents } discounts { amountInCents } shipping { amountInCents } tax { amountInCents } total { amountInCents } }
        shipTo { postalCode }
        customer { id }
        fulfilments { id carrier trackingCode trackingUrl at source lines { lineId quantity } }
      }
    }`, { id }).then(({ data, errors }) => setAnswer(data.order ? { state: 'ready', data: data.order, failure: null } : settle(new GraphQLFailure(errors[0]?.message ?? `There is no order ${id}`, errors[0]?.extensions?.code))), (failure) => setAnswer(settle(failure)));
    // Routing is the inventory's (reservations:read), asked apart so the order shows without it.
    ask(apiKey, `query ConsoleOrderRouting($id: ID!) {
      order(id: $id) { lines { lineId reservation { id status deliverTo { postalCode } lines { quantity routing { location { id } quantity reason distanceKm } } } } }
    }`, { id }).then(({ data }) => setRouting({ state: 'ready', failure: null, data: Object.fromEntries((data.order?.lines ?? []).map((line) => [line.lineId, line.reservation])) }), (failure) => setRouting(settle(failure)));
  }, [apiKey, id]);

  return html`<section class="panel order-detail" id="order-detail" aria-labelledby="order-detail-title" data-order=${id}>
    <header class="panel-head">
      <h2 id="order-detail-title">Order ${answer.data ? html`<span data-role="platform-order-id">${answer.data.platformOrderId}</span>` : null}</h2>
      <button class="secondary" onClick=${onClose}>Close</button>
    </header>
    <${Answer} answer=${answer} what="read orders" scope="orders:read">${() => {
      const order = answer.data;
      const currency = order.currency;
      return html`
        <p><${StatusBadge} status=${order.status} /> on <strong data-role="channel">${order.channel.id}</strong> <span class="muted small">(${order.platform})</span> · <span data-role="currency">${currency}</span></p>
        <p class="small muted">Placed ${when(order.placedAt)} · recorded ${when(order.recordedAt)}${order.shipTo ? html` · ships to CEP <span data-role="cep">${order.shipTo.postalCode}</span>` : null}</p>
        <p class="small" data-role="customer">${order.customer
          ? html`Customer <button class="link" data-customer=${order.customer.id} onClick=${() => onOpenCustomer(order.customer.id)}>${order.customer.id}</button>`
          : html`<span class="muted">No customer profile matched (or it was erased).</span>`}</p>

        <h3>Lines</h3>
        <div class="table-wrap">
          <table class="data-table">
            <thead><tr><th>SKU</th><th class="num">Qty</th><th>Status</th><th class="num">Unit</th><th class="num">Discount</th><th class="num">Total</th></tr></thead>
            <tbody>
              ${order.lines.map((line) => html`<tr key=${line.lineId} data-line=${line.lineId}>
                <td><span class="sku">${line.sku ?? '(no SKU)'}</span></td>
                <td class="num">${line.quantity}</td>
                <td><${StatusBadge} status=${line.status} /></td>
                <td class="num"><${Money} cents=${line.unitPrice.amountInCents} currency=${currency} /></td>
                <td class="num"><${Money} cents=${line.discount.amountInCents} currency=${currency} /></td>
                <td class="num"><${Money} cents=${line.total.amountInCents} currency=${currency} /></td>
              </tr>`)}
            </tbody>
          </table>
        </div>

        <dl class="totals" data-role="totals">
          ${[['Subtotal', order.totals.subtotal], ['Discounts', order.totals.discounts], ['Shipping', order.totals.shipping], ['Tax', order.totals.tax], ['Total', order.totals.total]].map(([label, amount]) => html`<div key=${label} data-total=${label.toLowerCase()}>
            <dt>${label}</dt><dd><${Money} cents=${amount.amountInCents} currency=${currency} /></dd>
          </div>`)}
        </dl>

        <h3>Routing</h3>
        <${Answer} answer=${routing} what="read reservations (where each line ships from)" scope="reservations:read">${() => html`<ul class="plain-list routing" data-role="routing">
          ${order.lines.map((line) => {
            const reservation = routing.data[line.lineId];
            if (!reservation) return html`<li key=${line.lineId} class="small muted">${line.sku ?? line.lineId}: no reservation</li>`;
            return reservation.lines.map((part, index) => html`<li key=${`${line.lineId}:${index}`} class="small" data-routing=${line.lineId}>
              <span class="sku">${line.sku}</span> × ${part.routing.quantity} from <strong data-role="location">${part.routing.location.id}</strong>
              <span class="muted"> · <span data-role="reason">${part.routing.reason}</span></span>
            </li>`);
          })}
        </ul>`}<//>

        <h3>Status</h3>
        <ol class="timeline" data-role="timeline">
          ${order.statusHistory.map((change, index) => html`<li key=${index} data-status=${change.status}>
            <${StatusBadge} status=${change.status} /> <span class="small">${when(change.at)}</span> <span class="muted small">by ${change.source}</span>
          </li>`)}
        </ol>

        <h3>Fulfilment</h3>
        ${order.fulfilments.length === 0 ? html`<p class="muted small" data-role="no-fulfilment">Nothing shipped yet.</p>` : html`<ul class="plain-list" data-role="fulfilments">
          ${order.fulfilments.map((parcel) => {
            const url = safeWebUrl(parcel.trackingUrl);
            return html`<li key=${parcel.id} data-fulfilment=${parcel.id} class="small">
              <strong>${parcel.carrier}</strong> ${url ? html`<a href=${url} target="_blank" rel="noopener noreferrer" data-role="tracking">${parcel.trackingCode}</a>` : html`<span data-role="tracking">${parcel.trackingCode}</span>`}
              <span class="muted"> · ${when(parcel.at)} · by ${parcel.source} · ${parcel.lines.map((line) => `line ${line.lineId} × ${line.quantity}`).join(', ')}</span>
            </li>`;
          })}
        </ul>`}
      `;
    }}<//>
  </section>`;
}

// ---------------------------------------------------------------------------------------------
// Customers: found through the blind index, never listed

const SEARCH_KINDS = [
  { id: 'email', label: 'E-mail', type: 'email', placeholder: 'ana@example.com' },
  { id: 'cpf', label: 'CPF', type: 'text', placeholder: '000.000.000-00' },
  { id: 'phone', label: 'Phone', type: 'tel', placeholder: '+55 11 98765-4321' },
];

export function CustomersView({ apiKey, customerId, onOpenCustomer, onOpenOrder }) {
  const [kind, setKind] = useState('email');
  const [value, setValue] = useState('');
  const [found, setFound] = useState(null);

  const onSearch = async (event) => {
    event.preventDefault();
    if (!value.trim()) return;
    setFound({ state: 'loading', data: null, failure: null });
    try {
      const { data, errors } = await ask(apiKey, `query ConsoleFindCustomers($search: CustomerSearch!) {
        customers(search: $search) { id status name { value } email { value } channels }
      }`, { search: { [kind]: value.trim() } });
      if (!data.customers) throw new GraphQLFailure(errors[0]?.message ?? 'The search failed', errors[0]?.extensions?.code);
      setFound({ state: 'ready', data: data.customers, failure: null });
    } catch (failure) {
      setFound(settle(failure));
    }
  };
  const chosen = SEARCH_KINDS.find((each) => each.id === kind);

  return html`<div class="columns">
    <section class="panel" id="customers" aria-labelledby="customers-title">
      <h2 id="customers-title">Customers</h2>
      <form class="filters" onSubmit=${onSearch} aria-label="Find a customer">
        <label>By
          <select name="kind" value=${kind} onChange=${(event) => setKind(event.currentTarget.value)}>
            ${SEARCH_KINDS.map((each) => html`<option key=${each.id} value=${each.id}>${each.label}</option>`)}
          </select>
        </label>
        <label class="grow">${chosen.label}
          <input name="search" type=${chosen.type} autocomplete="off" placeholder=${chosen.placeholder} value=${value} onInput=${(event) => setValue(event.currentTarget.value)} />
        </label>
        <button type="submit">Find</button>
      </form>
      <p class="muted small">Found by an exact match only (through the blind index): profiles cannot be listed or browsed.</p>
      ${found ? html`<${Answer} answer=${found} what="read customer profiles" scope="customers:read">${() => found.data.length === 0
        ? html`<p class="muted" data-testid="no-customers">No profile has that ${chosen.label.toLowerCase()}.</p>`
        : html`<ul class="plain-list" data-role="found">
            ${found.data.map((customer) => html`<li key=${customer.id} data-customer=${customer.id}>
              <button class="link" onClick=${() => onOpenCustomer(customer.id)}>${customer.name?.value ?? customer.id}</button>
              <span class="muted small"> ${customer.email?.value ?? ''} · ${customer.channels.join(', ') || 'no channel'}</span>
              ${customer.status !== 'ACTIVE' ? html` <${StatusBadge} status=${customer.status} />` : null}
            </li>`)}
          </ul>`}<//>` : null}
    </section>
    <div class="column">
      ${customerId ? html`<${CustomerProfile} key=${customerId} apiKey=${apiKey} id=${customerId} onOpenCustomer=${onOpenCustomer} onOpenOrder=${onOpenOrder} onClose=${() => onOpenCustomer(null)} />` : null}
    </div>
  </div>`;
}

function Sourced({ field }) {
  if (!field) return html`<span class="muted">—</span>`;
  const source = field.source.kind === 'OPERATOR' ? `corrected by ${field.source.operator}` : `from ${field.source.channel}`;
  return html`${field.value} <span class="muted small">(${source})</span>`;
}

function CustomerProfile({ apiKey, id, onOpenCustomer, onOpenOrder, onClose }) {
  const [answer, setAnswer] = useState({ state: 'loading', data: null, failure: null });
  const [orders, setOrders] = useState({ state: 'loading', data: null, failure: null });

  const loadOrders = useCallback(async (after, known) => {
    try {
      // Through the orders' own filter (orders:read), not `customer { orders }`: the profile's
      // customers:read is not needed to see which orders a customer id placed.
      const { data, errors } = await ask(apiKey, `query ConsoleCustomerOrders($filter: OrderFilter!, $first: Int!, $after: String) {
        orders(filter: $filter, first: $first, after: $after) { nodes { ${ORDER_ROW_FIELDS} } pageInfo { endCursor hasNextPage } }
      }`, { filter: { customerId: id }, first: CUSTOMER_ORDERS_PER_PAGE, after });
      if (!data.orders) throw new GraphQLFailure(errors[0]?.message ?? 'The orders could not be read', errors[0]?.extensions?.code);
      setOrders({ state: 'ready', failure: null, data: { orders: [...(known ?? []), ...data.orders.nodes], pageInfo: data.orders.pageInfo } });
    } catch (failure) {
      setOrders(settle(failure));
    }
  }, [apiKey, id]);

  useEffect(() => {
    const sourced = 'value source { kind channel operator observedAt }';
    ask(apiKey, `query ConsoleCustomer($id: ID!) {
      customer(id: $id) {
        id status erased erasedAt mergedInto { id }
        name { ${sourced} } email { ${sourced} } phone { ${sourced} } cpf { ${sourced} }
        address { value { street number complement district city state postalCode country } source { kind channel operator observedAt } }
        channels identities { channel platformCustomerId firstSeenAt lastSeenAt } createdAt updatedAt
      }
    }`, { id }).then(({ data, errors }) => setAnswer(data.customer ? { state: 'ready', data: data.customer, failure: null } : settle(new GraphQLFailure(errors[0]?.message ?? `There is no customer ${id}`, errors[0]?.extensions?.code))), (failure) => setAnswer(settle(failure)));
    loadOrders(null, null);
  }, [apiKey, id]);

  return html`<section class="panel customer-profile" id="customer-profile" aria-labelledby="customer-title" data-customer=${id}>
    <header class="panel-head">
      <h2 id="customer-title">Customer <span class="muted small">${id}</span></h2>
      <button class="secondary" onClick=${onClose}>Close</button>
    </header>
    <${Answer} answer=${answer} what="read customer profiles" scope="customers:read">${() => {
      const customer = answer.data;
      const address = customer.address?.value;
      return html`
        <p><${StatusBadge} status=${customer.status} />
          ${customer.mergedInto ? html` merged into <button class="link" onClick=${() => onOpenCustomer(customer.mergedInto.id)}>${customer.mergedInto.id}</button>` : null}
          ${customer.erased ? html` <span class="muted small">erased ${when(customer.erasedAt)}: no personal data is held</span>` : null}</p>
        <dl class="profile">
          <div><dt>Name</dt><dd data-role="name"><${Sourced} field=${customer.name} /></dd></div>
          <div><dt>E-mail</dt><dd data-role="email"><${Sourced} field=${customer.email} /></dd></div>
          <div><dt>Phone</dt><dd data-role="phone"><${Sourced} field=${customer.phone} /></dd></div>
          <div><dt>CPF</dt><dd data-role="cpf"><${Sourced} field=${customer.cpf} /></dd></div>
          <div><dt>Address</dt><dd data-role="address">${address
            ? [address.street, address.number, address.complement, address.district, address.city, address.state, address.postalCode, address.country].filter(Boolean).join(', ')
            : html`<span class="muted">—</span>`}</dd></div>
          <div><dt>Channels</dt><dd data-role="channels">${customer.channels.length ? customer.channels.map((channel) => html`<span key=${channel} class="badge" data-channel=${channel}>${channel}</span> `) : html`<span class="muted">—</span>`}</dd></div>
        </dl>
        <h3>Seen as</h3>
        <ul class="plain-list small">
          ${customer.identities.map((identity, index) => html`<li key=${index}>${identity.channel}${identity.platformCustomerId ? html` · <span class="sku">${identity.platformCustomerId}</span>` : html` <span class="muted">(guest)</span>`}
            <span class="muted"> · ${when(identity.firstSeenAt)} → ${when(identity.lastSeenAt)}</span></li>`)}
        </ul>`;
    }}<//>
    <h3>Orders</h3>
    <${Answer} answer=${orders} what="read orders" scope="orders:read">${() => html`
      ${orders.data.orders.length === 0 ? html`<p class="muted small">No order.</p>` : html`<${OrderRows} orders=${orders.data.orders} selected=${null} onOpenOrder=${onOpenOrder} />`}
      ${orders.data.pageInfo.hasNextPage ? html`<button class="secondary" onClick=${() => loadOrders(orders.data.pageInfo.endCursor, orders.data.orders)}>More orders</button>` : null}
    `}<//>
  </section>`;
}

// ---------------------------------------------------------------------------------------------
// Insights: a few figures, and the CSV exports through the gateway

/** Sums rows per currency: amounts are never converted, so each currency is its own figure. */
function perCurrency(rows, pick) {
  const sums = new Map();
  for (const row of rows) sums.set(row.currency, (sums.get(row.currency) ?? 0) + pick(row));
  return [...sums.entries()].map(([currency, cents]) => ({ currency, cents }));
}

/**
 * The exports answer CSV to `Authorization: Bearer`, like GraphQL: a plain link cannot carry the
 * key, so the file is fetched with it and handed to the browser as a download from memory.
 */
async function downloadExport(apiKey, report, query) {
  const response = await fetch(`/insights/${report}.csv?${new URLSearchParams(query)}`, { headers: { authorization: `Bearer ${apiKey}`, accept: 'text/csv' } });
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    throw new GraphQLFailure(body?.error?.message ?? `The gateway answered HTTP ${response.status}`, body?.error?.code ?? `HTTP_${response.status}`);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = `${report}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked once the browser has taken the file.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function ExportButton({ apiKey, spec, range }) {
  const [state, setState] = useState(null);
  const onDownload = async () => {
    setState({ busy: true });
    try {
      await downloadExport(apiKey, spec.report, spec.query(range));
      setState({ done: true });
    } catch (failure) {
      setState({ failure });
    }
  };
  return html`<li data-export=${spec.report}>
    <button class="secondary" disabled=${state?.busy} onClick=${onDownload}>${spec.report}.csv</button> <span class="small">${spec.label}</span>
    ${state?.done ? html` <span class="ok small" role="status">downloaded</span>` : null}
    ${state?.failure ? (state.failure.code === 'FORBIDDEN'
      ? html`<${Refusal} what="download insights exports" scope="insights:read" failure=${state.failure} />`
      : html`<p class="error small" role="alert">${state.failure.message}</p>`) : null}
  </li>`;
}

export function InsightsView({ apiKey }) {
  const today = localDay();
  const [draft, setDraft] = useState({ from: addDays(today, -(INSIGHTS_DAYS - 1)), to: today });
  const [range, setRange] = useState(draft);
  const [answer, setAnswer] = useState({ state: 'loading', data: null, failure: null });

  useEffect(() => {
    setAnswer((current) => ({ ...current, state: 'loading' }));
    ask(apiKey, `query ConsoleInsights($range: DateRangeInput!) {
      byChannel: sales(range: $range, groupBy: [CHANNEL]) { channel currency orders units revenueCents }
      byProduct: sales(range: $range, groupBy: [PRODUCT]) { sku currency orders units revenueCents }
      averageOrderValue(range: $range) { channel currency orders revenueCents averageOrderValueCents }
      customerValue { acquisitionChannel currency customers repeatCustomers repeatRate }
    }`, { range }).then(({ data, errors }) => setAnswer(data.byChannel ? { state: 'ready', data, failure: null } : settle(new GraphQLFailure(errors[0]?.message ?? 'The figures could not be read', errors[0]?.extensions?.code))), (failure) => setAnswer(settle(failure)));
  }, [apiKey, range.from, range.to]);

  const onRange = (event) => {
    event.preventDefault();
    if (draft.from && draft.to) setRange({ ...draft });
  };

  return html`<div class="insights-view">
    <section class="panel" id="insights" aria-labelledby="insights-title">
      <header class="panel-head">
        <h2 id="insights-title">Insights</h2>
        <form class="filters" onSubmit=${onRange} aria-label="Period">
          <label>From <input type="date" name="from" value=${draft.from} onInput=${(event) => setDraft({ ...draft, from: event.currentTarget.value })} required /></label>
          <label>to <input type="date" name="to" value=${draft.to} onInput=${(event) => setDraft({ ...draft, to: event.currentTarget.value })} required /></label>
          <button type="submit">Show</button>
        </form>
      </header>
      <p class="muted small">Calendar days in the merchant's time zone; amounts per currency, never converted; no personal data.</p>
      <${Answer} answer=${answer} what="read insights" scope="insights:read">${() => {
        const { byChannel, byProduct, averageOrderValue, customerValue } = answer.data;
        const revenue = perCurrency(byChannel, (row) => row.revenueCents);
        const overall = averageOrderValue.filter((row) => row.channel === null);
        const averageByChannel = new Map(averageOrderValue.filter((row) => row.channel !== null).map((row) => [`${row.channel}:${row.currency}`, row.averageOrderValueCents]));
        const customers = customerValue.reduce((sum, row) => sum + row.customers, 0);
        const repeat = customerValue.reduce((sum, row) => sum + row.repeatCustomers, 0);
        const top = [...byProduct].sort((a, b) => b.units - a.units || b.revenueCents - a.revenueCents).slice(0, TOP_PRODUCTS);
        return html`
          <dl class="figures headline" data-role="figures">
            <div data-figure="revenue"><dt>Revenue</dt><dd>${revenue.length ? revenue.map((sum) => html`<${Money} key=${sum.currency} cents=${sum.cents} currency=${sum.currency} /> `) : '—'}</dd></div>
            <div data-figure="orders"><dt>Orders</dt><dd>${byChannel.reduce((sum, row) => sum + row.orders, 0)}</dd></div>
            <div data-figure="average-order-value"><dt>Average order</dt><dd>${overall.length ? overall.map((row) => html`<${Money} key=${row.currency} cents=${row.averageOrderValueCents} currency=${row.currency} /> `) : '—'}</dd></div>
            <div data-figure="repeat-rate"><dt>Repeat rate <span class="muted">(every customer)</span></dt><dd>${customers ? html`<span data-role="rate">${percent(repeat / customers)}</span> <span class="muted small">${repeat} of ${customers}</span>` : '—'}</dd></div>
          </dl>
          <div class="columns">
            <div class="column">
              <h3>Sales per channel</h3>
              ${byChannel.length === 0 ? html`<p class="muted small">No sale in the period.</p>` : html`<div class="table-wrap"><table class="data-table" data-role="sales-by-channel">
                <thead><tr><th>Channel</th><th class="num">Orders</th><th class="num">Units</th><th class="num">Revenue</th><th class="num">Avg order</th></tr></thead>
                <tbody>${[...byChannel].sort((a, b) => b.revenueCents - a.revenueCents).map((row) => html`<tr key=${`${row.channel}:${row.currency}`} data-channel=${row.channel}>
                  <td>${row.channel}</td><td class="num" data-role="orders">${row.orders}</td><td class="num" data-role="units">${row.units}</td>
                  <td class="num" data-role="revenue"><${Money} cents=${row.revenueCents} currency=${row.currency} /></td>
                  <td class="num"><${Money} cents=${averageByChannel.get(`${row.channel}:${row.currency}`) ?? null} currency=${row.currency} /></td>
                </tr>`)}</tbody>
              </table></div>`}
            </div>
            <div class="column">
              <h3>Top products</h3>
              ${top.length === 0 ? html`<p class="muted small">No sale in the period.</p>` : html`<ol class="plain-list" data-role="top-products">
                ${top.map((row) => html`<li key=${`${row.sku}:${row.currency}`} data-sku=${row.sku} class="small"><span class="sku">${row.sku}</span> · ${row.units} ${row.units === 1 ? 'unit' : 'units'} · <${Money} cents=${row.revenueCents} currency=${row.currency} /></li>`)}
              </ol>`}
            </div>
          </div>`;
      }}<//>
    </section>
    <section class="panel" id="exports" aria-labelledby="exports-title">
      <h2 id="exports-title">CSV exports <span class="muted small">${range.from} to ${range.to}</span></h2>
      <p class="muted small">Fetched with this key through the gateway (<code>${'/insights/<report>.csv'}</code>), as a BI tool would.</p>
      <ul class="plain-list exports">
        ${EXPORTS.map((spec) => html`<${ExportButton} key=${spec.report} apiKey=${apiKey} spec=${spec} range=${range} />`)}
      </ul>
    </section>
  </div>`;
}
