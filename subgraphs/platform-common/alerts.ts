/**
 * Operational alerts for one platform subgraph. Rules read the subgraph's own tables (listing
 * sync, inbox, drift checks) and the platform client's recent call outcomes; an engine evaluates
 * them on an interval and keeps one incident per rule and subject in `alert_incidents`, so an alert
 * fires once when its condition starts and once when it ends, across restarts and replicas. Each
 * firing and clearing is logged (warn / info) and, when PONTE_ALERT_WEBHOOK_URL is set, posted to
 * it signed with HMAC-SHA256 (see `signAlertBody`), retried from `alert_deliveries` until the
 * receiver takes it. What each alert means and what to do: docs/alerts.md.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Database, SqlClient } from '../../kit/database.ts';
import type { Logger } from '../../kit/logger.ts';
import { ErrorCode, PonteError } from '../../kit/errors.ts';
import { isProduction } from '../../kit/mode.ts';
import { requireSecret } from '../../kit/secrets.ts';
import { LAST_RECONCILIATION_STATE } from './stock-sync.ts';

export type AlertSeverity = 'WARNING' | 'CRITICAL';

/** Rule names, as they appear in `OperationalAlert.rule`, the log and the webhook body. */
export const AlertRuleName = {
  LISTING_PUSH_FAILING: 'listing-push-failing',
  DEAD_LETTERS: 'listing-dead-letters',
  SHIPMENT_DEAD_LETTERS: 'shipment-dead-letters',
  LISTING_DRIFT: 'listing-drift',
  INBOX_STALE: 'inbox-stale',
  PLATFORM_UNREACHABLE: 'platform-unreachable',
  NOTIFICATION_TOPIC_DISABLED: 'notification-topic-disabled',
} as const;

/** One alerting condition as a rule sees it now. */
export interface AlertCondition {
  /** What within the rule is alerting (a topic); '' for the platform as a whole. @default '' */
  subject?: string;
  severity: AlertSeverity;
  summary: string;
  /** Counts, ids and errors that help the operator; never personal data. */
  details: Record<string, unknown>;
}

export interface AlertRule {
  readonly name: string;
  /**
   * The conditions that hold now (empty: none, so open incidents clear); `undefined` when the
   * rule cannot tell this time (its source is unreachable, or not due), which leaves them as they are.
   */
  evaluate(): Promise<AlertCondition[] | undefined>;
}

export interface AlertThresholds {
  /** Consecutive failed pushes of one listing before `listing-push-failing` fires (PONTE_ALERT_PUSH_FAILURES). @default 5 */
  pushFailures: number;
  /** Dead letters in the channel sync that fire `listing-dead-letters` (PONTE_ALERT_DEAD_LETTERS). @default 1 */
  deadLetters: number;
  /** Drifted listings in the latest drift check that fire `listing-drift` (PONTE_ALERT_DRIFT). @default 1 */
  drift: number;
  /** Age in seconds of the oldest unprocessed inbox message that fires `inbox-stale` (PONTE_ALERT_INBOX_MAX_AGE_S). @default 300 */
  inboxMaxAgeS: number;
  /** Seconds of failing calls (5xx, timeouts, refused connections, nothing else answered) that fire `platform-unreachable` (PONTE_ALERT_UNREACHABLE_S). @default 120 */
  unreachableS: number;
  /** Least seconds between two reads of the notification topics (they cost platform calls) (PONTE_ALERT_TOPIC_CHECK_S). @default 60 */
  topicCheckS: number;
}

export const DEFAULT_ALERT_THRESHOLDS: AlertThresholds = { pushFailures: 5, deadLetters: 1, drift: 1, inboxMaxAgeS: 300, unreachableS: 120, topicCheckS: 60 };

