/**
 * The client with its call budget in the database against the sandbox's per-application limit,
 * over HTTP: many callers at once, a restart, and two replicas, and not one call refused for the
 * limit (Mercado Livre counts calls as they arrive: https://developers.mercadolivre.com.br/en_us/rate-limit-429-error).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { createMercadoLivreSandbox, type MercadoLivreSandbox } from '../../sandboxes/mercadolivre/mercadolivre-sandbox.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { createPlatformFetch } from '../platform-common/platform-fetch.ts';
import { createLogger } from '../../kit/logger.ts';
import { migrate } from '../../kit/migrate.ts';
import { MercadoLivreClient } from './client.ts';
import { MercadoLivreTokens } from './oauth.ts';

const log = createLogger('ml-call-budget-test');
/** 10 calls a second after a burst of 30: a storm's arithmetic, in seconds rather than minutes. */
const LIMIT = { perHour: 36_000, burst: 30 };

let sandbox: MercadoLivreSandbox;
let control: SandboxControlClient;
let database: TestDatabase;

beforeAll(async () => {
  sandbox = createMercadoLivreSandbox({ rateLimit: LIMIT });
  control = new SandboxControlClient(await sandbox.listen());
  database = await createTestDatabase('mercadolivre_call_budget');
  await migrate(database.db, new URL('../platform-common/migrations', import.meta.url).pathname);
});

afterAll(async () => {
  await database?.drop();
  await sandbox?.close();
});

function clientOf(): MercadoLivreClient {
  const tokens = new MercadoLivreTokens({
    db: database.db,
    baseUrl: sandbox.url,
    application: { applicationId: String(sandbox.application.applicationId), clientSecret: sandbox.application.clientSecret },
    initial: { accessToken: sandbox.accessToken, refreshToken: sandbox.refreshToken },
    fetch: createPlatformFetch({ maxAttempts: 1 }),
    log,
  });
  return new MercadoLivreClient({ baseUrl: sandbox.url, userId: String(sandbox.userId), tokens, log, rateLimit: LIMIT, callBudget: { db: database.db, applicationId: String(sandbox.application.applicationId) } });
}

/** `callers` callers each searching the seller's orders `calls` times, one after another. */
async function busy(client: MercadoLivreClient, callers: number, calls: number): Promise<void> {
  await Promise.all(
    Array.from({ length: callers }, async () => {
      for (let call = 0; call < calls; call++) await client.searchOrders({ updatedFrom: Date.now() - 60_000, sort: 'date_desc', offset: 0, limit: 50 });
    }),
  );
}

describe('Mercado Livre call budget in the database', () => {
  const refusedWhile = async (work: () => Promise<void>) => {
    await control.clearCalls();
    await work();
    const log = await control.calls();
    return { calls: log.calls.length, refused: log.rateLimited };
  };

  it('keeps many callers of one process inside the application limit', async () => {
    expect(await refusedWhile(() => busy(clientOf(), 20, 3))).toEqual({ calls: 60, refused: 0 });
  }, 60_000);

  it('keeps a restarted process inside it: the new one goes on from what the first spent', async () => {
    expect(await refusedWhile(() => busy(clientOf(), 20, 2))).toEqual({ calls: 40, refused: 0 });
  }, 60_000);

  it('keeps two replicas inside it together', async () => {
    expect(await refusedWhile(() => Promise.all([busy(clientOf(), 10, 3), busy(clientOf(), 10, 3)]).then(() => undefined))).toEqual({ calls: 60, refused: 0 });
  }, 60_000);
});
