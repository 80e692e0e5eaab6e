/**
 * Wire messages of ChaoYing's UnifiedPay gateway (超赢 / yunpos), `method=refund` and
 * `method=refundquery` (seed doc "交易退款", PROTOCOLS.md §2). Requests are form-encoded POSTs to one
 * endpoint; answers are flat JSON objects of strings, `refund_list` being itself a JSON string.
 * Amounts are integer fen as strings.
 */

/** The calls the module makes; the sandbox's faults and refusals are keyed by them too. */
export type ChaoyingOperation = 'refund' | 'refundquery';

/** `paytype` values (参数规定); the order's `payMethod` must be one of them. */
export const CHAOYING_PAY_TYPES = [
  'WECHAT',
  'ALIPAY',
  'UNIONPAY',
  'ECNY',
  'LONGPAY',
  'BESTPAY',
  'JDPAY',
  'QQ',
] as const;
export type ChaoyingPayType = (typeof CHAOYING_PAY_TYPES)[number];

/** Common parameters: `agent_id` only on the v1 endpoint, whose requests the agent's key signs. */
type ChaoyingCommonParams = {
  agent_id?: string;
  version?: string;
  pid?: string;
};

/** `method=refund`. Exactly one of `out_trade_no` / `transaction_id` is sent (the docs disagree on priority). */
// Type aliases (not interfaces) so they are assignable to the signer's string records.
export type ChaoyingRefundParams = ChaoyingCommonParams & {
  method: 'refund';
  paytype: string;
  mch_id: string;
  out_trade_no?: string;
  transaction_id?: string;
  /** ≤ 32 characters; every resubmission sends the same one. */
  out_refund_no: string;
  /** The order's total, fen. */
  total_fee: string;
  /** This refund, fen. */
  refund_fee: string;
  op_user_id: string;
};

/** `method=refundquery`, by our refund number (and the platform's, once known). */
export type ChaoyingRefundQueryParams = ChaoyingCommonParams & {
  method: 'refundquery';
  paytype: string;
  mch_id: string;
  out_refund_no: string;
  refund_id?: string;
};

export type ChaoyingRequestParams = ChaoyingRefundParams | ChaoyingRefundQueryParams;

/** `state`: the communication status. */
export const CHAOYING_STATE = { success: 'SUCCESS', fail: 'FAIL', versionTooLow: 'VER' } as const;

/** `trade_state` of a refund answer. SUCCESS means the refund *application* was accepted (WeChat Pay v2). */
export const CHAOYING_TRADE_STATE = {
  success: 'SUCCESS',
  fail: 'FAIL',
  processing: 'PROCESSING',
  needQuery: 'NEED_QUERY',
  refund: 'REFUND',
} as const;

/** `refund_status` inside `refund_list`. */
export const CHAOYING_REFUND_STATUS = {
  success: 'SUCCESS',
  fail: 'FAIL',
  processing: 'PROCESSING',
  /** 未确定: still to be settled; query again. */
  notSure: 'NOTSURE',
  /** 转入代发: final for the platform, a person must pay it out. */
  change: 'CHANGE',
} as const;

/** Every field of an answer as received, unknown ones included: the signature covers them all. */
export type ChaoyingFields = Readonly<Record<string, string>>;

/** The answer to `refund`. Fields after `trade_state` come only when `state` and `trade_state` are SUCCESS. */
export interface ChaoyingRefundAnswer {
  state?: string;
  code?: string;
  msg?: string;
  trade_state?: string;
  mch_id?: string;
  transaction_id?: string;
  out_trade_no?: string;
  out_transaction_id?: string;
  out_refund_no?: string;
  refund_id?: string;
  refund_channel?: string;
  refund_fee?: string;
  coupon_refund_fee?: string;
  total_fee?: string;
  paytype?: string;
  nonce_str?: string;
  sign?: string;
}

/** The answer to `refundquery`; `refund_list` is a JSON string of {@link ChaoyingListedRefund}. */
export interface ChaoyingRefundQueryAnswer {
  state?: string;
  code?: string;
  msg?: string;
  trade_state?: string;
  mch_id?: string;
  refund_count?: string;
  refund_fee_summary?: string;
  refund_list?: string;
  sign?: string;
}

/** One refund of the order, inside `refund_list`. */
export interface ChaoyingListedRefund {
  serial_no?: string;
  refund_id?: string;
  out_refund_id?: string;
  out_refund_no?: string;
  refund_channel?: string;
  refund_fee?: string;
  base_refund_fee?: string;
  coupon_refund_fee?: string;
  refund_status?: string;
  /** `yyyyMMddHHmmss` (2017 doc) or `yyyy-MM-dd HH:mm:ss` (2024 example), China time. */
  refund_time?: string;
}

/** What {@link CredentialsProvider} must return for gateway `chaoying` and one merchant id. */
export interface ChaoyingMerchantCredentials {
  /** The key that signs this merchant's requests: the agent's key on v1 (`agentId` set), the merchant's own on v2. */
  key?: string;
}
