import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { demoChannels } from '../../demo/catalog.ts';
import { hashApiKey } from '../../kit/api-key-resolver.ts';
import type { Role } from '../../kit/principal.ts';
import type { ServiceDefinition } from '../../kit/service-definition.ts';
import { generateApiKey, type BootstrapKey } from './keys.ts';

/**
 * Development credentials for `npm start`: one key per caller role, and one `service` key per
 * platform subgraph, made on first start and kept (plaintext, mode 0600) in
 * `data/dev-credentials.json` so that restarts reuse them. The access subgraph learns only their
 * hashes (PONTE_BOOTSTRAP_KEYS), and only outside production mode.
 */
export interface DevKeySpec {
  name: string;
  role: Role;
  channels?: string[];
  locations?: string[];
}

export interface DevCredential extends DevKeySpec {
  plaintextKey: string;
}

const DEMO_PARTNER_CHANNEL = demoChannels[0]!;

/** The keys `npm start` gives out: the five caller roles, then each platform subgraph's own. */
export function devKeySpecs(services: readonly ServiceDefinition[]): DevKeySpec[] {
  const callers: DevKeySpec[] = [
    { name: 'Dev storefront', role: 'storefront' },
    { name: 'Dev internal app', role: 'internal' },
    // A partner (a 3PL) held to one demo channel and one of its locations.
    { name: 'Dev partner (3PL)', role: 'partner', channels: [DEMO_PARTNER_CHANNEL.code], locations: [DEMO_PARTNER_CHANNEL.locationCodes[0]!] },
    { name: 'Dev operator', role: 'operator' },
    { name: 'Dev admin', role: 'admin' },
  ];
  const platforms = services
    .filter((service) => 'PONTE_SERVICE_KEY' in service.env)
    .map((service): DevKeySpec => {
      // A platform subgraph is held to its own channel; a service that reads across every channel
      // (insights: stock levels and cost prices) declares none and is held to none.
      const channel = Object.entries(service.env).find(([variable]) => variable.endsWith('_CHANNEL'))?.[1];
      return channel ? { name: service.name, role: 'service', channels: [channel] } : { name: service.name, role: 'service' };
    });
  return [...callers, ...platforms];
}

const sameSpec = (a: DevKeySpec, b: DevKeySpec) =>
  a.name === b.name && a.role === b.role && JSON.stringify(a.channels ?? null) === JSON.stringify(b.channels ?? null) && JSON.stringify(a.locations ?? null) === JSON.stringify(b.locations ?? null);

/** Reads the file, makes a key for each spec it lacks (or whose limits changed), and writes it back with mode 0600. */
export async function loadOrCreateDevCredentials(path: string, specs: readonly DevKeySpec[]): Promise<DevCredential[]> {
  let saved: DevCredential[] = [];
  try {
    saved = (JSON.parse(await readFile(path, 'utf8')) as { keys?: DevCredential[] }).keys ?? [];
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw new Error(`${path} is unreadable; delete it to make new development keys`, { cause: error });
  }
  let changed = false;
  const credentials = specs.map((spec) => {
    const existing = saved.find((credential) => sameSpec(credential, spec));
    if (existing) return existing;
    changed = true;
    return { ...spec, plaintextKey: generateApiKey(spec.role).plaintextKey };
  });
  if (changed || saved.length !== credentials.length) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${JSON.stringify({ note: 'Development API keys made by npm start. Never use them in production.', keys: credentials }, null, 2)}\n`, { mode: 0o600 });
  }
  // writeFile's mode applies only when it creates the file.
  await chmod(path, 0o600);
  return credentials;
}

/** What the access subgraph registers on start (PONTE_BOOTSTRAP_KEYS): hashes, never keys. */
export function bootstrapKeysOf(credentials: readonly DevCredential[]): BootstrapKey[] {
  return credentials.map(({ plaintextKey, ...spec }) => ({
    ...spec,
    keyHash: hashApiKey(plaintextKey),
    displayPrefix: plaintextKey.slice(0, `ponte_${spec.role}_`.length + 6),
  }));
}
