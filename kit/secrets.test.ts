import { describe, expect, it } from 'vitest';
import { databaseFromEnv } from './database.ts';
import { gatewaySecretFromEnv, optionalOwnSecret, requireSecret, SecretConfigurationError } from './secrets.ts';

const STRONG = 'f3b1c9a07d2e4c58b6a1e0d9c7b5a3f1';
const production = { NODE_ENV: 'production' };

describe('secrets from the environment', () => {
  it('development falls back to the sandbox value, or leaves an optional secret unset', () => {
    expect(requireSecret({}, 'SHOPIFY_API_SECRET', { publicDefaults: ['shopify-sandbox-client-secret'], development: 'shopify-sandbox-client-secret' })).toBe('shopify-sandbox-client-secret');
    expect(requireSecret({ SHOPIFY_API_SECRET: 'mine' }, 'SHOPIFY_API_SECRET', { publicDefaults: [], development: 'x' })).toBe('mine');
    expect(gatewaySecretFromEnv({})).toBeUndefined();
  });

  it('production refuses a missing secret, a published one, and a short one of ours, naming the variable', () => {
    const refusal = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return error as SecretConfigurationError;
      }
      throw new Error('accepted');
    };
    const missing = refusal(() => requireSecret(production, 'LWA_CLIENT_SECRET', { publicDefaults: ['amzn1.oa2-cs.v1.sandbox'], development: 'amzn1.oa2-cs.v1.sandbox' }));
    expect(missing).toBeInstanceOf(SecretConfigurationError);
    expect(missing.variable).toBe('LWA_CLIENT_SECRET');
    expect(missing.message).toMatch(/LWA_CLIENT_SECRET must be set/);
    expect(refusal(() => requireSecret({ ...production, LWA_CLIENT_SECRET: 'amzn1.oa2-cs.v1.sandbox' }, 'LWA_CLIENT_SECRET', { publicDefaults: ['amzn1.oa2-cs.v1.sandbox'] })).message).toMatch(/LWA_CLIENT_SECRET is a published default/);
    expect(refusal(() => gatewaySecretFromEnv({ ...production, PONTE_GATEWAY_SECRET: 'change-me-in-production' })).message).toMatch(/published default/);
    expect(refusal(() => gatewaySecretFromEnv({ ...production, PONTE_GATEWAY_SECRET: 'hunter2' })).message).toMatch(/PONTE_GATEWAY_SECRET must be at least 32/);
    expect(refusal(() => optionalOwnSecret({ ...production, WOOCOMMERCE_WEBHOOK_SECRET: 'short' }, 'WOOCOMMERCE_WEBHOOK_SECRET')).variable).toBe('WOOCOMMERCE_WEBHOOK_SECRET');
    expect(refusal(() => databaseFromEnv('inventory', { ...production, DATABASE_URL: 'postgres://ponte:ponte@db:5432/ponte' })).message).toMatch(/DATABASE_URL uses a published password/);
  });

  it('production accepts real values; platform-issued secrets have no length rule of ours', () => {
    expect(gatewaySecretFromEnv({ ...production, PONTE_GATEWAY_SECRET: STRONG })).toBe(STRONG);
    expect(requireSecret({ ...production, WOOCOMMERCE_CONSUMER_KEY: 'ck_live1' }, 'WOOCOMMERCE_CONSUMER_KEY', { publicDefaults: ['ck_sandbox'] })).toBe('ck_live1');
    expect(optionalOwnSecret(production, 'WOOCOMMERCE_WEBHOOK_SECRET')).toBeUndefined();
    expect(databaseFromEnv('inventory', { ...production, DATABASE_URL: 'postgres://ponte:s3cr3t-of-our-own@db:5432/ponte' }).url).toMatch(/^postgres:/);
  });
});
