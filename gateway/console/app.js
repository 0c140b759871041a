// Ponte's operator console. Plain ES modules, no build step: Preact + htm and the graphql-ws
// browser client come from the gateway (gateway/console.ts) through the page's import map.
// Every datum comes from the GraphQL API with the operator's key; nothing is kept but the key,
// in sessionStorage (gone when the tab closes).
import { render } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { createClient } from 'graphql-ws';
import { GRAPHQL_PATH, GraphQLFailure, graphql, html } from './lib.js';
import { CustomersView, InsightsView, OrdersView } from './commerce.js';

const KEY_STORAGE = 'ponte.operatorKey';
/** Sync state and order exceptions change without a stock event (a webhook with an unknown SKU): read again this often. */
const PLATFORM_REFRESH_MS = 3000;
const MOVEMENTS_SHOWN = 25;
const PRODUCTS_PER_PAGE = 25;

/** The four platform subgraphs, by the prefix of their fields (`shopifyListingSync`, `replayShopifyListingSync`). */
export const PLATFORMS = [
  { id: 'shopify', name: 'Shopify', field: 'shopify', type: 'Shopify' },
  { id: 'woocommerce', name: 'WooCommerce', field: 'wooCommerce', type: 'WooCommerce' },
  { id: 'mercadolivre', name: 'Mercado Livre', field: 'mercadoLivre', type: 'MercadoLivre' },
  { id: 'amazon', name: 'Amazon', field: 'amazon', type: 'Amazon' },
];

/** The console's views, as its tabs name them. */
const VIEWS = [
  { id: 'stock', name: 'Stock & platforms' },
  { id: 'orders', name: 'Orders' },
  { id: 'customers', name: 'Customers' },
  { id: 'insights', name: 'Insights' },
];

const EXCEPTION_FIELDS = 'id orderId lineId sku quantity code message occurredAt resolvedAt resolution resolvedBy';

// ---------------------------------------------------------------------------------------------
// GraphQL mutations and graphql-ws

/** The first error of a mutation's answer as a failure, else its data. */
async function mutate(key, query, variables) {
  const { data, errors } = await graphql(key, query, variables);
  if (errors.length > 0) throw new GraphQLFailure(errors[0].message, errors[0].extensions?.code);
  return data;
}

