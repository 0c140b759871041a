import { describe, expect, it } from 'vitest';
import { cpfWithCheckDigits, demoCustomers } from '../../demo/customers.ts';
import { emailMatchKey, isValidCpf, normaliseAddress, normaliseContact, normaliseCpf, normaliseEmail, normalisePhone } from './normalise.ts';

describe('normalisation of a shopper contact', () => {
  it('trims and lower-cases e-mails, and folds Gmail dots and +tags for matching only', () => {
    expect(normaliseEmail('  Maria.Souza@Example.COM ')).toBe('maria.souza@example.com');
    expect(normaliseEmail('not an e-mail')).toBeUndefined();
    expect(emailMatchKey('ana.souza+loja@gmail.com')).toBe('anasouza@gmail.com');
    expect(emailMatchKey('a.n.a.souza@googlemail.com')).toBe('anasouza@gmail.com');
    // Elsewhere a dot or a +tag may name another mailbox: kept.
    expect(emailMatchKey('ana.souza+loja@example.com')).toBe('ana.souza+loja@example.com');
  });

  it('validates CPF check digits (Receita Federal rule) and keeps digits only', () => {
    expect(isValidCpf('52998224725')).toBe(true);
    expect(normaliseCpf('529.982.247-25')).toBe('52998224725');
    expect(normaliseCpf('529.982.247-24')).toBeUndefined();
    expect(normaliseCpf('111.111.111-11')).toBeUndefined();
    expect(normaliseCpf('1234')).toBeUndefined();
    expect(cpfWithCheckDigits('529982247')).toBe('52998224725');
  });

  it('writes phones in E.164, Brazilian when no country code is given', () => {
    expect(normalisePhone('(11) 98765-4321')).toBe('+5511987654321');
    expect(normalisePhone('+55 21 99876 5432')).toBe('+5521998765432');
    expect(normalisePhone('011 98765-4321')).toBe('+5511987654321');
    expect(normalisePhone('+1 212 555 0123')).toBe('+12125550123');
    expect(normalisePhone('12345')).toBeUndefined();
  });

  it('normalises addresses (CEP digits, UF upper case, BR by default)', () => {
    expect(normaliseAddress({ street: ' Rua  das Flores ', postalCode: '01310-100', state: 'sp', city: 'São Paulo' })).toEqual({
      street: 'Rua das Flores', number: null, complement: null, district: null, city: 'São Paulo', state: 'SP', postalCode: '01310100', country: 'BR',
    });
    expect(normaliseAddress({ street: ' ', city: '' })).toBeUndefined();
  });

  it('reports what it leaves out, never the value', () => {
    const { contact, rejected } = normaliseContact({ name: ' Ana ', email: 'ana@', cpf: '123.456.789-00', phone: 'abc', address: { postalCode: '123' } });
    expect(contact).toEqual({ name: 'Ana', address: expect.objectContaining({ postalCode: null }) });
    expect(rejected.map((each) => each.field)).toEqual(['email', 'cpf', 'phone', 'address.postalCode']);
    expect(JSON.stringify(rejected)).not.toMatch(/ana@|123\.456|abc/);
  });

  it('the demo shoppers are valid: CPFs, phones and e-mails normalise, and every one is unique', () => {
    expect(demoCustomers).toHaveLength(200);
    expect(demoCustomers[0]!.id).toBe('demo-customer-001');
    expect(demoCustomers.at(-1)!.id).toBe('demo-customer-200');
    for (const customer of demoCustomers) {
      expect(normaliseCpf(customer.contact.cpf!), customer.id).toBe(customer.contact.cpf);
      expect(normalisePhone(customer.contact.phone!), customer.id).toBe(customer.contact.phone);
      expect(normaliseEmail(customer.contact.email!), customer.id).toBe(customer.contact.email);
      expect(customer.contact.email).toMatch(/@example\.com$/);
      for (const identity of customer.identities) expect(normaliseContact(identity.contact).rejected, `${customer.id} ${identity.channel}`).toEqual([]);
    }
    for (const field of ['cpf', 'phone', 'email'] as const) expect(new Set(demoCustomers.map((customer) => customer.contact[field])).size).toBe(200);
    expect(demoCustomers.filter((customer) => customer.channels.length > 1).length).toBeGreaterThan(150);
  });
});