export interface AlertWebhookOptions {
  url: string;
  /** HMAC-SHA256 key; unset (development only) sends deliveries unsigned. */
  secret?: string | undefined;
  /** Attempts before a delivery is abandoned: with the backoff below, about a day. @default 20 */
  maxAttempts?: number;
  /** First retry delay, doubled per attempt with jitter. @default 5000 */
  baseDelayMs?: number;
  /** @default 3_600_000 */
  maxDelayMs?: number;
  /** Per attempt. @default 10_000 */
  timeoutMs?: number;
  /** Safety poll of due deliveries besides the nudge every new one gives. @default 5000 */
  pollIntervalMs?: number;
}

export interface AlertOptions {
  /** Evaluation interval; 0 evaluates only on `evaluate()` (tests). @default 15_000 (PONTE_ALERT_INTERVAL_S) */
  intervalMs?: number;
  thresholds?: Partial<AlertThresholds>;
  /** Outgoing webhook; unset: alerts go to the log only. @default from PONTE_ALERT_WEBHOOK_URL */
  webhook?: AlertWebhookOptions | undefined;
}

/**
 * Alert options from the environment; `false` when PONTE_ALERTS=off. In production mode a
 * webhook URL needs PONTE_ALERT_WEBHOOK_SECRET (32+ characters), else the service does not start.
 */
