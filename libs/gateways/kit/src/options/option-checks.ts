/**
 * Checks of a gateway module's options, run once at boot so a typo stops the app with a message that
 * names the gateway and the option, rather than surfacing as failed refunds later. Values come from
 * YAML or the environment as often as from code, hence `unknown`.
 */

/** An absolute http(s) URL without query or fragment, trailing slashes stripped, ready for `${base}/path`. */
export function checkBaseUrl(input: { gateway: string; baseUrl: unknown; name?: string }): string {
  const { gateway, baseUrl } = input;
  const name = input.name ?? 'baseUrl';
  if (typeof baseUrl !== 'string') throw optionError(gateway, name, 'must be an absolute URL', baseUrl);
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw optionError(gateway, name, 'must be an absolute URL', baseUrl);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw optionError(gateway, name, 'must be http(s)', baseUrl);
  if (url.search !== '' || url.hash !== '' || /[?#]/.test(baseUrl)) {
    throw optionError(gateway, name, 'must not have a query or a fragment', baseUrl);
  }
  return baseUrl.replace(/\/+$/, '');
}

/** One of `allowed`; absent means the first, which is therefore the default. */
export function oneOf<T extends string>(input: {
  gateway: string;
  name: string;
  value: unknown;
  allowed: readonly [T, ...T[]];
}): T {
  const { gateway, name, value, allowed } = input;
  if (value === undefined) return allowed[0];
  const match = allowed.find((candidate) => candidate === value);
  if (match === undefined) throw optionError(gateway, name, `must be one of ${allowed.join(', ')}`, value);
  return match;
}

/** A positive safe integer (timeouts, limits); absent means `fallback`. */
export function positiveInteger(input: { gateway: string; name: string; value: unknown; fallback: number }): number {
  const { gateway, name, value, fallback } = input;
  const number = value === undefined ? fallback : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number <= 0) {
    throw optionError(gateway, name, 'must be a positive integer', number);
  }
  return number;
}

function optionError(gateway: string, name: string, rule: string, value: unknown): Error {
  const shown =
    typeof value === 'string'
      ? `'${value}'`
      : typeof value === 'object' && value !== null
        ? typeof value
        : String(value);
  return new Error(`${gateway} option ${name} ${rule}, got ${shown}`);
}
