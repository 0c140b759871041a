import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_DATA_KEYS, parseDataKeys, SealedDataError, Sealer, sealerFromEnv } from './sealed.ts';

const keyOf = (id: string) => ({ id, key: randomBytes(32) });

describe('sealed personal data (AES-256-GCM)', () => {
  it('opens what it sealed, and the stored form reveals neither the text nor its length pattern', () => {
    const sealer = new Sealer([keyOf('k1')]);
    const contact = JSON.stringify({ email: 'maria.silva@example.com.br', phone: '+55 11 91234-5678' });
    const sealed = sealer.seal(contact, 'privacy_requests.customer');
    expect(sealed.startsWith('k1:')).toBe(true);
    expect(sealed).not.toContain('maria');
    expect(sealer.seal(contact, 'privacy_requests.customer')).not.toBe(sealed); // a fresh IV each time
    expect(sealer.open(sealed, 'privacy_requests.customer')).toBe(contact);
  });

  it('refuses a value that was altered, truncated, moved to another context or sealed by an unknown key', () => {
    const sealer = new Sealer([keyOf('k1')]);
    const sealed = sealer.seal('CPF 123.456.789-09', 'a');
    const bytes = Buffer.from(sealed.slice(3), 'base64url');
    bytes[bytes.length - 20]! ^= 1;
    expect(() => sealer.open(`k1:${bytes.toString('base64url')}`, 'a')).toThrow(SealedDataError);
    expect(() => sealer.open(sealed.slice(0, 20), 'a')).toThrow(SealedDataError);
    expect(() => sealer.open(sealed, 'b')).toThrow(/another context/);
    expect(() => new Sealer([keyOf('k2')]).open(sealed, 'a')).toThrow(/key "k1"/);
    // The key id is authenticated too: relabelling a value does not make another key try it.
    const two = new Sealer([keyOf('k1'), keyOf('k2')]);
    expect(() => two.open(`k2:${sealed.slice(3)}`, 'a')).toThrow(SealedDataError);
  });

  it('rotates: the first key seals, every key opens, reseal moves a value to the current key', () => {
    const old = keyOf('2025');
    const fresh = keyOf('2026');
    const before = new Sealer([old]).seal('Rua Augusta, 100', 'ctx');
    const rotating = new Sealer([fresh, old]);
    expect(rotating.open(before, 'ctx')).toBe('Rua Augusta, 100');
    const moved = rotating.reseal(before, 'ctx')!;
    expect(rotating.keyIdOf(moved)).toBe('2026');
    expect(rotating.reseal(moved, 'ctx')).toBeUndefined();
    // With the old key retired, the re-sealed value still opens.
    expect(new Sealer([fresh]).open(moved, 'ctx')).toBe('Rua Augusta, 100');
  });

  it('reads keys from PONTE_DATA_KEYS and names the variable when they are malformed', () => {
    const key = randomBytes(32).toString('base64');
    expect(parseDataKeys(`a:${key}, b:${key}`).map((entry) => entry.id)).toEqual(['a', 'b']);
    expect(() => parseDataKeys('nokey')).toThrow(/PONTE_DATA_KEYS/);
    expect(() => parseDataKeys('a:c2hvcnQ=')).toThrow(/32 bytes/);
    expect(() => parseDataKeys(`a:${key},a:${key}`)).toThrow(/twice/);
    expect(sealerFromEnv({ PONTE_DATA_KEYS: `k9:${key}` }).currentKeyId).toBe('k9');
  });

  it('development falls back to the published key; production refuses to run without keys of its own', () => {
    expect(sealerFromEnv({}).currentKeyId).toBe('dev');
    expect(() => sealerFromEnv({ NODE_ENV: 'production' })).toThrow(/PONTE_DATA_KEYS must be set/);
    expect(() => sealerFromEnv({ NODE_ENV: 'production', PONTE_DATA_KEYS: DEVELOPMENT_DATA_KEYS })).toThrow(/published development key/);
    expect(sealerFromEnv({ NODE_ENV: 'production', PONTE_DATA_KEYS: `prod1:${randomBytes(32).toString('base64')}` }).currentKeyId).toBe('prod1');
  });
});
