import { describe, expect, it } from 'vitest';
import { isSensitiveKey, redact, REDACTED } from './redact.ts';

describe('redact', () => {
  it('replaces personal data and secrets wherever they nest', () => {
    const variables = {
      input: {
        sku: 'CAM-001-M',
        quantity: 3,
        customer: { firstName: 'Maria', last_name: 'Silva', email: 'maria@example.com', phone: '+55 11 99999-0000', cpf: '123.456.789-09' },
        shippingAddress: { street: 'Rua A', city: 'São Paulo' },
        taxId: '12.345.678/0001-90',
        note: 'deixar na portaria',
        lines: [{ sku: 'CAM-001-P', customerName: 'João' }],
      },
      password: 'hunter2',
      apiKey: 'ponte_admin_abc',
      Authorization: 'Bearer x',
      clientSecret: 's',
      refreshToken: 't',
      documentNumber: '1',
    };
    expect(redact(variables)).toEqual({
      input: {
        sku: 'CAM-001-M',
        quantity: 3,
        customer: { firstName: REDACTED, last_name: REDACTED, email: REDACTED, phone: REDACTED, cpf: REDACTED },
        shippingAddress: REDACTED,
        taxId: REDACTED,
        note: REDACTED,
        lines: [{ sku: 'CAM-001-P', customerName: REDACTED }],
      },
      password: REDACTED,
      apiKey: REDACTED,
      Authorization: REDACTED,
      clientSecret: REDACTED,
      refreshToken: REDACTED,
      documentNumber: REDACTED,
    });
  });

  it('keeps the names of things: products, SKUs, channels, locations', () => {
    const variables = { productName: 'Camiseta Básica', title: 'Camiseta', skuName: 'M', channelName: 'Loja', locationName: 'CD SP', operationName: 'Reserve', reason: 'recount' };
    expect(redact(variables)).toEqual(variables);
    expect(isSensitiveKey('name')).toBe(true);
    expect(isSensitiveKey('fullName')).toBe(true);
    expect(isSensitiveKey('username')).toBe(true);
    expect(isSensitiveKey('sku')).toBe(false);
  });

  it('scrubs e-mail addresses and formatted CPF/CNPJ numbers out of free text', () => {
    expect(redact({ reason: 'cliente maria@example.com, CPF 123.456.789-09, loja 12.345.678/0001-90' })).toEqual({
      reason: `cliente ${REDACTED}, CPF ${REDACTED}, loja ${REDACTED}`,
    });
    // A SKU made of digits is not a CPF.
    expect(redact({ sku: '12345678909' })).toEqual({ sku: '12345678909' });
  });

  it('leaves its input untouched, keeps nulls and scalars, and bounds depth', () => {
    const input = { email: 'a@b.co', nested: { phone: null } };
    const copy = structuredClone(input);
    redact(input);
    expect(input).toEqual(copy);
    expect(redact({ phone: null })).toEqual({ phone: null });
    expect(redact(42)).toBe(42);
    expect(redact(null)).toBe(null);
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100; i++) deep = { next: deep };
    expect(JSON.stringify(redact(deep))).toContain('[truncated]');
  });
});

describe('redaction of hostile strings', () => {
  // A 900 KB reason used to hang the gateway's audit in the e-mail pattern's backtracking
  // (test/e2e/bad-input-corpus.test.ts sends it through the gateway with the audit on).
  it('keeps only the length of a string too long to audit, and still scrubs e-mails in a long one', () => {
    expect(redact({ reason: 'x'.repeat(900_000) })).toEqual({ reason: '[900000 characters]' });
    expect(redact(`${'a'.repeat(1_500)} ana@example.com`)).toBe(`${'a'.repeat(1_500)} ${REDACTED}`);
  });
});