export function alertOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): AlertOptions | false {
  if (env.PONTE_ALERTS === 'off') return false;
  const number = (name: string, fallback: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number of at least 0, got "${raw}"`);
    return value;
  };
  const d = DEFAULT_ALERT_THRESHOLDS;
  const url = env.PONTE_ALERT_WEBHOOK_URL?.trim() || undefined;
  if (url && !/^https?:\/\//.test(url)) throw new Error(`PONTE_ALERT_WEBHOOK_URL must be an http(s) URL, got "${url}"`);
  if (url && isProduction(env) && !url.startsWith('https://')) throw new Error('PONTE_ALERT_WEBHOOK_URL must be https:// in production mode');
  const secret = url ? requireSecret(env, 'PONTE_ALERT_WEBHOOK_SECRET', { publicDefaults: [], ours: true }) : undefined;
  return {
    intervalMs: number('PONTE_ALERT_INTERVAL_S', 15) * 1000,
    thresholds: {
      pushFailures: number('PONTE_ALERT_PUSH_FAILURES', d.pushFailures),
      deadLetters: number('PONTE_ALERT_DEAD_LETTERS', d.deadLetters),
      drift: number('PONTE_ALERT_DRIFT', d.drift),
      inboxMaxAgeS: number('PONTE_ALERT_INBOX_MAX_AGE_S', d.inboxMaxAgeS),
      unreachableS: number('PONTE_ALERT_UNREACHABLE_S', d.unreachableS),
      topicCheckS: number('PONTE_ALERT_TOPIC_CHECK_S', d.topicCheckS),
    },
    webhook: url ? { url, secret } : undefined,
  };
}

/**
 * What the platform client's calls have met lately: wraps the `fetch` the client is given and
 * tracks since when every attempt failed (network error, timeout or 5xx; a 4xx or a 429 is an
 * answer). Per process: each replica judges by its own calls.
 */
export class PlatformReachability {
  #failingSince: number | undefined;
  #failures = 0;
  #lastError: string | undefined;
  #lastSuccessAt: number | undefined;
  readonly #recovery: Array<(outage: { since: number; failures: number }) => void> = [];
  readonly #now: () => number;
  #lastFailureAt = Number.NEGATIVE_INFINITY;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** A fetch that records each outcome; `base` is looked up per call, so tests may swap globalThis.fetch. */
  wrap(base?: typeof fetch): typeof fetch {
    return async (input, init) => {
      let response: Response;
      try {
        response = await (base ?? globalThis.fetch)(input, init);
      } catch (error) {
        this.failed((error as Error)?.name === 'TimeoutError' ? 'timed out' : ((error as Error)?.message ?? String(error)));
        throw error;
      }
      if (response.status >= 500) this.failed(`HTTP ${response.status}`);
      else this.succeeded();
      return response;
    };
  }

  succeeded(): void {
    const outage = this.#failingSince === undefined ? undefined : { since: this.#failingSince, failures: this.#failures };
    this.#failingSince = undefined;
    this.#failures = 0;
    this.#lastSuccessAt = this.#now();
    if (outage) for (const listener of this.#recovery) listener(outage);
  }

  /**
   * While calls fail, runs `probe` (one cheap platform call through the wrapped fetch) every
   * `intervalMs`, so a recovery is noticed even when everything else waits out its backoff.
   * Returns what stops it.
   */
  probeWhileFailing(probe: () => Promise<unknown>, intervalMs: number): () => void {
    let probing = false;
    const timer = setInterval(() => {
      if (probing || this.#failingSince === undefined) return;
      probing = true;
      // Its outcome is recorded by the wrapped fetch; a failure is what we expect here.
      void probe()
        .catch(() => {})
        .finally(() => (probing = false));
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /**
   * Calls `listener` whenever a call succeeds after calls failed: work that waits for the
   * platform (messages, listing pushes) may then go at once instead of after its backoff.
   */
  onRecovery(listener: (outage: { since: number; failures: number }) => void): void {
    this.#recovery.push(listener);
  }

  /**
   * Whether a call failed (5xx, timeout, unreachable) at or after `at` (`performance.now()`): a
   * queue's attempt that began at `at` and failed then waits on the platform's recovery.
   */
  failedSince(at: number): boolean {
    return this.#lastFailureAt >= at;
  }

  failed(error: string): void {
    this.#lastFailureAt = performance.now();
    this.#failingSince ??= this.#now();
    this.#failures += 1;
    this.#lastError = error.slice(0, 300);
  }

  /** Since when (ms epoch) every call failed, how many did, and the latest error; undefined while calls succeed. */
  failing(): { since: number; failures: number; lastError: string | undefined; lastSuccessAt: number | undefined } | undefined {
    return this.#failingSince === undefined ? undefined : { since: this.#failingSince, failures: this.#failures, lastError: this.#lastError, lastSuccessAt: this.#lastSuccessAt };
  }
}

export interface StandardAlertRulesOptions {
  db: SqlClient;
  /** The platform's name in messages, e.g. 'Shopify'. */
  platformLabel: string;
  thresholds: AlertThresholds;
  reachability?: PlatformReachability | undefined;
  now?: () => number;
}

/** The rules every platform subgraph evaluates: listing sync, drift, inbox and reachability. */
export function standardAlertRules(options: StandardAlertRulesOptions): AlertRule[] {
  const { db, platformLabel: label, thresholds: t } = options;
  const now = options.now ?? Date.now;
  const rules: AlertRule[] = [
    {
      name: AlertRuleName.LISTING_PUSH_FAILING,
      async evaluate() {
        const [row] = await db.query<{ failing: number; most: number | null; sample: string[] | null; lastError: string | null }>(
          `SELECT count(*)::int AS failing, max(attempts) AS most,
                  (array_agg(sku ORDER BY attempts DESC, sku))[1:10] AS sample,
                  (array_agg(last_error ORDER BY updated_at DESC))[1] AS "lastError"
             FROM listing_sync WHERE status = 'PENDING' AND attempts >= $1`,
          [Math.max(1, t.pushFailures)],
        );
        if (!row || row.failing === 0) return [];
        return [{
          severity: 'WARNING',
          summary: `${row.failing} ${label} listing(s) failed ${row.most} or more pushes in a row`,
          details: { listings: row.failing, mostConsecutiveFailures: row.most, threshold: t.pushFailures, skus: row.sample ?? [], lastError: row.lastError },
        }];
      },
    },
    {
      name: AlertRuleName.DEAD_LETTERS,
      async evaluate() {
        const [row] = await db.query<{ dead: number; sample: string[] | null; lastError: string | null }>(
          `SELECT count(*)::int AS dead, (array_agg(sku ORDER BY updated_at DESC))[1:10] AS sample,
                  (array_agg(last_error ORDER BY updated_at DESC))[1] AS "lastError"
             FROM listing_sync WHERE status = 'DEAD'`,
        );
        if (!row || row.dead < Math.max(1, t.deadLetters)) return [];
        return [{
          severity: 'WARNING',
          summary: `${row.dead} ${label} listing quantity(ies) gave up and wait as dead letters`,
          details: { deadLetters: row.dead, threshold: t.deadLetters, skus: row.sample ?? [], lastError: row.lastError },
        }];
      },
    },
    {
      // A shipment the platform never took: the shopper sees no tracking there until it is replayed.
      name: AlertRuleName.SHIPMENT_DEAD_LETTERS,
      async evaluate() {
        const [row] = await db.query<{ dead: number; sample: string[] | null; lastError: string | null }>(
          `SELECT count(*)::int AS dead, (array_agg(order_id ORDER BY updated_at DESC))[1:10] AS sample,
                  (array_agg(last_error ORDER BY updated_at DESC))[1] AS "lastError"
             FROM shipment_confirmations WHERE status = 'DEAD'`,
        );
        if (!row || row.dead < Math.max(1, t.deadLetters)) return [];
        return [{
          severity: 'WARNING',
          summary: `${row.dead} shipment(s) could not be told to ${label} and wait as dead letters`,
          details: { deadLetters: row.dead, threshold: t.deadLetters, orders: row.sample ?? [], lastError: row.lastError },
        }];
      },
    },
    {
      name: AlertRuleName.LISTING_DRIFT,
      async evaluate() {
        const [row] = await db.query<{ value: { at: string; checked: number; drifted: number; sample: unknown[] } }>('SELECT value FROM platform_state WHERE name = $1', [LAST_RECONCILIATION_STATE]);
        if (!row || row.value.drifted < Math.max(1, t.drift)) return [];
        return [{
          severity: 'WARNING',
          summary: `${row.value.drifted} ${label} listing(s) showed another quantity than Ponte pushed at the latest drift check`,
          details: { drifted: row.value.drifted, checked: row.value.checked, checkedAt: row.value.at, threshold: t.drift, sample: row.value.sample },
        }];
      },
    },
    {
      name: AlertRuleName.INBOX_STALE,
      async evaluate() {
        const [row] = await db.query<{ waiting: number; ageS: number | null; oldestId: string | null; topic: string | null; lastError: string | null }>(
          `SELECT (SELECT count(*)::int FROM inbox_messages WHERE processed_at IS NULL) AS waiting, extract(epoch FROM now() - o.received_at)::float8 AS "ageS",
                  o.id::text AS "oldestId", o.topic, o.last_error AS "lastError"
             FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT id, received_at, topic, last_error FROM inbox_messages WHERE processed_at IS NULL ORDER BY received_at, id LIMIT 1) o ON true`,
        );
        if (!row || row.ageS === null || row.ageS < t.inboxMaxAgeS) return [];
        return [{
          severity: 'CRITICAL',
          summary: `The oldest ${label} delivery waiting in the inbox arrived ${Math.round(row.ageS)} s ago (limit ${t.inboxMaxAgeS} s)`,
          details: { waiting: row.waiting, oldestAgeS: Math.round(row.ageS), oldestMessageId: row.oldestId, topic: row.topic, lastError: row.lastError, thresholdS: t.inboxMaxAgeS },
        }];
      },
    },
  ];
  const reachability = options.reachability;
  if (reachability) {
    rules.push({
      name: AlertRuleName.PLATFORM_UNREACHABLE,
      async evaluate() {
        const failing = reachability.failing();
        // Two failures at least: a single call that failed long ago, with none since, proves nothing.
        if (!failing || failing.failures < 2 || now() - failing.since < t.unreachableS * 1000) return [];
        const forS = Math.round((now() - failing.since) / 1000);
        return [{
          severity: 'CRITICAL',
          summary: `${label}'s API has failed every call for ${forS} s (${failing.failures} calls)`,
          details: {
            failingSince: new Date(failing.since).toISOString(),
            failures: failing.failures,
            lastError: failing.lastError,
            lastSuccessAt: failing.lastSuccessAt ? new Date(failing.lastSuccessAt).toISOString() : null,
            thresholdS: t.unreachableS,
          },
        }];
      },
    });
  }
  return rules;
}