function socketUrl() {
  const url = new URL(GRAPHQL_PATH, location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

// ---------------------------------------------------------------------------------------------
// Formatting

function ago(iso, now) {
  if (!iso) return '—';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(iso).toLocaleString();
}

function duration(fromIso, now) {
  if (!fromIso) return '0 s';
  const seconds = Math.max(0, Math.round((now - Date.parse(fromIso)) / 1000));
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

function time(iso) {
  return iso ? new Date(iso).toLocaleTimeString() : '';
}

function signed(value) {
  return value > 0 ? `+${value}` : String(value);
}

function newKey() {
  return crypto.randomUUID();
}

/** A clock that ticks every second, so "3 s ago" and lags stay true. */
function useNow() {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

// ---------------------------------------------------------------------------------------------
// Sign in

function SignIn({ onKey, error }) {
  const [value, setValue] = useState('');
  const submit = (event) => {
    event.preventDefault();
    if (value.trim()) onKey(value.trim());
  };
  return html`<main class="signin">
    <h1>Ponte <span class="muted">operator console</span></h1>
    <form onSubmit=${submit} class="card">
      <label for="key">Operator API key</label>
      <input id="key" name="key" type="password" autocomplete="off" spellcheck="false" placeholder="ponte_operator_…"
        value=${value} onInput=${(event) => setValue(event.currentTarget.value)} />
      <p class="muted small">Kept in this tab only (sessionStorage). Every figure on the page is read with it through the GraphQL API.</p>
      ${error ? html`<p class="error" role="alert">${error}</p>` : null}
      <button type="submit">Open the console</button>
    </form>
  </main>`;
}

// ---------------------------------------------------------------------------------------------
// Alerts firing on any platform (each platform subgraph evaluates its own: docs/alerts.md)

const SEVERITY_ORDER = { CRITICAL: 0, WARNING: 1 };

function AlertsPanel({ platforms, now }) {
  const firing = PLATFORMS.flatMap((platform) => (platforms[platform.id]?.alerts ?? []).map((alert) => ({ ...alert, platformName: platform.name })))
    .sort((a, b) => (SEVERITY_ORDER[a.severity] ?? 2) - (SEVERITY_ORDER[b.severity] ?? 2) || a.firedAt.localeCompare(b.firedAt));
  return html`<section class="panel alerts" id="alerts" aria-labelledby="alerts-title">
    <h2 id="alerts-title">Alerts firing <span class="count">${firing.length}</span></h2>
    ${firing.length === 0
      ? html`<p class="muted" data-testid="no-alerts">None: every platform is in sync.</p>`
      : html`<ul class="alert-list">
          ${firing.map((alert) => html`<li key=${alert.id} class=${`alert ${alert.severity === 'CRITICAL' ? 'bad' : 'warn'}`} data-alert=${alert.rule}>
            <span class=${`badge ${alert.severity === 'CRITICAL' ? 'bad' : 'warn'}`}>${alert.severity.toLowerCase()}</span>
            <strong>${alert.platformName}</strong> ${alert.summary}
            <span class="muted" title=${alert.firedAt}> · fired ${ago(alert.firedAt, now)}</span>
          </li>`)}
        </ul>`}
  </section>`;
}

// ---------------------------------------------------------------------------------------------
// Stock per SKU, by location and channel, live

function StockPanel({ stock, filter, setFilter, onMore }) {
  const { locations, channels, products, hasNextPage, error, flashed } = stock;
  const shown = useMemo(() => {
    const wanted = filter.trim().toUpperCase();
    return wanted ? products.filter((product) => product.sku.toUpperCase().includes(wanted) || (product.title ?? '').toUpperCase().includes(wanted)) : products;
  }, [products, filter]);
  return html`<section class="panel stock" id="stock" aria-labelledby="stock-title">
    <header class="panel-head">
      <h2 id="stock-title">Stock</h2>
      <input class="filter" type="search" placeholder="Filter SKU or title" value=${filter} onInput=${(event) => setFilter(event.currentTarget.value)} aria-label="Filter SKU or title" />
    </header>
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    <div class="table-wrap">
      <table class="stock-table">
        <thead>
          <tr>
            <th rowspan="2" class="sku-col">SKU</th>
            ${locations.length ? html`<th colspan=${locations.length} class="group">Available by location <span class="muted">(on hand · committed)</span></th>` : null}
            ${channels.length ? html`<th colspan=${channels.length} class="group">Listed by channel</th>` : null}
          </tr>
          <tr>
            ${locations.map((location) => html`<th key=${location.id} title=${location.name}>${location.id}</th>`)}
            ${channels.map((channel) => html`<th key=${channel.id} title=${channel.name}>${channel.id}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${shown.map((product) => html`<tr key=${product.sku} data-sku=${product.sku} class=${flashed[product.sku] ? 'flash' : ''}>
            <th scope="row" class="sku-col"><span class="sku">${product.sku}</span><span class="title muted">${product.title ?? ''}</span></th>
            ${locations.map((location) => {
              const level = product.levels[location.id];
              return html`<td key=${location.id} data-location=${location.id} class="num">
                ${level ? html`<strong class="available">${level.available}</strong><span class="muted small"> ${level.onHand} · ${level.committed}</span>` : html`<span class="muted">—</span>`}
              </td>`;
            })}
            ${channels.map((channel) => html`<td key=${channel.id} data-channel=${channel.id} class="num">${product.channels[channel.id] ?? '—'}</td>`)}
          </tr>`)}
        </tbody>
      </table>
    </div>
    ${hasNextPage ? html`<button class="secondary" onClick=${onMore}>More SKUs</button>` : null}
  </section>`;
}

// ---------------------------------------------------------------------------------------------
// Platforms: sync state, lag, pending and dead pushes with replay, last error

function syncState(sync) {
  if (!sync) return { label: 'unknown', tone: 'muted' };
  if (sync.dead > 0) return { label: 'dead letters', tone: 'bad' };
  if (sync.pending > 0) return { label: 'syncing', tone: 'warn' };
  return { label: 'in sync', tone: 'good' };
}

function PlatformCard({ platform, state, now, onReplay }) {
  const { sync, error } = state ?? {};
  const status = error && !sync ? { label: 'unreachable', tone: 'bad' } : syncState(sync);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState(null);
  const replay = async (skus) => {
    setBusy(true);
    setMessage(null);
    try {
      const count = await onReplay(platform, skus);
      setMessage({ tone: 'good', text: `${count} queued again` });
    } catch (failure) {
      setMessage({ tone: 'bad', text: failure.message });
    } finally {
      setBusy(false);
    }
  };
  return html`<article class="card platform" data-platform=${platform.id}>
    <header class="card-head">
      <h3>${platform.name}</h3>
      <span class=${`badge ${status.tone}`} data-role="sync-state">${status.label}</span>
    </header>
    ${sync
      ? html`<dl class="figures">
          <div><dt>Pending</dt><dd data-role="pending">${sync.pending}</dd></div>
          <div><dt>Dead</dt><dd data-role="dead">${sync.dead}</dd></div>
          <div><dt>Synced</dt><dd>${sync.synced}</dd></div>
          <div><dt>Lag</dt><dd data-role="lag">${sync.pending > 0 ? duration(sync.oldestPendingAt, now) : '0 s'}</dd></div>
        </dl>
        <p class="small muted">Last push ${ago(sync.lastPushedAt, now)}</p>
        ${sync.lastError ? html`<p class="small error-text" data-role="last-error" title=${sync.lastError}>Last error: ${sync.lastError}</p>` : null}
        ${sync.deadLetters.length > 0
          ? html`<ul class="dead-letters">
              ${sync.deadLetters.map((letter) => html`<li key=${letter.sku} data-dead-letter=${letter.sku}>
                <div><span class="sku">${letter.sku}</span> <span class="muted small">→ ${letter.quantity}, ${letter.attempts} attempts</span>
                  ${letter.lastError ? html`<div class="small error-text">${letter.lastError}</div>` : null}</div>
                <button class="secondary" disabled=${busy} onClick=${() => replay([letter.sku])}>Replay</button>
              </li>`)}
            </ul>
            <button disabled=${busy} onClick=${() => replay(null)}>Replay all</button>`
          : null}`
      : null}
    ${error ? html`<p class="small error" role="alert">${error}</p>` : null}
    ${message ? html`<p class=${`small ${message.tone === 'bad' ? 'error' : 'ok'}`} role="status">${message.text}</p>` : null}
  </article>`;
}

function PlatformsPanel({ platforms, now, onReplay }) {
  return html`<section class="panel platforms" id="platforms" aria-labelledby="platforms-title">
    <h2 id="platforms-title">Platforms</h2>
    <div class="cards">
      ${PLATFORMS.map((platform) => html`<${PlatformCard} key=${platform.id} platform=${platform} state=${platforms[platform.id]} now=${now} onReplay=${onReplay} />`)}
    </div>
  </section>`;
}

// ---------------------------------------------------------------------------------------------
// Order exceptions: resolve (choose a SKU), dismiss (reason), retry

function ExceptionItem({ platform, exception, skus, now, onAct }) {
  const [mode, setMode] = useState(null);
  const [sku, setSku] = useState(exception.sku ?? '');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState(null);
  // One key per open form: a double submit is the same request, answered once.
  const resolveKey = useMemo(() => newKey(), [mode]);
  const act = async (action, input) => {
    setBusy(true);
    setMessage(null);
    try {
      const result = await onAct(platform, action, input);
      if (result.resolvedAt) setMessage({ tone: 'good', text: result.resolution ?? 'resolved' });
      else setMessage({ tone: 'bad', text: `Still open: ${result.code}: ${result.message}` });
      setMode(null);
    } catch (failure) {
      setMessage({ tone: 'bad', text: `${failure.code ? failure.code + ': ' : ''}${failure.message}` });
    } finally {
      setBusy(false);
    }
  };
  const listId = `skus-${platform.id}-${exception.id}`;
  return html`<li class="card exception" data-exception=${`${platform.id}:${exception.id}`}>
    <div class="exception-head">
      <span class="badge muted">${platform.name}</span>
      <span class="badge bad" data-role="code">${exception.code}</span>
      <span class="muted small">${ago(exception.occurredAt, now)}</span>
    </div>
    <p class="exception-line"><span class="sku">${exception.sku ?? '(no SKU)'}</span> × ${exception.quantity}${' '}
      <span class="muted small">order ${exception.orderId}, line ${exception.lineId}</span></p>
    <p class="small" data-role="message">${exception.message}</p>
    ${mode === 'resolve'
      ? html`<form class="inline-form" onSubmit=${(event) => { event.preventDefault(); if (sku.trim()) act('resolve', { id: exception.id, sku: sku.trim(), idempotencyKey: resolveKey }); }}>
          <label class="small" for=${`${listId}-sku`}>Reserve as SKU</label>
          <div class="row">
            <input id=${`${listId}-sku`} name="sku" list=${listId} value=${sku} onInput=${(event) => setSku(event.currentTarget.value)} autocomplete="off" required />
            <datalist id=${listId}>${skus.map((each) => html`<option key=${each} value=${each} />`)}</datalist>
            <button type="submit" disabled=${busy}>Apply</button>
            <button type="button" class="secondary" onClick=${() => setMode(null)}>Cancel</button>
          </div>
        </form>`
      : mode === 'dismiss'
        ? html`<form class="inline-form" onSubmit=${(event) => { event.preventDefault(); if (reason.trim()) act('dismiss', { id: exception.id, reason: reason.trim() }); }}>
            <label class="small" for=${`${listId}-reason`}>Why dismiss it</label>
            <div class="row">
              <input id=${`${listId}-reason`} name="reason" value=${reason} maxlength="500" onInput=${(event) => setReason(event.currentTarget.value)} required />
              <button type="submit" disabled=${busy}>Dismiss</button>
              <button type="button" class="secondary" onClick=${() => setMode(null)}>Cancel</button>
            </div>
          </form>`
        : html`<div class="actions">
            <button data-action="resolve" onClick=${() => setMode('resolve')}>Resolve…</button>
            <button data-action="retry" class="secondary" disabled=${busy} onClick=${() => act('retry', { id: exception.id })}>Retry</button>
            <button data-action="dismiss" class="secondary" onClick=${() => setMode('dismiss')}>Dismiss…</button>
          </div>`}
    ${message ? html`<p class=${`small ${message.tone === 'bad' ? 'error' : 'ok'}`} role="status">${message.text}</p>` : null}
  </li>`;
}

function ExceptionsPanel({ platforms, skus, now, onAct }) {
  const open = PLATFORMS.flatMap((platform) => (platforms[platform.id]?.exceptions ?? []).map((exception) => ({ platform, exception })))
    .sort((a, b) => Date.parse(b.exception.occurredAt) - Date.parse(a.exception.occurredAt));
  return html`<section class="panel exceptions" id="exceptions" aria-labelledby="exceptions-title">
    <h2 id="exceptions-title">Order exceptions <span class="count">${open.length}</span></h2>
    ${open.length === 0 ? html`<p class="muted">No open exceptions.</p>` : null}
    <ul class="exception-list">
      ${open.map(({ platform, exception }) => html`<${ExceptionItem} key=${`${platform.id}:${exception.id}`} platform=${platform} exception=${exception} skus=${skus} now=${now} onAct=${onAct} />`)}
    </ul>
  </section>`;
}

// ---------------------------------------------------------------------------------------------
// Recent movements, with actor and reason

function MovementsPanel({ movements, error }) {
  return html`<section class="panel movements" id="movements" aria-labelledby="movements-title">
    <h2 id="movements-title">Recent movements</h2>
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    <ol class="movement-list">
      ${movements.map((movement) => html`<li key=${movement.id} data-movement=${movement.id}>
        <div class="movement-head">
          <span class="badge muted">${movement.kind}</span>
          <span class="sku">${movement.sku}</span>
          <span class="muted small">@ ${movement.location.id}</span>
          <span class="small">
            ${movement.delta !== 0 ? html`<span class="delta">on hand ${signed(movement.delta)}</span> ` : null}
            ${movement.committedDelta !== 0 ? html`<span class="delta">committed ${signed(movement.committedDelta)}</span> ` : null}
            ${movement.incomingDelta !== 0 ? html`<span class="delta">incoming ${signed(movement.incomingDelta)}</span> ` : null}
            ${movement.safetyStockDelta !== 0 ? html`<span class="delta">safety ${signed(movement.safetyStockDelta)}</span>` : null}
          </span>
          <span class="muted small when">${time(movement.occurredAt)}</span>
        </div>
        <div class="small muted"><span data-role="actor">by ${movement.actor}</span>${movement.reason ? html` · <span data-role="reason">${movement.reason}</span>` : null}${movement.reference ? html` · ref ${movement.reference}` : null}</div>
      </li>`)}
    </ol>
  </section>`;
}

// ---------------------------------------------------------------------------------------------
// The console: loads, follows stockChanged, refreshes what has no event

function emptyProduct(node) {
  const product = { sku: node.sku, title: node.title ?? null, levels: {}, channels: {} };
  for (const level of node.stockLevels ?? []) product.levels[level.location.id] = { onHand: level.onHand, committed: level.committed, available: level.available };
  for (const entry of node.channelAvailability ?? []) product.channels[entry.channel.id] = entry.quantity;
  return product;
}

function Console({ apiKey, onSignOut }) {
  const now = useNow();
  const [stock, setStock] = useState({ locations: [], channels: [], products: [], endCursor: null, hasNextPage: false, error: null, flashed: {} });
  const [filter, setFilter] = useState('');
  const [platforms, setPlatforms] = useState({});
  const [movements, setMovements] = useState({ list: [], error: null });
  const [live, setLive] = useState('connecting');
  const timers = useRef({});

  const loadProducts = useCallback(async (after) => {
    try {
      const { data, errors } = await graphql(apiKey, `query ConsoleStock($first: Int!, $after: String) {
        locations { id name }
        channels { id name }
        products(first: $first, after: $after) {
          nodes { sku title stockLevels { location { id } onHand committed available } channelAvailability { channel { id } quantity } }
          pageInfo { endCursor hasNextPage }
        }
      }`, { first: PRODUCTS_PER_PAGE, after });
      const nodes = (data.products?.nodes ?? []).filter(Boolean).map(emptyProduct);
      setStock((current) => ({
        ...current,
        locations: data.locations ?? current.locations,
        channels: data.channels ?? current.channels,
        products: after ? [...current.products, ...nodes.filter((node) => !current.products.some((known) => known.sku === node.sku))] : nodes,
        endCursor: data.products?.pageInfo.endCursor ?? null,
        hasNextPage: data.products?.pageInfo.hasNextPage ?? false,
        error: errors[0]?.message ?? null,
      }));
    } catch (failure) {
      if (failure.code === 'UNAUTHENTICATED') return onSignOut('That key was refused (UNAUTHENTICATED).');
      setStock((current) => ({ ...current, error: failure.message }));
    }
  }, [apiKey]);

  const loadMovements = useCallback(async () => {
    try {
      const { data, errors } = await graphql(apiKey, `query ConsoleMovements($first: Int!) {
        stockMovements(first: $first) { id kind sku location { id } delta committedDelta incomingDelta safetyStockDelta actor reason reference occurredAt }
      }`, { first: MOVEMENTS_SHOWN });
      setMovements({ list: data.stockMovements ?? [], error: errors[0]?.message ?? null });
    } catch (failure) {
      setMovements((current) => ({ ...current, error: failure.message }));
    }
  }, [apiKey]);

  // One request per platform: a platform subgraph that is down (or not deployed) costs only its card.
  const loadPlatform = useCallback(async (platform) => {
    try {
      const { data, errors } = await graphql(apiKey, `query ConsolePlatform {
        sync: ${platform.field}ListingSync { pending synced dead oldestPendingAt lastPushedAt lastError deadLetters { sku quantity attempts lastError updatedAt } }
        exceptions: ${platform.field}OrderExceptions(unresolvedOnly: true, first: 50) { ${EXCEPTION_FIELDS} }
        alerts: ${platform.field}Alerts(firingOnly: true) { id rule severity summary firedAt }
      }`);
      setPlatforms((current) => ({ ...current, [platform.id]: { sync: data.sync ?? null, exceptions: data.exceptions ?? [], alerts: data.alerts ?? [], error: errors.map((error) => error.message).join('; ') || null } }));
    } catch (failure) {
      setPlatforms((current) => ({ ...current, [platform.id]: { sync: null, exceptions: [], alerts: [], error: failure.message } }));
    }
  }, [apiKey]);

  const loadPlatforms = useCallback(() => Promise.all(PLATFORMS.map(loadPlatform)), [loadPlatform]);

  /** Runs `task` once after a burst of calls (a burst of stock events reads movements once). */
  const soon = useCallback((name, task, delayMs) => {
    if (timers.current[name]) return;
    timers.current[name] = setTimeout(() => {
      delete timers.current[name];
      task();
    }, delayMs);
  }, []);

  useEffect(() => {
    loadProducts(null);
    loadMovements();
    loadPlatforms();
    const refresh = setInterval(loadPlatforms, PLATFORM_REFRESH_MS);
    return () => {
      clearInterval(refresh);
      for (const timer of Object.values(timers.current)) clearTimeout(timer);
      timers.current = {};
    };
  }, [apiKey]);

  // Live stock: every committed change arrives here, and the row it touches is patched in place.
  useEffect(() => {
    const client = createClient({
      url: socketUrl(),
      connectionParams: { authorization: `Bearer ${apiKey}` },
      retryAttempts: Infinity,
      shouldRetry: () => true,
      on: {
        connected: () => setLive('live'),
        closed: () => setLive('reconnecting'),
        error: () => setLive('reconnecting'),
      },
    });
    const unsubscribe = client.subscribe(
      { query: 'subscription ConsoleStockChanged { stockChanged { id sku kind occurredAt level { location { id } onHand committed available } channelAvailability { channel { id } quantity } } }' },
      {
        next: ({ data }) => {
          const event = data?.stockChanged;
          if (!event) return;
          setStock((current) => {
            const products = current.products.map((product) => {
              if (product.sku !== event.sku) return product;
              const channels = { ...product.channels };
              for (const entry of event.channelAvailability) channels[entry.channel.id] = entry.quantity;
              return { ...product, levels: { ...product.levels, [event.level.location.id]: { onHand: event.level.onHand, committed: event.level.committed, available: event.level.available } }, channels };
            });
            return { ...current, products, flashed: { ...current.flashed, [event.sku]: Date.now() } };
          });
          setTimeout(() => setStock((current) => {
            const { [event.sku]: _done, ...flashed } = current.flashed;
            return { ...current, flashed };
          }), 1500);
          soon('movements', loadMovements, 200);
          soon('platforms', loadPlatforms, 500);
        },
        error: (error) => setLive(`error: ${Array.isArray(error) ? error[0]?.message : error?.message ?? 'subscription failed'}`),
        complete: () => setLive('closed'),
      },
    );
    return () => {
      unsubscribe();
      client.dispose();
    };
  }, [apiKey]);

  const onReplay = useCallback(async (platform, skus) => {
    const data = await mutate(apiKey, `mutation ConsoleReplay($skus: [ID!]) { replayed: replay${platform.type}ListingSync(skus: $skus) }`, { skus });
    await loadPlatform(platform);
    return data.replayed;
  }, [apiKey, loadPlatform]);

  const onAct = useCallback(async (platform, action, input) => {
    const field = `${action}${platform.type}OrderException`;
    const data = action === 'retry'
      ? await mutate(apiKey, `mutation ConsoleRetry($id: ID!) { result: ${field}(id: $id) { ${EXCEPTION_FIELDS} } }`, { id: input.id })
      : action === 'resolve'
        ? await mutate(apiKey, `mutation ConsoleResolve($input: ResolveOrderExceptionInput!) { result: ${field}(input: $input) { ${EXCEPTION_FIELDS} } }`, { input })
        : await mutate(apiKey, `mutation ConsoleDismiss($input: DismissOrderExceptionInput!) { result: ${field}(input: $input) { ${EXCEPTION_FIELDS} } }`, { input });
    // A closed exception leaves the list only after its message has been read.
    if (data.result.resolvedAt) setTimeout(() => loadPlatform(platform), 1500);
    else await loadPlatform(platform);
    loadMovements();
    return data.result;
  }, [apiKey, loadPlatform, loadMovements]);

  const skus = useMemo(() => stock.products.map((product) => product.sku), [stock.products]);

  // A view is built the first time it is shown and kept after (its filters and pages survive a
  // switch); the stock view is always there, as its subscription keeps it current.
  const [view, setView] = useState('stock');
  const [visited, setVisited] = useState({ stock: true });
  const [orderId, setOrderId] = useState(null);
  const [customerId, setCustomerId] = useState(null);
  const show = useCallback((id) => {
    setVisited((current) => (current[id] ? current : { ...current, [id]: true }));
    setView(id);
  }, []);
  // An order's customer opens in the customers view, and a customer's order in the orders view.
  const openOrder = useCallback((id) => {
    setOrderId(id);
    if (id) show('orders');
  }, [show]);
  const openCustomer = useCallback((id) => {
    setCustomerId(id);
    if (id) show('customers');
  }, [show]);

  return html`<div class="console">
    <header class="top">
      <h1>Ponte <span class="muted">operator console</span></h1>
      <span class=${`badge ${live === 'live' ? 'good' : 'warn'}`} id="live" data-state=${live}>${live === 'live' ? '● live' : live}</span>
      <button class="secondary" onClick=${() => onSignOut(null)}>Sign out</button>
    </header>
    <nav class="views" role="tablist" aria-label="Views">
      ${VIEWS.map((each) => html`<button key=${each.id} role="tab" id=${`view-${each.id}`} aria-selected=${view === each.id ? 'true' : 'false'} class=${view === each.id ? 'tab current' : 'tab'} onClick=${() => show(each.id)}>${each.name}</button>`)}
    </nav>
    <div class="view" hidden=${view !== 'stock'} role="tabpanel" aria-labelledby="view-stock">
      <nav class="jump" aria-label="Sections">
        <a href="#alerts">Alerts</a><a href="#exceptions">Exceptions</a><a href="#platforms">Platforms</a><a href="#stock">Stock</a><a href="#movements">Movements</a>
      </nav>
      <${AlertsPanel} platforms=${platforms} now=${now} />
      <div class="columns">
        <div class="column">
          <${ExceptionsPanel} platforms=${platforms} skus=${skus} now=${now} onAct=${onAct} />
          <${PlatformsPanel} platforms=${platforms} now=${now} onReplay=${onReplay} />
          <${StockPanel} stock=${stock} filter=${filter} setFilter=${setFilter} onMore=${() => loadProducts(stock.endCursor)} />
        </div>
        <div class="column">
          <${MovementsPanel} movements=${movements.list} error=${movements.error} />
        </div>
      </div>
    </div>
    ${visited.orders ? html`<div class="view" hidden=${view !== 'orders'} role="tabpanel" aria-labelledby="view-orders">
      <${OrdersView} apiKey=${apiKey} orderId=${orderId} onOpenOrder=${openOrder} onOpenCustomer=${openCustomer} />
    </div>` : null}
    ${visited.customers ? html`<div class="view" hidden=${view !== 'customers'} role="tabpanel" aria-labelledby="view-customers">
      <${CustomersView} apiKey=${apiKey} customerId=${customerId} onOpenCustomer=${openCustomer} onOpenOrder=${openOrder} />
    </div>` : null}
    ${visited.insights ? html`<div class="view" hidden=${view !== 'insights'} role="tabpanel" aria-labelledby="view-insights">
      <${InsightsView} apiKey=${apiKey} />
    </div>` : null}
  </div>`;
}

function App() {
  const [apiKey, setApiKey] = useState(() => sessionStorage.getItem(KEY_STORAGE));
  const [error, setError] = useState(null);
  const onKey = async (key) => {
    setError(null);
    try {
      await graphql(key, '{ locations { id } }');
      sessionStorage.setItem(KEY_STORAGE, key);
      setApiKey(key);
    } catch (failure) {
      setError(failure.code === 'UNAUTHENTICATED' ? 'That key was refused.' : failure.message);
    }
  };
  const onSignOut = (reason) => {
    sessionStorage.removeItem(KEY_STORAGE);
    setApiKey(null);
    setError(reason);
  };
  return apiKey ? html`<${Console} key=${apiKey} apiKey=${apiKey} onSignOut=${onSignOut} />` : html`<${SignIn} onKey=${onKey} error=${error} />`;
}

render(html`<${App} />`, document.getElementById('app'));
