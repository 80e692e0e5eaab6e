import {
  checkBaseUrl,
  errorCodesOf,
  oneOf,
  positiveInteger,
  rsaPublicKey,
  type ErrorCodeOptions,
  type ErrorCodes,
  type GatewayTransportOption,
} from '@refundhub/gateway-kit';

/** Every method is a POST to this one path: `https://juhe.baofoo.com/api`. */
export const BAOFOO_API_PATH = '/api';

/** Production, its backup, and the test host (PROTOCOLS.md §4 Endpoints). */
export const BAOFOO_BASE_URLS = {
  production: 'https://juhe.baofoo.com',
  backup: 'https://juhe-backup.baofoo.com',
  test: 'https://mch-juhe.baofoo.com',
} as const;

/**
 * Which time `txnTime` (交易时间) carries. The seed's description reads 订单交易时间 (the order's);
 * PROTOCOLS.md §4 reads it as the refund's initiation time, which is the default (DESIGN Decisions).
 */
export const BAOFOO_TXN_TIME_VARIANTS = ['submission', 'paid_at'] as const;
export type BaofooTxnTimeVariant = (typeof BAOFOO_TXN_TIME_VARIANTS)[number];

/** Orders paid more than this many calendar days ago (China time) are refused before anything is sent. */
export const BAOFOO_REFUND_WINDOW_DAYS = 365;

/**
 * Options of {@link BaofooModule}. Every option can be set in the operator file under `gateways.baofoo`
 * (see `baofooConfigSchema`).
 */
export interface BaofooOptions extends GatewayTransportOption, ErrorCodeOptions {
  /** Gateway origin: `https://juhe.baofoo.com` (test: `https://mch-juhe.baofoo.com`). */
  baseUrl: string;
  /** Per-call HTTP timeout. Default 10000. */
  timeoutMs?: number;
  /**
   * Baofoo's public key (X.509 certificate or SPKI PEM), the same for every merchant; a merchant's own
   * `platformPublicKey` wins over it.
   */
  platformPublicKey?: string;
  /** `submission` (default): the time of this submission; `paid_at`: the order's paid time. */
  txnTime?: BaofooTxnTimeVariant;
  /** "Not accepted now, submit again later with the same number": added to `NOT_SUPPORT_CONCURRENT`. */
  deferredErrorCodes?: readonly string[];
  // failedErrorCodes, busyErrorCodes, notFoundErrorCodes (ErrorCodeOptions): added to the documented ones below.
}

/**
 * Baofoo's error codes (错误码, bct-1f9qrfsj2fcbu) by what they prove.
 *
 * Definite failures, each a refusal that proves no refund was made or will be: parameters and setup
 * (INVALID_PARAMETER, UNOPENED_PRODUCT, AGENT_RELATION_NOT_EXISTS, MERCHANT_NOT_EXIST, TERMINAL_NOT_EXIST,
 * MERID_TERID_NOT_MATCH, FEE_MER_ID_ERROR, MERCHANT_NOT_REPORT), signature and envelope (VERIFY_ERROR,
 * DGTL_DEC_ERROR), the order (ORDER_NOT_EXIST: no such original order; ORDER_NOT_SUPPORT_REFUNDS: unpaid),
 * amounts (REFUND_AMT_EXCEEDS, TRADE_AMT_EXCEEDS_LIMIT), sharing configuration (SHARE_INFO_NOT_CORRECT,
 * SHARE_DEPLOY_NOT_EXIST, DEPLOY_NOT_CORRECT) and risk control (RISK_REFUSED).
 *
 * Left unknown on purpose: ORDER_CREATED_FAIL (does not say whether anything was created),
 * CHANNEL_RETURN_ERR (a channel error), PAY_CODE_ERROR / NOT_SUPPORT_PAY_CODE (about pay codes, which a
 * refund does not carry: their meaning for a refund is unknown). SYSTEM_BUSY and TRADE_UNCONFIRMED
 * (交易结果未知，请稍后查询) are busy. On a query, ORDER_NOT_EXIST means the refund does not exist.
 */
