/** Field names under which the operator file holds credentials (API key hashes, merchant keys, webhook secrets). */
const SECRET_FIELD = /key|secret|sha256|password|passphrase|pfx/i;

/** Shorter values are not searched for: they could be ordinary words, and no credential is that short. */
const MIN_SECRET_LENGTH = 8;

/** A PEM line this long is key material on its own; a key quoted in part is still a leak. */
const MIN_PEM_LINE_LENGTH = 16;

/**
 * Every credential in a configuration, found by walking it: each value under a field whose name
 * says it is one, and each line of a PEM on its own.
 */
export function configuredSecrets(value: unknown, field = ''): string[] {
  if (typeof value === 'string') {
    if (!SECRET_FIELD.test(field) || value.length < MIN_SECRET_LENGTH) return [];
    const pemLines = value
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length >= MIN_PEM_LINE_LENGTH && !line.startsWith('-----'));
    return [...new Set([value, ...pemLines])];
  }
  if (Array.isArray(value)) return [...new Set(value.flatMap((item) => configuredSecrets(item, field)))];
  if (typeof value === 'object' && value !== null) {
    return [...new Set(Object.entries(value).flatMap(([name, inner]) => configuredSecrets(inner, name)))];
  }
  return [];
}
