import { canonicalPairs, joinPairs, md5Hex, sameSignature, withKey } from '@refundhub/gateway-kit';

/**
 * Leshua MD5 signatures (doc 1099901 §数据签名, doc 1099904 for notifications): the kit's sorted
 * `k=v&` string with raw values, `&key=KEY` appended, MD5 over UTF-8. The three rules differ only
 * in which fields take part and in the case of the hex digest. Never log what these functions
 * build: it contains the key.
 */
export type LeshuaSignable = Readonly<Record<string, string | null | undefined>>;

/** `doc`: empty values kept (the doc, the PHP SDK). `skip-empty`: empties and error_code dropped (AgPay, JS plugin). */
export const LESHUA_RESPONSE_VARIANTS = ['doc', 'skip-empty'] as const;
export type LeshuaResponseVariant = (typeof LESHUA_RESPONSE_VARIANTS)[number];

const REQUEST_EXCLUDED = ['sign'];
const RESPONSE_EXCLUDED = ['sign', 'leshua', 'resp_code'];
const RESPONSE_SKIP_EMPTY_EXCLUDED = [...RESPONSE_EXCLUDED, 'error_code'];
const NOTIFICATION_EXCLUDED = ['sign', 'error_code'];

function signString(fields: LeshuaSignable, key: string, rule: { exclude: string[]; keepEmpty: boolean }): string {
  return withKey(joinPairs(canonicalPairs({ fields, exclude: rule.exclude, keepEmpty: rule.keepEmpty })), key);
}

/** Request rule: everything but `sign`; 「空值不传递,不参与签名组串」. */
export function leshuaRequestSignString(params: LeshuaSignable, tradeKey: string): string {
  return signString(params, tradeKey, { exclude: REQUEST_EXCLUDED, keepEmpty: false });
}

/** Request signature: uppercase MD5 with the trade key. */
export function signLeshuaRequest(params: LeshuaSignable, tradeKey: string): string {
  return md5Hex(leshuaRequestSignString(params, tradeKey)).toUpperCase();
}

/** How the gateway checks our requests; the doc's own request example carries a lowercase sign. */
export function verifyLeshuaRequest(params: LeshuaSignable, tradeKey: string): boolean {
  return sameSignature({
    expected: signLeshuaRequest(params, tradeKey),
    received: params['sign'],
    caseInsensitive: true,
  });
}

/** Response rule: 「除 sign、leshua、resp_code 字段外…空值参与签名组串」, or its skip-empty variant. */
export function leshuaResponseSignString(
  fields: LeshuaSignable,
  tradeKey: string,
  variant: LeshuaResponseVariant,
): string {
  return variant === 'doc'
    ? signString(fields, tradeKey, { exclude: RESPONSE_EXCLUDED, keepEmpty: true })
    : signString(fields, tradeKey, { exclude: RESPONSE_SKIP_EMPTY_EXCLUDED, keepEmpty: false });
}

/** Response signature as the gateway makes it: uppercase MD5 with the trade key. */
export function signLeshuaResponse(
  fields: LeshuaSignable,
  tradeKey: string,
  variant: LeshuaResponseVariant = 'doc',
): string {
  return md5Hex(leshuaResponseSignString(fields, tradeKey, variant)).toUpperCase();
}

/** Whether an answer's `sign` (compared case-insensitively) matches under one response variant. */
export function leshuaResponseMatches(
  fields: LeshuaSignable,
  tradeKey: string,
  variant: LeshuaResponseVariant,
): boolean {
  return sameSignature({
    expected: signLeshuaResponse(fields, tradeKey, variant),
    received: fields['sign'],
    caseInsensitive: true,
  });
}

/**
 * Checks an answer's `sign` with the variants `mode` allows, doc rule first. Returns the variant
 * that matched, or null when none did. (The adapter goes through {@link LeshuaResponseVerifier},
 * which also logs the variant.)
 */
export function verifyLeshuaResponse(
  fields: LeshuaSignable,
  tradeKey: string,
  mode: LeshuaResponseVariant | 'auto',
): LeshuaResponseVariant | null {
  const variants = mode === 'auto' ? LESHUA_RESPONSE_VARIANTS : [mode];
  return variants.find((variant) => leshuaResponseMatches(fields, tradeKey, variant)) ?? null;
}

/** Notification rule (doc 1099904): 「error_code、sign 字段不参与签名…空值也参与签名」. */
export function leshuaNotificationSignString(fields: LeshuaSignable, key: string): string {
  return signString(fields, key, { exclude: NOTIFICATION_EXCLUDED, keepEmpty: true });
}

/** Notification signature: lowercase MD5 (doc example and the PHP/JS implementations). */
export function signLeshuaNotification(fields: LeshuaSignable, key: string): string {
  return md5Hex(leshuaNotificationSignString(fields, key)).toLowerCase();
}

/** Compares case-insensitively: AgPay expects uppercase, the doc example is lowercase. */
export function verifyLeshuaNotification(fields: LeshuaSignable, key: string): boolean {
  return sameSignature({
    expected: signLeshuaNotification(fields, key),
    received: fields['sign'],
    caseInsensitive: true,
  });
}
