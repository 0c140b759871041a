import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../kit/api-key-resolver.ts';
import { services } from '../../scripts/services.ts';
import { bootstrapKeysOf, devKeySpecs, loadOrCreateDevCredentials } from './dev-credentials.ts';
import { validateNewApiKey } from './keys.ts';

const folders: string[] = [];
afterAll(async () => {
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

describe('development credentials for npm start', () => {
  it('gives one key per caller role and one service key per platform subgraph, held to its channel (orders and insights read every channel)', () => {
    const specs = devKeySpecs(services);
    expect(specs.filter((spec) => spec.role !== 'service').map((spec) => spec.role)).toEqual(['storefront', 'internal', 'partner', 'operator', 'admin']);
    expect(specs.find((spec) => spec.role === 'partner')).toMatchObject({ channels: ['shopify-br'], locations: ['cd-sao-paulo'] });
    expect(specs.filter((spec) => spec.role === 'service')).toEqual([
      { name: 'orders', role: 'service' },
      { name: 'shopify', role: 'service', channels: ['shopify-br'] },
      { name: 'woocommerce', role: 'service', channels: ['woocommerce-br'] },
      { name: 'mercadolivre', role: 'service', channels: ['mercado-livre'] },
      { name: 'amazon', role: 'service', channels: ['amazon-br'] },
      { name: 'insights', role: 'service' },
    ]);
  });

  it('every key it gives out is one the access subgraph accepts, so npm start can register them', () => {
    for (const spec of devKeySpecs(services)) expect(() => validateNewApiKey(spec), spec.name).not.toThrow();
  });

  it('keeps the keys in a file only its owner can read, reuses them on restart, and hands the access subgraph hashes only', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'ponte-dev-'));
    folders.push(folder);
    const path = join(folder, 'data', 'dev-credentials.json');
    const specs = devKeySpecs(services);
    const first = await loadOrCreateDevCredentials(path, specs);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(first.every((credential) => /^ponte_[a-z]+_[A-Za-z0-9_-]{43}$/.test(credential.plaintextKey))).toBe(true);
    expect(await loadOrCreateDevCredentials(path, specs)).toEqual(first);

    // A platform added later gets a key; the others stay as they were.
    const more = await loadOrCreateDevCredentials(path, [...specs, { name: 'tiktok', role: 'service', channels: ['tiktok-br'] }]);
    expect(more.slice(0, first.length)).toEqual(first);
    expect(more).toHaveLength(first.length + 1);

    const registered = bootstrapKeysOf(first);
    expect(JSON.stringify(registered)).not.toContain(first[0]!.plaintextKey);
    expect(registered[0]).toMatchObject({ name: 'Dev storefront', role: 'storefront', keyHash: hashApiKey(first[0]!.plaintextKey) });
    expect(first[0]!.plaintextKey.startsWith(registered[0]!.displayPrefix!)).toBe(true);
    expect(JSON.parse(await readFile(path, 'utf8')).keys).toHaveLength(first.length + 1);
  });
});
