import {
  checkBaseUrl,
  errorCodesOf,
  positiveInteger,
  type ErrorCodeOptions,
  type ErrorCodes,
  type GatewayTransportOption,
} from '@refundhub/gateway-kit';

/**
 * Options of {@link __Id__Module}. Every option can be set in the operator file under `gateways.__ID__`
 * (see `__ID__ConfigSchema`); add the gateway's own switches here and there alike.
 */
export interface __Id__Options extends GatewayTransportOption, ErrorCodeOptions {
  /** Gateway origin, e.g. `https://api.__ID__.example` (TODO: the real production and test hosts). */
  baseUrl: string;
  /** Per-call HTTP timeout. Default 10000. */
  timeoutMs?: number;
  // failedErrorCodes, busyErrorCodes, notFoundErrorCodes (ErrorCodeOptions): the operator's; the codes
  // __Id__'s documentation proves go to DOCUMENTED_ERROR_CODES below.
}

/** TODO: the codes __Id__'s documentation proves (a definite refusal, busy, a query's "no such refund"). */
const DOCUMENTED_ERROR_CODES: ErrorCodeOptions = {};

/** Paths of the two calls (PLACEHOLDER: __Id__'s real endpoints). */
export const __ID_UPPER___REFUND_PATH = '/refund';
export const __ID_UPPER___QUERY_PATH = '/refund/query';

/** {@link __Id__Options} with defaults applied and checked once at boot. */
export class __Id__Settings {
  readonly refundUrl: string;
  readonly queryUrl: string;
  readonly timeoutMs: number;
  readonly errorCodes: ErrorCodes;

  constructor(options: __Id__Options) {
    const gateway = '__Id__';
    const baseUrl = checkBaseUrl({ gateway, baseUrl: options.baseUrl });
    this.refundUrl = `${baseUrl}${__ID_UPPER___REFUND_PATH}`;
    this.queryUrl = `${baseUrl}${__ID_UPPER___QUERY_PATH}`;
    this.timeoutMs = positiveInteger({ gateway, name: 'timeoutMs', value: options.timeoutMs, fallback: 10_000 });
    this.errorCodes = errorCodesOf(options, DOCUMENTED_ERROR_CODES);
  }
}
