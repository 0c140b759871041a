import type { Database } from '../../kit/database.ts';
import type { Logger } from '../../kit/logger.ts';
import type { MercadoLivreClient } from './client.ts';

/** Where the first sighting of each disabled topic is kept, so it survives restarts. */
const DISABLED_STATE_PREFIX = 'mercadolivre.notifications.disabledSince.';

export interface NotificationTopicStatus {
  topic: string;
  /** Whether Mercado Livre lists the topic among the application's topics now. */
  active: boolean;
  /** When Ponte first saw it missing (ISO 8601); null while active. */
  disabledSince: string | null;
  /** Notifications of this topic that /missed_feeds still keeps (two days). */
  missedNotifications: number;
  /** When the newest of them was first sent (ISO 8601). */
  lastMissedAt: string | null;
}

export interface NotificationStatus {
  callbackUrl: string | null;
  topics: NotificationTopicStatus[];
}

/**
 * Whether Mercado Livre still sends Ponte the notifications it needs. Mercado Livre switches off a
 * topic whose notifications the callback did not answer with a 200 within 500 ms (through its
 * retries) until the application subscribes again; it says so nowhere but in the application's
 * topics (`GET /applications/{id}`, the topic is gone) and in /missed_feeds (the notifications it
 * gave up on, kept two days). Both are read here, on demand, so an operator sees it.
 */
export class NotificationTopicMonitor {
  readonly #options: { db: Database; client: MercadoLivreClient; applicationId: string; topics: readonly string[]; log: Logger };

  constructor(options: { db: Database; client: MercadoLivreClient; applicationId: string; topics: readonly string[]; log: Logger }) {
    this.#options = options;
  }

  async status(): Promise<NotificationStatus> {
    const { client, applicationId, topics, db, log } = this.#options;
    const application = await client.application(applicationId);
    const subscribed = new Set(application.notifications_topics ?? []);
    const statuses = await Promise.all(
      topics.map(async (topic): Promise<NotificationTopicStatus> => {
        const missed = await client.missedNotificationsSummary(applicationId, topic);
        const name = DISABLED_STATE_PREFIX + topic;
        let disabledSince: string | null = null;
        if (subscribed.has(topic)) {
          await db.query('DELETE FROM platform_state WHERE name = $1', [name]);
        } else {
          // First sighting wins: ON CONFLICT keeps the earlier time.
          const [row] = await db.query<{ value: { since: string } }>(
            `INSERT INTO platform_state (name, value) VALUES ($1, $2::jsonb)
             ON CONFLICT (name) DO UPDATE SET value = platform_state.value
             RETURNING value`,
            [name, JSON.stringify({ since: new Date().toISOString() })],
          );
          disabledSince = row!.value.since;
          log.warn({ topic, disabledSince }, 'Mercado Livre is not sending this notification topic: subscribe the application to it again');
        }
        return { topic, active: subscribed.has(topic), disabledSince, missedNotifications: missed.total, lastMissedAt: missed.newest?.sent ?? missed.newest?.received ?? null };
      }),
    );
    return { callbackUrl: application.notifications_callback_url ?? null, topics: statuses };
  }
}
