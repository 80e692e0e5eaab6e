import { z } from 'zod';

/** The `baseUrl` value that selects a gateway's built-in simulator instead of the real host. */
export const SANDBOX_BASE_URL = 'sandbox';

const INTEGER_TEXT = /^-?\d+$/;

/**
 * An integer that may also be written as a string: a value that comes from `${PORT}`
 * is always a string, and operators should not need a second syntax for numbers.
 */
export function integer(min: number, max: number = Number.MAX_SAFE_INTEGER) {
  return z.preprocess(
    (value) => (typeof value === 'string' && INTEGER_TEXT.test(value.trim()) ? Number(value.trim()) : value),
    z.number().int().min(min).max(max),
  );
}

const DURATION_TEXT = /^(\d+)\s*(ms|s|m|h|d)$/;
const DURATION_UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A duration in milliseconds, written as a number of milliseconds or as a number with a unit:
 * `500ms`, `90s`, `5m`, `6h`, `3d`. Schedules that span days read better that way.
 */
export function duration(min = 1) {
  return z.preprocess(
    (value) => {
      if (typeof value !== 'string') return value;
      const text = value.trim();
      if (INTEGER_TEXT.test(text)) return Number(text);
      const match = DURATION_TEXT.exec(text);
      return match ? Number(match[1]) * DURATION_UNIT_MS[match[2]] : value;
    },
    z
      .number({ error: 'expected a duration: milliseconds, or a number with ms, s, m, h or d ("90s", "5m", "3d")' })
      .int()
      .min(min),
  );
}

/** A positive number (fractions allowed), also written as a string. */
export function positiveNumber() {
  return z.preprocess(
    (value) => (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value.trim()) : value),
    z.number().positive(),
  );
}

/** A boolean that may also be written as 'true' / 'false', for the same reason as integer(). */
export function boolean() {
  return z.preprocess((value) => {
    if (value === 'true') return true;
    if (value === 'false') return false;
    return value;
  }, z.boolean());
}

/** A key, certificate or password; never echoed in problems. */
export function secret() {
  return z.string().min(1);
}

/**
 * A gateway-assigned identifier (agent id, terminal id, ...). Strings only: unquoted in
 * YAML they would become numbers and lose leading zeros or precision.
 */
export function identifier() {
  return z.string().min(1);
}

/** `sandbox`, or the gateway's http(s) base URL without a trailing slash. */
export function baseUrl() {
  return z
    .string()
    .refine((value) => value === SANDBOX_BASE_URL || isHttpUrl(value), {
      message: `must be "${SANDBOX_BASE_URL}" or an http(s) URL`,
    })
    .transform(withoutTrailingSlash);
}

/** An http(s) URL without a trailing slash, so paths can be appended with `/`. */
export function httpUrl() {
  return z
    .string()
    .refine(isHttpUrl, { message: 'must be an http(s) URL without query or fragment' })
    .transform(withoutTrailingSlash);
}

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.search === '' && url.hash === '';
}

function withoutTrailingSlash(value: string): string {
  return value.replace(/\/+$/, '');
}
