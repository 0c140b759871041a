/**
 * How a shopper's contact is normalised before it is stored and matched. Every channel writes
 * e-mails, phones and CPFs its own way ("Maria@Example.com ", "(11) 98765-4321", "123.456.789-09");
 * one person must give one value, and one blind-index digest, whichever channel they came from.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { MatchKind } from './models.ts';

export interface PostalAddress {
  street: string | null;
  number: string | null;
  complement: string | null;
  district: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  country: string | null;
}

export interface ContactInput {
  name?: string | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  cpf?: string | null | undefined;
  address?: Partial<Record<keyof PostalAddress, string | null | undefined>> | null | undefined;
}

/** A contact as stored: each value normalised, or absent. */
export interface NormalisedContact {
  name?: string;
  email?: string;
  phone?: string;
  cpf?: string;
  address?: PostalAddress;
}

/** A part of the contact left out, and why (never the value itself). */
export interface RejectedField {
  field: string;
  reason: string;
}

/** The country a phone without a country code is read in: Ponte's merchants sell in Brazil. */
export const DEFAULT_PHONE_COUNTRY = 'BR';

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,63}$/;
/**
 * Domains whose mailboxes ignore dots in the local part and anything after a `+`
 * (https://support.google.com/mail/answer/7436150): "ana.souza+loja@gmail.com" and
 * "anasouza@gmail.com" are one mailbox, so one person. Other providers differ (many treat a dot as
 * significant), so only these are folded.
 */
const DOT_AND_PLUS_BLIND_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/** Trimmed and lower-cased; undefined when it is not an e-mail address. */
export function normaliseEmail(raw: string): string | undefined {
  const email = raw.trim().toLowerCase();
  return EMAIL.test(email) ? email : undefined;
}

/**
 * The e-mail as matched (and blind-indexed): a Gmail address without dots and +tag, on gmail.com.
 * The address shown and exported stays as the shopper gave it (trimmed, lower-cased).
 */
export function emailMatchKey(email: string): string {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (!DOT_AND_PLUS_BLIND_DOMAINS.has(domain)) return email;
  return `${local.split('+')[0]!.replaceAll('.', '')}@gmail.com`;
}

/** Whether eleven digits are a CPF: both check digits right, and not one digit repeated (which passes the sums). */
export function isValidCpf(digits: string): boolean {
  if (!/^\d{11}$/.test(digits) || /^(\d)\1{10}$/.test(digits)) return false;
  const checkDigit = (length: number) => {
    let sum = 0;
    for (let index = 0; index < length; index++) sum += Number(digits[index]) * (length + 1 - index);
    const rest = (sum * 10) % 11;
    return rest === 10 ? 0 : rest;
  };
  return checkDigit(9) === Number(digits[9]) && checkDigit(10) === Number(digits[10]);
}

/** Digits only (punctuation dropped); undefined unless they are a valid CPF. */
export function normaliseCpf(raw: string): string | undefined {
  const digits = raw.replace(/\D/g, '');
  return isValidCpf(digits) ? digits : undefined;
}

/** E.164 (+5511987654321); a number without a country code is Brazilian. Undefined when it is no valid number. */
export function normalisePhone(raw: string): string | undefined {
  const parsed = parsePhoneNumberFromString(raw.trim(), DEFAULT_PHONE_COUNTRY);
  return parsed?.isValid() ? parsed.number : undefined;
}

const clean = (value: string | null | undefined) => {
  const text = value?.replace(/\s+/g, ' ').trim();
  return text ? text : null;
};

/** Trimmed parts, CEP as eight digits, UF and country upper-cased (country BR when absent); undefined when empty. */
export function normaliseAddress(raw: ContactInput['address']): PostalAddress | undefined {
  if (!raw) return undefined;
  const postalDigits = raw.postalCode?.replace(/\D/g, '') ?? '';
  const address: PostalAddress = {
    street: clean(raw.street),
    number: clean(raw.number),
    complement: clean(raw.complement),
    district: clean(raw.district),
    city: clean(raw.city),
    state: clean(raw.state)?.toUpperCase() ?? null,
    postalCode: postalDigits || null,
    country: null,
  };
  if (Object.values(address).every((value) => value === null)) return undefined;
  address.country = clean(raw.country)?.toUpperCase() ?? 'BR';
  return address;
}

/** The contact as Ponte keeps it, and what was left out. */
export function normaliseContact(contact: ContactInput): { contact: NormalisedContact; rejected: RejectedField[] } {
  const normalised: NormalisedContact = {};
  const rejected: RejectedField[] = [];
  const name = clean(contact.name);
  if (name) normalised.name = name;
  if (clean(contact.email)) {
    const email = normaliseEmail(contact.email!);
    if (email) normalised.email = email;
    else rejected.push({ field: 'email', reason: 'not an e-mail address' });
  }
  if (clean(contact.cpf)) {
    const cpf = normaliseCpf(contact.cpf!);
    if (cpf) normalised.cpf = cpf;
    else rejected.push({ field: 'cpf', reason: 'not a valid CPF (eleven digits with both check digits right)' });
  }
  if (clean(contact.phone)) {
    const phone = normalisePhone(contact.phone!);
    if (phone) normalised.phone = phone;
    else rejected.push({ field: 'phone', reason: 'not a valid phone number (read as Brazilian without a country code)' });
  }
  const address = normaliseAddress(contact.address);
  if (address) {
    if (address.postalCode !== null && address.country === 'BR' && address.postalCode.length !== 8) {
      rejected.push({ field: 'address.postalCode', reason: 'a CEP has eight digits' });
      address.postalCode = null;
    }
    normalised.address = address;
  }
  return { contact: normalised, rejected };
}

/** The identifiers a contact is matched on, as the values the blind index is keyed by. */
export function matchValues(contact: NormalisedContact, platformCustomerId: { channel: string; id: string } | undefined): Array<{ kind: MatchKind; value: string }> {
  const values: Array<{ kind: MatchKind; value: string }> = [];
  // The platform's id first: it is the most certain (the platform itself says it is one account).
  if (platformCustomerId) values.push({ kind: 'PLATFORM_CUSTOMER_ID', value: `${platformCustomerId.channel}:${platformCustomerId.id}` });
  if (contact.cpf) values.push({ kind: 'CPF', value: contact.cpf });
  if (contact.email) values.push({ kind: 'EMAIL', value: emailMatchKey(contact.email) });
  if (contact.phone) values.push({ kind: 'PHONE', value: contact.phone });
  return values;
}