export const BAOFOO_DOCUMENTED_ERROR_CODES: Required<ErrorCodeOptions> = {
  failedErrorCodes: [
    'INVALID_PARAMETER',
    'UNOPENED_PRODUCT',
    'AGENT_RELATION_NOT_EXISTS',
    'MERCHANT_NOT_EXIST',
    'TERMINAL_NOT_EXIST',
    'MERID_TERID_NOT_MATCH',
    'FEE_MER_ID_ERROR',
    'MERCHANT_NOT_REPORT',
    'VERIFY_ERROR',
    'DGTL_DEC_ERROR',
    'ORDER_NOT_EXIST',
    'ORDER_NOT_SUPPORT_REFUNDS',
    'REFUND_AMT_EXCEEDS',
    'TRADE_AMT_EXCEEDS_LIMIT',
    'SHARE_INFO_NOT_CORRECT',
    'SHARE_DEPLOY_NOT_EXIST',
    'DEPLOY_NOT_CORRECT',
    'RISK_REFUSED',
  ],
  busyErrorCodes: ['SYSTEM_BUSY', 'TRADE_UNCONFIRMED'],
  notFoundErrorCodes: ['ORDER_NOT_EXIST'],
};

/** 请分批次执行: another refund of the order is in flight; this one was not accepted (the port's `deferred`). */
export const BAOFOO_DEFERRED_ERROR_CODES: readonly string[] = ['NOT_SUPPORT_CONCURRENT'];

/**
 * "Already created" on a resubmission (PROTOCOLS.md §5a): the refund exists, its state is learned by a
 * query. Never a failure, whatever the operator lists.
 */
export const BAOFOO_ALREADY_CREATED_ERROR_CODES: readonly string[] = ['ORDER_EXIST', 'REPEATED_REQUEST'];

/** Baofoo's error codes by meaning: the kit's three lists plus deferred and already created. */
export interface BaofooErrorCodes extends ErrorCodes {
  deferred: ReadonlySet<string>;
  alreadyCreated: ReadonlySet<string>;
}

/** {@link BaofooOptions} with defaults applied and checked once at boot. */
export class BaofooSettings {
  readonly apiUrl: string;
  readonly timeoutMs: number;
  readonly txnTime: BaofooTxnTimeVariant;
  readonly errorCodes: BaofooErrorCodes;
  private readonly platformPublicKey: string | null;

  constructor(options: BaofooOptions) {
    const gateway = 'Baofoo';
    this.apiUrl = `${checkBaseUrl({ gateway, baseUrl: options.baseUrl })}${BAOFOO_API_PATH}`;
    this.timeoutMs = positiveInteger({ gateway, name: 'timeoutMs', value: options.timeoutMs, fallback: 10_000 });
    this.txnTime = oneOf({ gateway, name: 'txnTime', value: options.txnTime, allowed: BAOFOO_TXN_TIME_VARIANTS });
    this.platformPublicKey = options.platformPublicKey || null;
    // A key that cannot be read stops the boot rather than every answer later.
    if (this.platformPublicKey) rsaPublicKey(this.platformPublicKey, 'Baofoo option platformPublicKey');
    const alreadyCreated = new Set(BAOFOO_ALREADY_CREATED_ERROR_CODES);
    const codes = errorCodesOf(options, BAOFOO_DOCUMENTED_ERROR_CODES);
    this.errorCodes = {
      ...codes,
      failed: new Set([...codes.failed].filter((code) => !alreadyCreated.has(code))),
      deferred: new Set([...BAOFOO_DEFERRED_ERROR_CODES, ...(options.deferredErrorCodes ?? [])]),
      alreadyCreated,
    };
  }

  /** The key that verifies what Baofoo sends about a merchant: the merchant's own, else the gateway's. */
  platformKey(merchantId: string, merchantKey: string | undefined): string {
    const key = merchantKey || this.platformPublicKey;
    if (!key) {
      throw new Error(
        `Baofoo merchant ${merchantId} has no platformPublicKey and the option platformPublicKey is not set`,
      );
    }
    return key;
  }
}
