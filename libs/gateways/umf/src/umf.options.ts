import {
  checkBaseUrl,
  errorCodesOf,
  positiveInteger,
  type ErrorCodeOptions,
  type ErrorCodes,
  type GatewayTransportOption,
} from '@refundhub/gateway-kit';

/**
 * Options of {@link UmfModule}. Every option can be set in the operator file under `gateways.umf`
 * (see `umfConfigSchema`); add the gateway's own switches here and there alike.
 */
export interface UmfOptions extends GatewayTransportOption, ErrorCodeOptions {
  /** Gateway origin, e.g. `https://api.umf.example` (TODO: the real production and test hosts). */
  baseUrl: string;
  /** Per-call HTTP timeout. Default 10000. */
  timeoutMs?: number;
  // failedErrorCodes, busyErrorCodes, notFoundErrorCodes (ErrorCodeOptions): the operator's; the codes
  // Umf's documentation proves go to DOCUMENTED_ERROR_CODES below.
}

/** TODO: the codes Umf's documentation proves (a definite refusal, busy, a query's "no such refund"). */
const DOCUMENTED_ERROR_CODES: ErrorCodeOptions = {};

/** Paths of the two calls (PLACEHOLDER: Umf's real endpoints). */
export const UMF_REFUND_PATH = '/refund';
export const UMF_QUERY_PATH = '/refund/query';

/** {@link UmfOptions} with defaults applied and checked once at boot. */
export class UmfSettings {
  readonly refundUrl: string;
  readonly queryUrl: string;
  readonly timeoutMs: number;
  readonly errorCodes: ErrorCodes;

  constructor(options: UmfOptions) {
    const gateway = 'Umf';
    const baseUrl = checkBaseUrl({ gateway, baseUrl: options.baseUrl });
    this.refundUrl = `${baseUrl}${UMF_REFUND_PATH}`;
    this.queryUrl = `${baseUrl}${UMF_QUERY_PATH}`;
    this.timeoutMs = positiveInteger({ gateway, name: 'timeoutMs', value: options.timeoutMs, fallback: 10_000 });
    this.errorCodes = errorCodesOf(options, DOCUMENTED_ERROR_CODES);
  }
}
