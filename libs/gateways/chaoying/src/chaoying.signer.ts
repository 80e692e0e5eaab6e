import { canonicalPairs, joinPairs, md5Hex, sameSignature, withKey } from '@refundhub/gateway-kit';

/**
 * ChaoYing signatures (RULES.md / rules.md): 「非空参数值的参数按照参数名ASCII码从小到大排序…拼接成字符串
 * stringA…stringA&key={KEY}…MD5…转换为大写」, the same rule for requests and for answers, `sign` left
 * out. The 2024 rules sort case-insensitively ("A视为a"); every documented name is lower case, so both
 * orders agree, and case-insensitive sorting is used. Answers are checked over their values exactly as
 * received (`refund_list` as the raw JSON string). Never log what these functions build: it holds the key.
 */
export type ChaoyingSignable = Readonly<Record<string, string | null | undefined>>;

const EXCLUDED = ['sign'];

/** The string that is signed. */
export function chaoyingSignString(fields: ChaoyingSignable, key: string): string {
  return withKey(
    joinPairs(canonicalPairs({ fields, exclude: EXCLUDED, keepEmpty: false, order: 'case-insensitive' })),
    key,
  );
}

/** Uppercase MD5 of the sign string. */
export function signChaoying(fields: ChaoyingSignable, key: string): string {
  return md5Hex(chaoyingSignString(fields, key)).toUpperCase();
}

/** Whether `fields.sign` signs the other fields; a missing or empty sign never verifies. */
export function verifyChaoying(fields: ChaoyingSignable, key: string): boolean {
  return sameSignature({ expected: signChaoying(fields, key), received: fields['sign'], caseInsensitive: true });
}
