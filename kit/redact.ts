/**
 * Redaction of personal data and secrets from what Ponte writes down about a request (the audit
 * log's variables, log lines). Pure: it returns a copy and never touches its input.
 *
 * A value is replaced by `[redacted]` when its key names personal data or a secret (e-mail,
 * phone, a person's name, address, CPF/CNPJ or another document, tax id, free-text note,
 * password, secret, token, API key, authorization). Strings anywhere are also scrubbed of
 * e-mail addresses and formatted CPF/CNPJ numbers, since free text (`reason`) may carry them.
 * Product titles, SKUs and the names of channels, locations and products are not personal and stay.
 */
export const REDACTED = '[redacted]';
const TRUNCATED = '[truncated]';
/** Deeper than this the value is dropped: no caller's variables legitimately nest further. */
const MAX_DEPTH = 32;

/** Keys (lower-cased, without `_` and `-`) that name personal data or secrets wherever they appear in the key. */
const SENSITIVE_KEY = /e?mail|phone|address|cpf|cnpj|document|taxid|note|password|passwd|secret|token|apikey|authorization|credential|cookie/;
/** `name` alone, or any `…name` (firstName, lastName, fullName, customerName, username)… */
const NAME_KEY = /name$/;
/** …except the names of things, which are not personal. */
const NAMES_OF_THINGS = new Set([
  'product', 'sku', 'item', 'variant', 'option', 'brand', 'category', 'channel', 'location', 'warehouse', 'platform',
  'store', 'shop', 'operation', 'field', 'type', 'display', 'file', 'host', 'key', 'list', 'listing', 'attribute', 'event',
]);

// Bounded quantifiers (RFC 5321: a local part is at most 64 characters, a domain at most 255):
// with unbounded ones a long string without an `@` costs quadratic time to scan.
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,255}\.[A-Za-z]{2,63}/g;
const FORMATTED_CPF = /\b\d{3}\.\d{3}\.\d{3}-\d{2}\b/g;
const FORMATTED_CNPJ = /\b\d{2}\.\d{3}\.\d{3}\/\d{4}-\d{2}\b/g;

/** Whether a value under `key` is personal data or a secret. */
export function isSensitiveKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[_\-\s]/g, '');
  if (SENSITIVE_KEY.test(normalized)) return true;
  if (!NAME_KEY.test(normalized)) return false;
  return !NAMES_OF_THINGS.has(normalized.slice(0, -'name'.length));
}

/** Longer strings are not kept at all, only their length: nothing Ponte audits needs more. */
const MAX_KEPT_STRING = 2_000;

function scrubText(text: string): string {
  if (text.length > MAX_KEPT_STRING) return `[${text.length} characters]`;
  return text.replace(EMAIL, REDACTED).replace(FORMATTED_CNPJ, REDACTED).replace(FORMATTED_CPF, REDACTED);
}

/** A copy of `value` (JSON-like) with every sensitive field replaced by `[redacted]`. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return TRUNCATED;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    copy[key] = child !== null && child !== undefined && isSensitiveKey(key) ? REDACTED : redact(child, depth + 1);
  }
  return copy;
}
