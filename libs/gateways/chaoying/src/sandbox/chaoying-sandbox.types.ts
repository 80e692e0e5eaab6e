import type { FaultMode } from '@refundhub/gateway-kit/sandbox';

import type { ChaoyingMerchantCredentials, ChaoyingOperation } from '../chaoying.types';

export interface ChaoyingSandboxOptions {
  /**
   * Merchants the sandbox knows, by `mch_id`. `key` is the merchant's key: it signs v2 calls, and v1 calls
   * when `agentKey` is not set. Calls from other merchants are refused `20005`, unsigned.
   */
  merchants: Readonly<Record<string, ChaoyingMerchantCredentials>>;
  /** The agent (代理商编号) v1 calls must carry as `agent_id`. Unset: every v1 call is refused `20012`. */
  agentId?: string;
  /** v1: the agent's key, for every merchant. Unset: each merchant's `key` is the agent's key. */
  agentKey?: string;
  /** `refundquery` calls after which a PROCESSING refund becomes final. Default 1; overridable per refund. */
  queriesUntilFinal?: number;
  /** The clock for `refund_time` and the request log. Default `() => new Date()`. */
  now?: () => Date;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0: a random free port. */
  port?: number;
}

/** Which endpoint a call reached: v1 `/UnifiedPay/Gateway` (agent) or v2 `/v2/UnifiedPay/Gateway` (merchant key). */
export type ChaoyingSandboxEndpoint = 'v1' | 'v2';

export interface ChaoyingSandboxOrderSeed {
  merchantId: string;
  /** 商户订单号. */
  outTradeNo: string;
  /** 平台单号. Generated when absent. */
  transactionId?: string;
  /** Paid amount in fen: what `total_fee` must say. */
  totalFee: number;
  /** `paytype` the refund must carry; any documented paytype is accepted when absent. */
  payType?: string;
}

export interface ChaoyingSandboxOrder {
  merchantId: string;
  outTradeNo: string;
  transactionId: string;
  /** 第三方 (WeChat / Alipay) transaction number, answered as `out_transaction_id`. */
  outTransactionId: string;
  totalFee: number;
  payType?: string;
  /** What is left to refund, fen; refunds in progress (PROCESSING, NOTSURE) already count against it. */
  balance: number;
}

/** `refund_status` values the sandbox uses. */
export type ChaoyingSandboxRefundStatus = 'PROCESSING' | 'NOTSURE' | 'SUCCESS' | 'FAIL' | 'CHANGE';

/** How a refund ends: SUCCESS, FAIL (money back to the order), CHANGE (转入代发) or NOTSURE (stays unsettled). */
export type ChaoyingSandboxOutcome = 'success' | 'fail' | 'change' | 'notsure';

export interface ChaoyingSandboxRefundPlan {
  /**
   * `notsure` turns the refund NOTSURE after `afterQueries` queries and leaves it so until
   * {@link ChaoyingSandbox.complete} or another `planRefund` settles it.
   */
  outcome: ChaoyingSandboxOutcome;
  /** `refundquery` calls until the outcome; 0 settles it when the refund is accepted. Default: `queriesUntilFinal`. */
  afterQueries?: number;
  /** Kept on a FAIL refund (the wire has no field for it). */
  failReason?: string;
}

export interface ChaoyingSandboxRefund {
  merchantId: string;
  outRefundNo: string;
  /** 平台退款单号. */
  refundId: string;
  /** 第三方退款单号 (`out_refund_id` in `refund_list`). */
  outRefundId: string;
  outTradeNo: string;
  transactionId: string;
  payType: string;
  refundFee: number;
  status: ChaoyingSandboxRefundStatus;
  /** `refundquery` calls that found this refund. */
  queries: number;
  createdAt: Date;
  /** Set once SUCCESS, FAIL or CHANGE. */
  refundTime?: Date;
  failReason?: string;
}

export interface ChaoyingSandboxFaultOptions {
  /** Only calls of this `method` consume the fault. Default: any. */
  operation?: ChaoyingOperation;
  /** How many matching calls it affects. Default 1. */
  times?: number;
  /**
   * Process the call as usual before misbehaving (so a timed-out refund exists afterwards). The modes that
   * alter the real answer (`badsign`, `unsigned`, `other_refund`, `other_amount`) always process.
   */
  process?: boolean;
}

/** What {@link ChaoyingSandbox.rejectNext} answers, signed, instead of doing the call. */
export interface ChaoyingSandboxRejection {
  code: string;
  msg: string;
  /** Default `SUCCESS` (a business refusal); `FAIL` answers `{ state, code, msg, sign }`. */
  state?: string;
  /** Default `FAIL` when `state` is SUCCESS, e.g. `NEED_QUERY`. */
  tradeState?: string;
}

export interface ChaoyingSandboxRequestRecord {
  /** The call's `method` as received (`''` when missing or the body was not a form). */
  operation: string;
  endpoint: ChaoyingSandboxEndpoint;
  /** The form as received (signs are not secrets; keys never travel). */
  params: Readonly<Record<string, string>>;
  fault?: FaultMode;
  at: Date;
}
