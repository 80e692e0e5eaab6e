/**
 * The canonical strings of the key-value signatures (Leshua and ChaoYing MD5, UMF SHA1withRSA): the
 * fields sorted by name, empties dropped or kept, raw values (never URL-encoded, never trimmed), as
 * `k=v` pairs joined with `&`, or as values joined with `|` (UMF answers and notification acks).
 * Baofoo signs its JSON string as sent and needs none of this.
 *
 * What these functions build may end with the key ({@link withKey}): never log it.
 */

/** Field values as parsed from a form, XML or flat JSON; numbers are signed as written by `String()`. */
export type SignableValue = string | number | boolean | null | undefined;
export type SignableFields = Readonly<Record<string, SignableValue>>;

/**
 * `ascii`: by UTF-16 code unit, which is ASCII order for ASCII names (`Memo` before `amount`).
 * `case-insensitive`: `A` as `a` (ChaoYing's 2024 rule, a UMF answer variant), ties in ASCII order.
 * A comparator covers anything else a gateway's example implies (UMF's doc order).
 */
export type SignOrder = 'ascii' | 'case-insensitive' | ((a: string, b: string) => number);

export interface CanonicalOptions {
  fields: SignableFields;
  /** Names that never take part, e.g. `sign`. */
  exclude?: readonly string[];
  /** Keep `k=` for empty strings (Leshua answers and notifications). null and undefined are always dropped. */
  keepEmpty?: boolean;
  /** Default `ascii`. */
  order?: SignOrder;
}

/** The `k=v` pairs that take part in the signature, in order. */
export function canonicalPairs(options: CanonicalOptions): string[] {
  return canonicalEntries(options).map(([name, value]) => `${name}=${value}`);
}

/** `k1=v1&k2=v2`. */
export function joinPairs(pairs: readonly string[]): string {
  return pairs.join('&');
}

/** The values only, sorted by their names, joined with `|` (UMF answer and notification-ack rule). */
export function joinValues(options: CanonicalOptions): string {
  return canonicalEntries(options)
    .map(([, value]) => value)
    .join('|');
}

/** `s&key=KEY`, the MD5 gateways' keyed string. */
export function withKey(signString: string, key: string): string {
  return `${signString}&key=${key}`;
}

/** Name and value (as text) of each field that takes part, in order. */
export function canonicalEntries(options: CanonicalOptions): Array<[string, string]> {
  const excluded = options.exclude ?? [];
  const entries: Array<[string, string]> = [];
  // A loop, not filter/flatMap: every request and answer is signed, and flatMap is slow on V8.
  for (const name of Object.keys(options.fields).sort(comparator(options.order ?? 'ascii'))) {
    const value = options.fields[name];
    if (value === null || value === undefined || excluded.includes(name)) continue;
    const text = String(value);
    if (text !== '' || options.keepEmpty) entries.push([name, text]);
  }
  return entries;
}

function comparator(order: SignOrder): (a: string, b: string) => number {
  if (typeof order === 'function') return order;
  if (order === 'ascii') return byCodeUnit;
  return (a, b) => byCodeUnit(a.toLowerCase(), b.toLowerCase()) || byCodeUnit(a, b);
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
