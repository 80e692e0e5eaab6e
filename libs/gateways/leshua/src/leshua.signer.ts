import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Leshua MD5 signatures (doc 1099901 §数据签名, doc 1099904 for notifications). Fields are sorted by name
 * in ASCII order, joined as `k=v` with `&`, with raw (not URL-encoded) values, then `&key=KEY` is
 * appended and the UTF-8 bytes are hashed. The three rules differ only in which fields take part and in
 * the case of the hex digest. Never log what these functions build: it contains the key.
 */
export type LeshuaSignable = Readonly<Record<string, string | null | undefined>>;

/** `doc`: empty values kept (the doc, the PHP SDK). `skip-empty`: empties and error_code dropped (AgPay, JS plugin). */
export type LeshuaResponseVariant = 'doc' | 'skip-empty';

const RESPONSE_EXCLUDED = ['sign', 'leshua', 'resp_code'];
const RESPONSE_SKIP_EMPTY_EXCLUDED = [...RESPONSE_EXCLUDED, 'error_code'];
const NOTIFICATION_EXCLUDED = ['sign', 'error_code'];

/** Request rule: everything but `sign`; 「空值不传递,不参与签名组串」. */
export function leshuaRequestSignString(params: LeshuaSignable, tradeKey: string): string {
  return signString(params, tradeKey, ['sign'], false);
}

/** Request signature: uppercase MD5 with the trade key. */
export function signLeshuaRequest(params: LeshuaSignable, tradeKey: string): string {
  return md5(leshuaRequestSignString(params, tradeKey)).toUpperCase();
}

/** How the gateway checks our requests; the doc's own request example carries a lowercase sign. */
export function verifyLeshuaRequest(params: LeshuaSignable, tradeKey: string): boolean {
  return sameSign(signLeshuaRequest(params, tradeKey), params['sign']);
}

/** Response rule: 「除 sign、leshua、resp_code 字段外…空值参与签名组串」, or its skip-empty variant. */
export function leshuaResponseSignString(
  fields: LeshuaSignable,
  tradeKey: string,
  variant: LeshuaResponseVariant,
): string {
  return variant === 'doc'
    ? signString(fields, tradeKey, RESPONSE_EXCLUDED, true)
    : signString(fields, tradeKey, RESPONSE_SKIP_EMPTY_EXCLUDED, false);
}

/** Response signature as the gateway makes it: uppercase MD5 with the trade key. */
export function signLeshuaResponse(
  fields: LeshuaSignable,
  tradeKey: string,
  variant: LeshuaResponseVariant = 'doc',
): string {
  return md5(leshuaResponseSignString(fields, tradeKey, variant)).toUpperCase();
}

/**
 * Checks an answer's `sign` (case-insensitively) with the variants `mode` allows, doc rule first.
 * Returns the variant that matched, or null when none did.
 */
export function verifyLeshuaResponse(
  fields: LeshuaSignable,
  tradeKey: string,
  mode: LeshuaResponseVariant | 'auto',
): LeshuaResponseVariant | null {
  const variants: LeshuaResponseVariant[] = mode === 'auto' ? ['doc', 'skip-empty'] : [mode];
  return variants.find((v) => sameSign(signLeshuaResponse(fields, tradeKey, v), fields['sign'])) ?? null;
}

/** Notification rule (doc 1099904): 「error_code、sign 字段不参与签名…空值也参与签名」. */
export function leshuaNotificationSignString(fields: LeshuaSignable, key: string): string {
  return signString(fields, key, NOTIFICATION_EXCLUDED, true);
}

/** Notification signature: lowercase MD5 (doc example and the PHP/JS implementations). */
export function signLeshuaNotification(fields: LeshuaSignable, key: string): string {
  return md5(leshuaNotificationSignString(fields, key)).toLowerCase();
}

/** Compares case-insensitively: AgPay expects uppercase, the doc example is lowercase. */
export function verifyLeshuaNotification(fields: LeshuaSignable, key: string): boolean {
  return sameSign(signLeshuaNotification(fields, key), fields['sign']);
}

function signString(
  fields: LeshuaSignable,
  key: string,
  excluded: readonly string[],
  keepEmpty: boolean,
): string {
  const pairs = Object.keys(fields)
    .filter((name) => !excluded.includes(name))
    // Default sort compares UTF-16 code units, which is ASCII order for ASCII field names.
    .sort()
    .flatMap((name) => {
      const value = fields[name];
      if (value === null || value === undefined) return [];
      if (value === '' && !keepEmpty) return [];
      return [`${name}=${value}`];
    });
  return [...pairs, `key=${key}`].join('&');
}

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

function sameSign(expected: string, received: string | null | undefined): boolean {
  if (typeof received !== 'string') return false;
  const a = Buffer.from(expected.toUpperCase(), 'utf8');
  const b = Buffer.from(received.toUpperCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