/**
 * `notification-topic-disabled`: one incident per topic the platform stopped sending. `topics`
 * reads their status from the platform (Mercado Livre's application topics); it runs at most every
 * `topicCheckS` seconds, and a read that fails changes nothing (`platform-unreachable` says why).
 */
export function notificationTopicRule(options: {
  platformLabel: string;
  thresholds: Pick<AlertThresholds, 'topicCheckS'>;
  topics: () => Promise<Array<{ topic: string; active: boolean; disabledSince: string | null; missedNotifications: number; lastMissedAt: string | null }>>;
  now?: () => number;
}): AlertRule {
  const now = options.now ?? Date.now;
  let checkedAt: number | undefined;
  return {
    name: AlertRuleName.NOTIFICATION_TOPIC_DISABLED,
    async evaluate() {
      if (checkedAt !== undefined && now() - checkedAt < options.thresholds.topicCheckS * 1000) return undefined;
      checkedAt = now();
      const topics = await options.topics();
      return topics
        .filter((topic) => !topic.active)
        .map((topic) => ({
          subject: topic.topic,
          severity: 'CRITICAL' as const,
          summary: `${options.platformLabel} stopped sending the ${topic.topic} notifications to Ponte`,
          details: { topic: topic.topic, disabledSince: topic.disabledSince, missedNotifications: topic.missedNotifications, lastMissedAt: topic.lastMissedAt },
        }));
    },
  };
}

