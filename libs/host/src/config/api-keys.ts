import { createHash } from 'node:crypto';

/** What an API key may touch: every merchant, or a list of `<gateway>:<merchantId>`. */
export type MerchantScope = '*' | string[];

/** Lowercase hex SHA-256 of UTF-8 text: how API keys are stored in the configuration. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** `'*'` as soon as one entry is `*`: a wildcard makes the other entries meaningless. */
export function parseMerchantScope(entries: readonly string[]): MerchantScope {
  if (entries.includes('*')) return '*';
  return [...new Set(entries)];
}

export function isMerchantInScope(scope: MerchantScope, gateway: string, merchantId: string): boolean {
  return scope === '*' || scope.includes(`${gateway}:${merchantId}`);
}
