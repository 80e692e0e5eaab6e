import { createHash, timingSafeEqual } from 'node:crypto';

import { encodeText, type Charset } from './charset';

/** Lowercase hex MD5 of the text's bytes; the MD5 gateways upper-case it themselves where they do. */
export function md5Hex(text: string, options: { charset?: Charset } = {}): string {
  return createHash('md5')
    .update(encodeText(text, options.charset ?? 'utf8'))
    .digest('hex');
}

/**
 * Compares a computed signature with the one received without leaking, through timing, how much of
 * it matched: both sides are hashed to equal length first, so not even the length leaks. A missing
 * or empty signature never matches: an unsigned answer is not an answer.
 */
export function sameSignature(input: {
  expected: string;
  received: string | null | undefined;
  /** Hex digests: Leshua's doc example and its answers differ in case. */
  caseInsensitive?: boolean;
}): boolean {
  const { expected, received } = input;
  if (typeof received !== 'string' || received === '' || expected === '') return false;
  const fold = (text: string) => (input.caseInsensitive ? text.toUpperCase() : text);
  return timingSafeEqual(sha256(fold(expected)), sha256(fold(received)));
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