/** An incident as GraphQL (`OperationalAlert`) and the webhook show it. */
export interface OperationalAlertView {
  /** `<platform>:<incident id>`, unique across platforms. */
  id: string;
  rule: string;
  platform: string;
  severity: AlertSeverity;
  summary: string;
  /** JSON object. */
  details: string;
  firedAt: string;
  clearedAt: string | null;
}

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const INCIDENT_COLUMNS = `id::text AS "incidentId", rule, subject, platform, severity, summary, details::text AS details,
  ${ISO('fired_at')} AS "firedAt", ${ISO('cleared_at')} AS "clearedAt"`;

interface IncidentRow extends Omit<OperationalAlertView, 'id'> {
  incidentId: string;
  subject: string;
}

const view = ({ incidentId, subject: _subject, ...row }: IncidentRow): OperationalAlertView => ({ id: `${row.platform}:${incidentId}`, ...row });

export interface AlertEngineOptions extends AlertOptions {
  db: Database;
  log: Logger;
  /** The platform subgraph's name: 'shopify', 'woocommerce', 'mercadolivre', 'amazon'. */
  platform: string;
  rules: AlertRule[];
  fetch?: typeof fetch;
}

/** Signature header of outgoing alert webhooks: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const SIGNATURE_HEADER = 'ponte-signature';
/** The delivery's idempotency id: the same on every retry of one delivery. */
export const DELIVERY_ID_HEADER = 'ponte-delivery-id';
/** How old a signature's timestamp a receiver should accept, against replays. */
export const DEFAULT_SIGNATURE_TOLERANCE_S = 300;

/** The `Ponte-Signature` value for `body` sent at `timestamp` (unix seconds). */
export function signAlertBody(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * What a receiver runs (and the tests do): the header must carry a `v1` that matches the raw body
 * and a timestamp within `toleranceS` of now, else the delivery is refused.
 */
export function verifyAlertSignature(secret: string, body: string, header: string | null | undefined, options: { toleranceS?: number; now?: number } = {}): boolean {
  if (!header) return false;
  const parts = header.split(',').map((part) => part.trim().split('='));
  const timestamp = Number(parts.find(([key]) => key === 't')?.[1]);
  if (!Number.isInteger(timestamp)) return false;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceS ?? DEFAULT_SIGNATURE_TOLERANCE_S)) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex'));
  return parts.some(([key, value]) => key === 'v1' && value !== undefined && value.length === expected.length && timingSafeEqual(Buffer.from(value), expected));
}

