/**
 * Wire messages of Baofoo aggregate pay (宝付 宝财通 聚合支付), `order_refund` and `refund_query`
 * (PROTOCOLS.md §4, seed doc 申请退款). Every call is a form-encoded POST of one public envelope to
 * `<baseUrl>/api`; the business fields travel as a JSON string (`bizContent` in requests, `dataContent`
 * in answers and notifications), and the signature covers that string exactly as sent. Amounts are
 * JSON integers of fen.
 */

/** `method` of the envelope: the calls the module makes. The sandbox's faults are keyed by them too. */
export type BaofooMethod = 'order_refund' | 'refund_query';
export type BaofooOperation = BaofooMethod;

export const BAOFOO_METHOD = { refund: 'order_refund', query: 'refund_query' } as const satisfies Record<
  string,
  BaofooMethod
>;

/** Fixed values of the public envelope (接口请求入口). Only RSA is implemented, not SM2. */
export const BAOFOO_ENVELOPE = {
  charset: 'UTF-8',
  version: '1.0',
  format: 'json',
  signType: 'RSA',
} as const;

/** `returnCode`: communication only; SUCCESS says nothing about the refund until `dataContent` does. */
export const BAOFOO_RETURN_CODE = { success: 'SUCCESS', fail: 'FAIL' } as const;

/** `resultCode`: SUCCESS 业务受理成功, FAIL 业务受理失败. */
export const BAOFOO_RESULT_CODE = { success: 'SUCCESS', fail: 'FAIL' } as const;

/** `refundState` (订单状态 appendix). */
export const BAOFOO_REFUND_STATE = {
  /** 退款成功: final. */
  success: 'SUCCESS',
  /** 退款失败: final. */
  refundError: 'REFUND_ERROR',
  /** 退款受理成功: accepted, in progress. */
  refund: 'REFUND',
  /** 退款异常: unknown; also what Baofoo answers for a refund it never received (PROTOCOLS.md §5a). */
  abnormal: 'ABNORMAL',
} as const;
export type BaofooRefundState = (typeof BAOFOO_REFUND_STATE)[keyof typeof BAOFOO_REFUND_STATE];

/** `notifyType` of a notification (通知类型); only REFUND is ours. */
export const BAOFOO_NOTIFY_TYPE = {
  payment: 'PAYMENT',
  sharing: 'SHARING',
  refund: 'REFUND',
  sign: 'SIGN',
} as const;

/** The body Baofoo stops redelivering a notification on (uppercase, plain). */
export const BAOFOO_NOTIFICATION_ACK = 'OK';

/** The request envelope, every field a form field. `bizContent` is the exact string `signStr` signs. */
export interface BaofooRequestEnvelope {
  merId: string;
  terId: string;
  method: BaofooMethod;
  charset: string;
  version: string;
  format: string;
  /** `yyyyMMddHHmmss`, China time; Baofoo refuses more than ±10 minutes off its clock. */
  timestamp: string;
  signType: string;
  /** The sender's certificate serial. */
  signSn: string;
  /** The receiver's certificate serial. */
  ncrptnSn: string;
  /** Digital envelope; refunds send it empty. */
  dgtlEnvlp?: string;
  /** SHA256withRSA over `bizContent`, hex. */
  signStr: string;
  bizContent: string;
}

/** A request envelope as a receiver reads it (the sandbox): every field may be missing. */
export type BaofooReceivedRequestEnvelope = Partial<Record<keyof BaofooRequestEnvelope, string>>;

/** One sharing merchant's part of the refund (`sharingRefundInfo[]`). */
export interface BaofooSharingRefund {
  sharingMerId: string;
  /** Fen. */
  sharingAmt: number;
}

/** The marketing part of the refund (`mktRefundInfo`); only the trading merchant may bear it. */
export interface BaofooMarketingRefund {
  mktMerId: string;
  /** Fen. */
  mktAmt: number;
}

