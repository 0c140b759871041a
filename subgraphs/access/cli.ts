import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { databaseFromEnv, openDatabase } from '../../kit/database.ts';
import { isPonteError } from '../../kit/errors.ts';
import { migrate } from '../../kit/migrate.ts';
import { ACCESS_MIGRATIONS } from './index.ts';
import { ApiKeyStore, isActive } from './keys.ts';
import type { ApiKeyRecord } from './models.ts';
import { ACCESS_PORT } from './service.ts';

/**
 * `npm run keys -- <command>`: API keys straight on the access subgraph's database, for the first
 * admin key of a deployment and for operators at a shell. The database is DATABASE_URL's, or the
 * embedded PGlite in PONTE_DATA_DIR/access (default data/access), which only one process may
 * open: with PGlite, stop the access service first (or use the GraphQL mutations with an admin key).
 */
const USAGE = `Usage: npm run keys -- <command>
  create --role <role> --name <name> [--channel <code>]... [--location <code>]... [--scope <scope>]... [--expires <ISO time>]
  list [--all]
  revoke <id>
  rotate <id> [--grace <seconds>]   (default grace 3600 s; the old key stops after it)
Options: --json prints JSON. Roles: storefront, internal, partner, operator, admin, service, monitoring (a Prometheus scraper: metrics:read only).
Database: DATABASE_URL, else npm start's PGlite in \${PONTE_DATA_DIR:-data}/pglite, else PGlite in \${PONTE_DATA_DIR:-data}/access (stop the access service first).`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    role: { type: 'string' },
    name: { type: 'string' },
    channel: { type: 'string', multiple: true },
    location: { type: 'string', multiple: true },
    scope: { type: 'string', multiple: true },
    expires: { type: 'string' },
    grace: { type: 'string', default: '3600' },
    all: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

const [command, id] = positionals;
if (values.help || !command || !['create', 'list', 'revoke', 'rotate'].includes(command) || ((command === 'revoke' || command === 'rotate') && !id)) {
  console.error(USAGE);
  process.exit(values.help ? 0 : 64);
}

function describe(key: ApiKeyRecord): string {
  const limits = [key.channels ? `channels ${key.channels.join(',')}` : '', key.locations ? `locations ${key.locations.join(',')}` : ''].filter(Boolean).join('; ');
  const state = key.revokedAt ? `revoked ${key.revokedAt}` : isActive(key) ? (key.expiresAt ? `active until ${key.expiresAt}` : 'active') : `expired ${key.expiresAt}`;
  return `${key.id}  ${key.role.padEnd(10)} ${key.name}  [${key.displayPrefix}…]  ${state}${limits ? `  (${limits})` : ''}`;
}

function printCreated(created: { apiKey: ApiKeyRecord; plaintextKey: string }, verb: string): void {
  if (values.json) return void console.log(JSON.stringify(created, null, 2));
  console.log(`${verb}: ${describe(created.apiKey)}`);
  console.log(`\n  ${created.plaintextKey}\n`);
  console.log('This is the only time the key is shown: Ponte keeps only its hash. Store it now.');
}

async function serviceIsRunning(): Promise<boolean> {
  const port = process.env.ACCESS_PORT ?? process.env.PORT ?? String(ACCESS_PORT);
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthcheck`, { signal: AbortSignal.timeout(500) })).ok;
  } catch {
    return false;
  }
}

// npm start keeps every service's schema in one PGlite (data/pglite); an access service run on
// its own keeps its PGlite in data/access.
const standalone = databaseFromEnv('access');
const npmStartDir = join(process.env.PONTE_DATA_DIR ?? 'data', 'pglite');
const where = !standalone.url && existsSync(npmStartDir) ? { ...standalone, dataDir: npmStartDir } : standalone;
if (!where.url && (await serviceIsRunning())) {
  console.error(`The access service is running on ${where.dataDir}, an embedded PGlite directory only one process may open.\nStop it first, or create keys through GraphQL (createApiKey) with an admin key.`);
  process.exit(75);
}
const db = await openDatabase({ schema: 'access', ...where, poolSize: 2 });
const createdBy = `cli:${userInfo().username}`;
try {
  await migrate(db, ACCESS_MIGRATIONS);
  const keys = new ApiKeyStore(db);
  if (command === 'create') {
    if (!values.role || !values.name) throw Object.assign(new Error('create needs --role and --name'), { usage: true });
    const created = await keys.create({ name: values.name, role: values.role, scopes: values.scope, channels: values.channel, locations: values.location, expiresAt: values.expires }, createdBy);
    printCreated(created, 'Created');
  } else if (command === 'list') {
    const list = await keys.list({ includeRevoked: values.all });
    if (values.json) console.log(JSON.stringify(list, null, 2));
    else console.log(list.length ? list.map(describe).join('\n') : 'No API keys yet. Create one: npm run keys -- create --role admin --name "<who>"');
  } else if (command === 'revoke') {
    const revoked = await keys.revoke(id!);
    if (values.json) console.log(JSON.stringify(revoked, null, 2));
    else console.log(`Revoked: ${describe(revoked)}`);
  } else {
    const grace = Number(values.grace);
    printCreated(await keys.rotate(id!, grace, createdBy), `Rotated ${id} (it stops working in ${grace} s); successor`);
  }
} catch (error) {
  if ((error as { usage?: boolean }).usage) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 64;
  } else if (isPonteError(error)) {
    console.error(`${error.code}: ${error.message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
} finally {
  await db.close();
}