/**
 * Evaluates a platform's rules and keeps its incidents; delivers firings and clearings to the log
 * and the webhook. Every state change is one conditional write, so whichever replica makes it is
 * the only one that reports it.
 */
export class AlertEngine {
  readonly #options: AlertEngineOptions;
  readonly #log: Logger;
  #timers: NodeJS.Timeout[] = [];
  #evaluating: Promise<void> | undefined;
  #delivering: Promise<void> | undefined;
  #deliverAgain = false;
  #stopped = false;

  constructor(options: AlertEngineOptions) {
    this.#options = options;
    this.#log = options.log.child({ component: 'alerts' });
    if (options.webhook && !options.webhook.secret) this.#log.warn({ url: options.webhook.url }, 'PONTE_ALERT_WEBHOOK_SECRET is not set: alert webhooks are sent unsigned (refused in production mode)');
  }

  start(): void {
    const intervalMs = this.#options.intervalMs ?? 15_000;
    if (intervalMs > 0) {
      const timer = setInterval(() => void this.evaluate().catch((error: unknown) => this.#log.warn({ err: error }, 'alert evaluation failed')), intervalMs);
      timer.unref();
      this.#timers.push(timer);
    }
    if (this.#options.webhook) {
      const poll = setInterval(() => void this.deliver(), this.#options.webhook.pollIntervalMs ?? 5000);
      poll.unref();
      this.#timers.push(poll);
      // Deliveries a previous run left due.
      void this.deliver();
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers) clearInterval(timer);
    await Promise.allSettled([this.#evaluating, this.#delivering]);
  }

  /** Runs every rule once; concurrent calls share one run. Resolves when incidents are up to date. */
  evaluate(): Promise<void> {
    this.#evaluating ??= this.#evaluateAll().finally(() => {
      this.#evaluating = undefined;
    });
    return this.#evaluating;
  }

  /** Incidents, newest first: open ones only by default. */
  async alerts(options: { firingOnly?: boolean; limit?: number } = {}): Promise<OperationalAlertView[]> {
    const rows = await this.#options.db.query<IncidentRow>(
      `SELECT ${INCIDENT_COLUMNS} FROM alert_incidents WHERE ($1::boolean IS FALSE OR cleared_at IS NULL) ORDER BY fired_at DESC, id DESC LIMIT $2`,
      [options.firingOnly ?? true, options.limit ?? 50],
    );
    return rows.map(view);
  }

  async #evaluateAll(): Promise<void> {
    for (const rule of this.#options.rules) {
      if (this.#stopped) return;
      let conditions: AlertCondition[] | undefined;
      try {
        conditions = await rule.evaluate();
      } catch (error) {
        this.#log.debug({ err: error, rule: rule.name }, 'alert rule could not be evaluated; its incidents stay as they are');
        continue;
      }
      if (conditions) await this.#apply(rule.name, conditions);
    }
  }

  async #apply(rule: string, conditions: AlertCondition[]): Promise<void> {
    const { db, platform } = this.#options;
    const open = await db.query<{ id: string; subject: string }>('SELECT id::text AS id, subject FROM alert_incidents WHERE rule = $1 AND cleared_at IS NULL', [rule]);
    const holding = new Map(conditions.map((condition) => [condition.subject ?? '', condition]));
    for (const [subject, condition] of holding) {
      const fired = await db.transaction(async (tx) => {
        const [row] = await tx.query<IncidentRow & { inserted: boolean }>(
          `INSERT INTO alert_incidents (rule, subject, platform, severity, summary, details) VALUES ($1, $2, $3, $4, $5, $6::jsonb)
           ON CONFLICT (rule, subject) WHERE cleared_at IS NULL
           DO UPDATE SET summary = excluded.summary, details = excluded.details, severity = excluded.severity, last_seen_at = now()
           RETURNING ${INCIDENT_COLUMNS}, (xmax = 0) AS inserted`,
          [rule, subject, platform, condition.severity, condition.summary, JSON.stringify(condition.details)],
        );
        // Inserted (xmax 0) means this evaluation opened it; an update means it was open already.
        if (!row?.inserted) return undefined;
        const { inserted: _inserted, ...incident } = row;
        await this.#enqueue(tx, incident, 'FIRED');
        return incident;
      });
      if (fired) void this.deliver();
      if (fired) this.#log.warn({ alert: view(fired).id, rule, subject: subject || undefined, severity: fired.severity, details: JSON.parse(fired.details) }, `alert firing: ${fired.summary}`);
    }
    for (const incident of open) {
      if (holding.has(incident.subject)) continue;
      const cleared = await db.transaction(async (tx) => {
        const [row] = await tx.query<IncidentRow>(`UPDATE alert_incidents SET cleared_at = now() WHERE id = $1 AND cleared_at IS NULL RETURNING ${INCIDENT_COLUMNS}`, [incident.id]);
        if (row) await this.#enqueue(tx, row, 'CLEARED');
        return row;
      });
      if (cleared) void this.deliver();
      if (cleared) this.#log.info({ alert: view(cleared).id, rule, subject: cleared.subject || undefined, severity: cleared.severity }, `alert cleared: ${cleared.summary}`);
    }
  }

  async #enqueue(tx: SqlClient, incident: IncidentRow, event: 'FIRED' | 'CLEARED'): Promise<void> {
    if (!this.#options.webhook) return;
    const alert = view(incident);
    const id = `${alert.id}:${event.toLowerCase()}`;
    const body = JSON.stringify({ id, type: event === 'FIRED' ? 'alert.fired' : 'alert.cleared', alert: { ...alert, details: JSON.parse(alert.details) } });
    await tx.query('INSERT INTO alert_deliveries (id, incident_id, event, body) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [id, incident.incidentId, event, body]);
  }

  /** Sends every due delivery; concurrent calls coalesce. Resolves when nothing is due. */
  deliver(): Promise<void> {
    if (!this.#options.webhook) return Promise.resolve();
    if (this.#delivering) {
      this.#deliverAgain = true;
      return this.#delivering;
    }
    this.#delivering = this.#deliverLoop()
      .catch((error: unknown) => this.#log.error({ err: error }, 'alert webhook worker failed'))
      .finally(() => {
        this.#delivering = undefined;
      });
    return this.#delivering;
  }

  /** Deliveries not yet taken by the receiver (for tests and the operator). */
  async pendingDeliveries(): Promise<Array<{ id: string; attempts: number; lastError: string | null }>> {
    return this.#options.db.query(`SELECT id, attempts, last_error AS "lastError" FROM alert_deliveries WHERE delivered_at IS NULL AND abandoned_at IS NULL ORDER BY created_at`);
  }

  async #deliverLoop(): Promise<void> {
    const webhook = this.#options.webhook!;
    do {
      this.#deliverAgain = false;
      for (;;) {
        if (this.#stopped) return;
        // Claimed by moving its next attempt past the send's timeout, so a replica does not send it meanwhile.
        // An alert's clearing waits for its firing to be taken (or abandoned): a receiver that pages
        // people must never see "cleared" before "fired", even when the firing needed retries.
        const due = await this.#options.db.query<{ id: string; body: string; attempts: number }>(
          `UPDATE alert_deliveries SET next_attempt_at = now() + make_interval(secs => $1)
            WHERE id IN (SELECT d.id FROM alert_deliveries d
                          WHERE d.delivered_at IS NULL AND d.abandoned_at IS NULL AND d.next_attempt_at <= now()
                            AND NOT (d.event = 'CLEARED' AND EXISTS (
                              SELECT 1 FROM alert_deliveries firing
                               WHERE firing.incident_id = d.incident_id AND firing.event = 'FIRED'
                                 AND firing.delivered_at IS NULL AND firing.abandoned_at IS NULL))
                          ORDER BY d.next_attempt_at LIMIT 10 FOR UPDATE OF d SKIP LOCKED)
            RETURNING id, body, attempts`,
          [((webhook.timeoutMs ?? 10_000) + 5000) / 1000],
        );
        if (due.length === 0) break;
        for (const delivery of due) await this.#send(webhook, delivery);
      }
    } while (this.#deliverAgain && !this.#stopped);
  }

  async #send(webhook: AlertWebhookOptions, delivery: { id: string; body: string; attempts: number }): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Ponte-Alerts/1', [DELIVERY_ID_HEADER]: delivery.id };
    if (webhook.secret) headers[SIGNATURE_HEADER] = signAlertBody(webhook.secret, delivery.body, Math.floor(Date.now() / 1000));
    let error: string | undefined;
    try {
      const response = await (this.#options.fetch ?? fetch)(webhook.url, { method: 'POST', headers, body: delivery.body, signal: AbortSignal.timeout(webhook.timeoutMs ?? 10_000) });
      await response.body?.cancel().catch(() => {});
      if (!response.ok) error = `HTTP ${response.status}`;
    } catch (failure) {
      error = (failure as Error)?.message ?? String(failure);
    }
    const attempts = delivery.attempts + 1;
    if (error === undefined) {
      await this.#options.db.query('UPDATE alert_deliveries SET delivered_at = now(), attempts = $2, last_error = NULL WHERE id = $1', [delivery.id, attempts]);
      return;
    }
    const abandon = attempts >= (webhook.maxAttempts ?? 20);
    const delayMs = Math.min(webhook.maxDelayMs ?? 3_600_000, (webhook.baseDelayMs ?? 5000) * 2 ** (attempts - 1)) * (0.5 + Math.random() / 2);
    await this.#options.db.query(
      `UPDATE alert_deliveries SET attempts = $2, last_error = $3, next_attempt_at = now() + make_interval(secs => $4), abandoned_at = CASE WHEN $5 THEN now() END WHERE id = $1`,
      [delivery.id, attempts, error.slice(0, 500), delayMs / 1000, abandon],
    );
    if (abandon) this.#log.error({ delivery: delivery.id, attempts, error }, 'alert webhook delivery abandoned');
    else this.#log.warn({ delivery: delivery.id, attempts, error, retryInMs: Math.round(delayMs) }, 'alert webhook delivery failed; will retry');
  }
}

/** Builds the engine with the standard rules, plus any the platform adds (Mercado Livre's topics). */
export function createAlertEngine(options: {
  db: Database;
  log: Logger;
  platform: string;
  platformLabel: string;
  reachability?: PlatformReachability | undefined;
  extraRules?: (thresholds: AlertThresholds) => AlertRule[];
  alerts: AlertOptions;
}): AlertEngine {
  const thresholds = { ...DEFAULT_ALERT_THRESHOLDS, ...options.alerts.thresholds };
  const rules = [...standardAlertRules({ db: options.db, platformLabel: options.platformLabel, thresholds, reachability: options.reachability }), ...(options.extraRules?.(thresholds) ?? [])];
  return new AlertEngine({ ...options.alerts, db: options.db, log: options.log, platform: options.platform, rules });
}

const MAX_ALERTS_PAGE = 200;

/** The `…Alerts(firingOnly, first)` resolver every platform subgraph exposes. */
export async function resolveAlerts(engine: AlertEngine | undefined, args: { firingOnly?: boolean | null; first?: number | null }, platformLabel: string): Promise<OperationalAlertView[]> {
  const limit = args.first ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_ALERTS_PAGE) {
    throw new PonteError(ErrorCode.BAD_USER_INPUT, `first must be from 1 to ${MAX_ALERTS_PAGE}, got ${limit}`, { field: 'first' });
  }
  if (!engine) throw new PonteError(ErrorCode.BAD_USER_INPUT, `Alerts are turned off in this ${platformLabel} subgraph (PONTE_ALERTS=off)`);
  return engine.alerts({ firingOnly: args.firingOnly ?? true, limit });
}