/** `order_refund` bizContent. Exactly one of `originTradeNo` / `originOutTradeNo`. */
export interface BaofooRefundBizContent {
  merId: string;
  terId: string;
  originTradeNo?: string;
  originOutTradeNo?: string;
  /** Our refund number, `[A-Za-z0-9_]{1,50}`; every resubmission sends the same one. */
  outTradeNo: string;
  notifyUrl?: string;
  /** Fen: this refund, paid back to the customer. */
  refundAmt: number;
  /** Fen: `refundAmt` + the marketing amount. */
  totalAmt: number;
  /** `yyyyMMddHHmmss`, China time. */
  txnTime: string;
  sharingRefundInfo?: BaofooSharingRefund[];
  mktRefundInfo?: BaofooMarketingRefund;
  /** Fen advanced by the merchant (垫资金额). */
  advanceAmt?: number;
  refundReason: string;
}

/** `refund_query` bizContent: always by our refund number, with Baofoo's once known. */
export interface BaofooRefundQueryBizContent {
  merId: string;
  terId: string;
  outTradeNo: string;
  tradeNo?: string;
}

export type BaofooBizContent = BaofooRefundBizContent | BaofooRefundQueryBizContent;

/**
 * A JSON amount as received: documented as an integer, seen as a string (PROTOCOLS.md §5a). Read with
 * the kit's `jsonToFen`.
 */
export type BaofooWireAmount = number | string;

/**
 * The answer envelope (JSON). Text fields are read leniently: a number where a string is documented
 * becomes its decimal text. `dataContent` is kept exactly as received, since `signStr` covers it.
 */
export interface BaofooAnswerEnvelope {
  returnCode?: string;
  returnMsg?: string;
  merId?: string;
  terId?: string;
  charset?: string;
  version?: string;
  format?: string;
  signType?: string;
  signSn?: string;
  ncrptnSn?: string;
  signStr?: string;
  dataContent?: string;
}

/** The common outcome fields of every `dataContent`. */
export interface BaofooResultData {
  resultCode?: string;
  refundState?: string;
  errCode?: string;
  errMsg?: string;
}

/** `dataContent` of the answer to `order_refund`. */
export interface BaofooRefundAnswerData extends BaofooResultData {
  originTradeNo?: string;
  originOutTradeNo?: string;
  outTradeNo?: string;
  /** Baofoo's refund number. */
  tradeNo?: string;
  refundAmt?: BaofooWireAmount;
  totalAmt?: BaofooWireAmount;
  reqReserved?: string;
}

/** `dataContent` of the answer to `refund_query`. */
export interface BaofooRefundQueryAnswerData extends BaofooResultData {
  tradeNo?: string;
  outTradeNo?: string;
  /** `yyyyMMddHHmmss`, China time, when the refund succeeded. */
  finishTime?: string;
  /** Fen refunded, when the refund succeeded. */
  succAmt?: BaofooWireAmount;
}

/** The notification envelope: the public fields plus `notifyType`, as JSON or form fields. */
export interface BaofooNotificationEnvelope {
  merId?: string;
  terId?: string;
  charset?: string;
  version?: string;
  format?: string;
  signType?: string;
  signSn?: string;
  ncrptnSn?: string;
  notifyType?: string;
  signStr?: string;
  dataContent?: string;
}

/** `dataContent` of a REFUND notification; without `refundState`, `resultCode` tells the outcome. */
export interface BaofooRefundNotificationData extends BaofooResultData {
  agentMerId?: string;
  agentTerId?: string;
  merId?: string;
  terId?: string;
  tradeNo?: string;
  outTradeNo?: string;
  finishTime?: string;
  succAmt?: BaofooWireAmount;
  txnTime?: string;
}

/**
 * What {@link CredentialsProvider} must return for gateway `baofoo` and one merchant id (`merId`);
 * the shape of `gateways.baofoo.merchants.<merId>`.
 */
export interface BaofooMerchantCredentials {
  /** The terminal number (终端号) sent beside `merId`. */
  terId: string;
  /** The merchant's 2048-bit RSA private key, PKCS#8 or PKCS#1 PEM: signs requests. */
  privateKey: string;
  /**
   * Baofoo's public key (X.509 certificate or SPKI PEM) that verifies answers and notifications; when
   * absent, the gateway-level `platformPublicKey` option.
   */
  platformPublicKey?: string;
  /** The merchant's certificate serial (`signSn`). Default `1`. */
  signSn: string;
  /** Baofoo's certificate serial (`ncrptnSn`). Default `1`. */
  ncrptnSn: string;
}
