import {
  checkBaseUrl,
  errorCodesOf,
  oneOf,
  positiveInteger,
  type ErrorCodeOptions,
  type ErrorCodes,
  type GatewayTransportOption,
} from '@refundhub/gateway-kit';

/**
 * Options of {@link LeshuaModule}. The switches exist because the public Leshua docs and the public
 * implementations disagree (see README and PROTOCOLS.md §1 "Ambiguities"); defaults follow the doc.
 * Every option can be set in the operator file under `gateways.leshua` (see `leshuaConfigSchema`).
 */
export interface LeshuaOptions extends GatewayTransportOption, ErrorCodeOptions {
  /** Gateway origin, e.g. `https://paygate.leshuazf.com` (test: `https://t-paygate.lepass.cn`). */
  baseUrl: string;
  /** Per-call HTTP timeout. Default 10000. */
  timeoutMs?: number;
  /**
   * How answers are verified. `doc`: all fields but sign/leshua/resp_code, empty values kept (doc 1099901).
   * `skip-empty`: empty values and error_code left out too (AgPay, the JS plugin). `auto` (default): doc
   * first, then skip-empty; the variant that matched is logged.
   */
  responseVerification?: 'auto' | 'doc' | 'skip-empty';
  /** Which merchant key verifies notifications. Default `notify` (AgPay, JS plugin; the PHP SDK uses `trade`). */
  notifyKey?: 'notify' | 'trade';
  /**
   * `encoded` (default): `notify_url` is sent URL-encoded, signed over that encoded value, and encoded again
   * by the form encoder, as every public implementation does. `raw`: sent and signed as is.
   */
  notifyUrlEncoding?: 'encoded' | 'raw';
  // failedErrorCodes, busyErrorCodes, notFoundErrorCodes (ErrorCodeOptions): Leshua's error-code table
  // was not available, so the module documents none; until the operator names them, every refusal is
  // UNKNOWN and the refund is queried.
}

/** Path of the one CGI that serves every `service`. */
export const LESHUA_CGI_PATH = '/cgi-bin/lepos_pay_gateway.cgi';

/** {@link LeshuaOptions} with defaults applied and checked once at boot. */
export class LeshuaSettings {
  readonly cgiUrl: string;
  readonly timeoutMs: number;
  readonly responseVerification: 'auto' | 'doc' | 'skip-empty';
  readonly notifyKey: 'notify' | 'trade';
  readonly notifyUrlEncoding: 'encoded' | 'raw';
  readonly errorCodes: ErrorCodes;

  constructor(options: LeshuaOptions) {
    const gateway = 'Leshua';
    this.cgiUrl = `${checkBaseUrl({ gateway, baseUrl: options.baseUrl })}${LESHUA_CGI_PATH}`;
    this.timeoutMs = positiveInteger({ gateway, name: 'timeoutMs', value: options.timeoutMs, fallback: 10_000 });
    this.responseVerification = oneOf({
      gateway,
      name: 'responseVerification',
      value: options.responseVerification,
      allowed: ['auto', 'doc', 'skip-empty'],
    });
    this.notifyKey = oneOf({ gateway, name: 'notifyKey', value: options.notifyKey, allowed: ['notify', 'trade'] });
    this.notifyUrlEncoding = oneOf({
      gateway,
      name: 'notifyUrlEncoding',
      value: options.notifyUrlEncoding,
      allowed: ['encoded', 'raw'],
    });
    this.errorCodes = errorCodesOf(options);
  }
}
