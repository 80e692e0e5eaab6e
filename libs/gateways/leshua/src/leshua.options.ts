/**
 * Options of {@link LeshuaModule}. The switches exist because the public Leshua docs and the public
 * implementations disagree (see README and PROTOCOLS.md §1 "Ambiguities"); defaults follow the doc.
 */
export interface LeshuaOptions {
  /** Gateway origin, e.g. `https://paygate.leshuazf.com` (test: `https://t-paygate.lepass.cn`). */
  baseUrl: string;
  /** Per-call HTTP timeout. Default 10000. */
  timeoutMs?: number;
  /**
   * How answers are verified. `doc`: all fields but sign/leshua/resp_code, empty values kept (doc 1099901).
   * `skip-empty`: empty values and error_code left out too (AgPay, the JS plugin). `auto` (default): doc
   * first, then skip-empty; the variant that matched is logged.
   */
  responseVerification?: LeshuaResponseVerification;
  /** Which merchant key verifies notifications. Default `notify` (AgPay, JS plugin; the PHP SDK uses `trade`). */
  notifyKey?: 'notify' | 'trade';
  /**
   * `encoded` (default): `notify_url` is sent URL-encoded, signed over that encoded value, and encoded again
   * by the form encoder, as every public implementation does. `raw`: sent and signed as is.
   */
  notifyUrlEncoding?: 'encoded' | 'raw';
  /**
   * `error_code`s of `unified_query_refund` that mean "no such refund". The vendor's error-code table was
   * not available; the default is the code of the bundled sandbox. Set the real code(s) in production.
   */
  notFoundErrorCodes?: readonly string[];
  /**
   * `error_code`s of `unified_refund` that do not prove the refund was refused (system busy and the like):
   * they map to `unknown`, so the refund is queried instead of being marked failed. Default: the sandbox's.
   */
  unknownErrorCodes?: readonly string[];
}

export type LeshuaResponseVerification = 'doc' | 'skip-empty' | 'auto';

/** Path of the one CGI that serves every `service`. */
export const LESHUA_CGI_PATH = '/cgi-bin/lepos_pay_gateway.cgi';

/** Error code the sandbox uses for an unknown refund; the default of `notFoundErrorCodes`. */
export const LESHUA_SANDBOX_REFUND_NOT_FOUND = 'REFUND_NOT_EXIST';
/** Error code the sandbox uses for "busy, try later"; the default of `unknownErrorCodes`. */
export const LESHUA_SANDBOX_SYSTEM_BUSY = 'SYSTEM_BUSY';

/** {@link LeshuaOptions} with defaults applied and checked once at boot. */
export class LeshuaSettings {
  readonly cgiUrl: string;
  readonly timeoutMs: number;
  readonly responseVerification: LeshuaResponseVerification;
  readonly notifyKey: 'notify' | 'trade';
  readonly notifyUrlEncoding: 'encoded' | 'raw';
  readonly notFoundErrorCodes: ReadonlySet<string>;
  readonly unknownErrorCodes: ReadonlySet<string>;

  constructor(options: LeshuaOptions) {
    this.cgiUrl = `${checkBaseUrl(options.baseUrl)}${LESHUA_CGI_PATH}`;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    if (!Number.isInteger(this.timeoutMs) || this.timeoutMs <= 0) {
      throw new Error(`Leshua option timeoutMs must be a positive integer, got ${String(options.timeoutMs)}`);
    }
    this.responseVerification = oneOf('responseVerification', options.responseVerification, [
      'auto',
      'doc',
      'skip-empty',
    ]);
    this.notifyKey = oneOf('notifyKey', options.notifyKey, ['notify', 'trade']);
    this.notifyUrlEncoding = oneOf('notifyUrlEncoding', options.notifyUrlEncoding, ['encoded', 'raw']);
    this.notFoundErrorCodes = new Set(options.notFoundErrorCodes ?? [LESHUA_SANDBOX_REFUND_NOT_FOUND]);
    this.unknownErrorCodes = new Set(options.unknownErrorCodes ?? [LESHUA_SANDBOX_SYSTEM_BUSY]);
  }
}

function checkBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`Leshua option baseUrl must be an absolute URL, got '${baseUrl}'`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`Leshua option baseUrl must be http(s), got '${baseUrl}'`);
  }
  return baseUrl.replace(/\/+$/, '');
}

/** The first allowed value is the default. */
function oneOf<T extends string>(name: string, value: T | undefined, allowed: readonly [T, ...T[]]): T {
  if (value === undefined) return allowed[0];
  if (!allowed.includes(value)) {
    throw new Error(`Leshua option ${name} must be one of ${allowed.join(', ')}, got '${String(value)}'`);
  }
  return value;
}
