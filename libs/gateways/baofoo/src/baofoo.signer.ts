import { canonicalPairs, joinPairs, md5Hex, sameSignature, withKey } from '@refundhub/gateway-kit';

/**
 * Baofoo signatures.
 *
 * PLACEHOLDER, to be replaced with Baofoo's real rule: this is the common MD5 rule (fields sorted by
 * name, empty values and `sign` left out, `k=v` joined with `&`, `&key=KEY` appended, MD5 over UTF-8,
 * uppercase hex), applied alike to requests and answers. Check against the documentation which fields
 * take part, whether empty values do, the order, the charset, the digest (MD5, SHA-256, RSA: see the
 * kit's `signRsa`/`verifyRsa`) and its case, and whether answers and notifications follow other rules.
 * Never log what these functions build: it contains the key.
 */
export type BaofooSignable = Readonly<Record<string, string | null | undefined>>;

const EXCLUDED = ['sign'];

/** The string that is signed. */
export function baofooSignString(fields: BaofooSignable, key: string): string {
  return withKey(joinPairs(canonicalPairs({ fields, exclude: EXCLUDED, keepEmpty: false })), key);
}

/** The signature of a request (and, in this placeholder, of an answer). */
export function signBaofoo(fields: BaofooSignable, key: string): string {
  return md5Hex(baofooSignString(fields, key)).toUpperCase();
}

/** Whether `fields.sign` is the signature of the other fields; a missing sign never verifies. */
export function verifyBaofoo(fields: BaofooSignable, key: string): boolean {
  return sameSignature({ expected: signBaofoo(fields, key), received: fields['sign'], caseInsensitive: true });
}
