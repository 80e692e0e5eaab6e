/**
 * Wire messages of UMF (联动优势) mofun 惠商+ in-pay-client (PROTOCOLS.md §3): `/online/refund`,
 * `/refund/query` and the 交易结果通知. Requests are one form field `context` holding a flat JSON object
 * of strings; answers and notifications are flat JSON objects of strings. Amounts are integer fen as
 * strings; dates `yyyyMMdd` and times `HHmmss`, China time.
 */

/** The calls the module makes; the sandbox's faults and refusals are keyed by them too. */
export type UmfOperation = 'refund' | 'query';

/** `payType` (AL 支付宝, WX 微信, YL 银联二维码). */
export const UMF_PAY_TYPES = ['AL', 'WX', 'YL'] as const;
export type UmfPayType = (typeof UMF_PAY_TYPES)[number];

/** `apiVersion` of a refund and `version` of a query: 定值 1.0. */
export const UMF_API_VERSION = '1.0';

/** The documented `retCode`s (globalparamexplain.md); the rest of the table was never published. */
export const UMF_RET_CODE = {
  /** 成功: on a refund, the refund was *accepted* (受理成功), not yet refunded. */
  success: '0000',
  /** 系统异常: nothing is known. */
  systemError: '9999',
  /** 验签失败: the platform refused our signature. */
  signatureRefused: '3333',
} as const;

/** `status` of a query answer: 1 成功, 2 失败, 其他当受理中. */
export const UMF_QUERY_STATUS = { succeeded: '1', failed: '2' } as const;

/** `tradeState` of a notification (交易状态说明). */
export const UMF_TRADE_STATE = {
  waitBuyerPay: 'WAIT_BUYER_PAY',
  tradeSuccess: 'TRADE_SUCCESS',
  tradeClosed: 'TRADE_CLOSED',
  tradeCancel: 'TRADE_CANCEL',
  tradeFail: 'TRADE_FAIL',
  refundSuccess: 'REFUND_SUCCESS',
  refundFail: 'REFUND_FAIL',
} as const;

/** `funCode` of a notification, repeated in its acknowledgement. */
export const UMF_NOTIFY_FUN_CODE = 'PayResultNotify';

// Type aliases (not interfaces) so they are assignable to the signer's string records.

/** `/in-pay-client/online/refund` (seed doc table; its example is a POS-plugin message and is not followed). */
export type UmfRefundParams = {
  /** 商户号 (8). */
  subMerId: string;
  payType: UmfPayType;
  /** 集成商ID (4). */
  proxyId: string;
  /** This refund, fen (the table says 订单金额; the answer says 退款金额: partial refunds make it the refund's). */
  amount: string;
  /** The paid order's merchant number. */
  partnerOrderId: string;
  /** Our refund number, ≤ 32; every resubmission sends the same one. */
  refundPartnerOrderId: string;
  /** 原订单日期 `yyyyMMdd`. */
  orderDate: string;
  apiVersion: typeof UMF_API_VERSION;
  reqDate: string;
  reqTime: string;
  shopNo?: string;
  operator?: string;
  /** Only `http(s)://` with `[A-Za-z0-9/&%?=]`; left out otherwise. */
  notifyUrl?: string;
};

/** `/in-pay-client/refund/query`: `version`, not `apiVersion`. */
export type UmfQueryParams = {
  subMerId: string;
  proxyId: string;
  reqDate: string;
  reqTime: string;
  payType?: UmfPayType;
  partnerOrderId: string;
  refundPartnerOrderId: string;
  orderDate?: string;
  /** 发起退费日期 `yyyyMMdd` (optional; not sent: a resubmission may fall on another day). */
  refundDate?: string;
  version: typeof UMF_API_VERSION;
  shopNo?: string;
  operator?: string;
};

export type UmfRequestParams = UmfRefundParams | UmfQueryParams;

/** Every field of an answer or notification as received, unknown ones included: the signature covers them all. */
export type UmfFields = Readonly<Record<string, string>>;

/** The answer to a refund. `0000` means accepted; `amount` is the refund amount. */
export interface UmfRefundAnswer {
  retCode?: string;
  /** Capital M, as documented (sorts before lower-case names in ASCII order). */
  Memo?: string;
  /** Not documented on the refund answer, read when present. */
  retMsg?: string;
  partnerOrderId?: string;
  /** Not documented on the refund answer; checked when present. */
  refundPartnerOrderId?: string;
  amount?: string;
  orderDate?: string;
  sign?: string;
}

/** The answer to a query. `retCode` 0000 means the *query* succeeded; `status` says the refund's state. */
export interface UmfQueryAnswer {
  retCode?: string;
  retMsg?: string;
  resDate?: string;
  resTime?: string;
  /** 订单金额 (打印小票使用): the order's amount, not the refund's; never compared. */
  amount?: string;
  status?: string;
  partnerOrderId?: string;
  refundPartnerOrderId?: string;
  subMerId?: string;
  proxyId?: string;
  orderDate?: string;
  refundDate?: string;
  sign?: string;
}

/** 交易结果通知, POSTed as JSON (basicability/notify.md); more optional fields may come, all signed. */
export interface UmfNotification {
  funCode?: string;
  reqDate?: string;
  reqTime?: string;
  /** 联动商户号 (C): taken as the refund's `subMerId` unless `notifyMerchantIds` maps it. */
  merId?: string;
  payType?: string;
  shopNo?: string;
  operatorId?: string;
  deviceType?: string;
  deviceInfo?: string;
  bpid?: string;
  orderDate?: string;
  partnerOrderId?: string;
  /** 付款金额, fen. */
  amount?: string;
  tradeState?: string;
  paySeq?: string;
  /** 在api退款时上传: our refund number. */
  refundPartnerOrderId?: string;
  sign?: string;
}

/** The merchant's answer to a notification, signed over its `|`-joined values with the merchant key. */
export type UmfNotificationAck = {
  funCode: string;
  reqDate: string;
  reqTime: string;
  /** 0000 whenever the notification was received and verified, whatever the trade result. */
  retCode: string;
  /** Empty on success (then left out of the signature). */
  retMsg: string;
  partnerOrderId: string;
  orderDate: string;
  sign: string;
};

/** What {@link CredentialsProvider} must return for gateway `umf` and one merchant id (its `subMerId`). */
// A type alias, so that it fits the providers' `Record<string, unknown>` values.
export type UmfMerchantCredentials = {
  /** 集成商ID, sent with every call. */
  proxyId: string;
  /** The merchant's RSA private key PEM (PKCS#8 or PKCS#1): signs requests and notification answers. */
  privateKey: string;
  /** UMF's platform certificate (X.509 PEM) or public key (SPKI PEM); the module's `platformCertificate` otherwise. */
  platformCertificate?: string;
};
