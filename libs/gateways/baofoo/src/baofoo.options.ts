import {
  checkBaseUrl,
  errorCodesOf,
  positiveInteger,
  type ErrorCodeOptions,
  type ErrorCodes,
  type GatewayTransportOption,
} from '@refundhub/gateway-kit';

/**
 * Options of {@link BaofooModule}. Every option can be set in the operator file under `gateways.baofoo`
 * (see `baofooConfigSchema`); add the gateway's own switches here and there alike.
 */
export interface BaofooOptions extends GatewayTransportOption, ErrorCodeOptions {
  /** Gateway origin, e.g. `https://api.baofoo.example` (TODO: the real production and test hosts). */
  baseUrl: string;
  /** Per-call HTTP timeout. Default 10000. */
  timeoutMs?: number;
  // failedErrorCodes, busyErrorCodes, notFoundErrorCodes (ErrorCodeOptions): the operator's; the codes
  // Baofoo's documentation proves go to DOCUMENTED_ERROR_CODES below.
}

/** TODO: the codes Baofoo's documentation proves (a definite refusal, busy, a query's "no such refund"). */
const DOCUMENTED_ERROR_CODES: ErrorCodeOptions = {};

/** Paths of the two calls (PLACEHOLDER: Baofoo's real endpoints). */
export const BAOFOO_REFUND_PATH = '/refund';
export const BAOFOO_QUERY_PATH = '/refund/query';

/** {@link BaofooOptions} with defaults applied and checked once at boot. */
export class BaofooSettings {
  readonly refundUrl: string;
  readonly queryUrl: string;
  readonly timeoutMs: number;
  readonly errorCodes: ErrorCodes;

  constructor(options: BaofooOptions) {
    const gateway = 'Baofoo';
    const baseUrl = checkBaseUrl({ gateway, baseUrl: options.baseUrl });
    this.refundUrl = `${baseUrl}${BAOFOO_REFUND_PATH}`;
    this.queryUrl = `${baseUrl}${BAOFOO_QUERY_PATH}`;
    this.timeoutMs = positiveInteger({ gateway, name: 'timeoutMs', value: options.timeoutMs, fallback: 10_000 });
    this.errorCodes = errorCodesOf(options, DOCUMENTED_ERROR_CODES);
  }
}
