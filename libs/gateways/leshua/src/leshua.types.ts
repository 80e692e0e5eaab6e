/**
 * Wire messages of the Leshua CGI (`/cgi-bin/lepos_pay_gateway.cgi`), exactly as the vendor documents
 * them (kancloud leshuadocs/saas 1099885 退款, 1099886 退款查询, 1099889 退款结果通知). Every value is a
 * string on the wire, amounts included (integer fen).
 */

export type LeshuaService = 'unified_refund' | 'unified_query_refund';

/** `service=unified_refund`. One of `third_order_id` / `leshua_order_id` is required; Leshua prefers the latter. */
// Type aliases (not interfaces) so they are assignable to the signer's string records.
export type LeshuaRefundParams = {
  service: 'unified_refund';
  merchant_id: string;
  third_order_id?: string;
  leshua_order_id?: string;
  merchant_refund_id: string;
  refund_amount: string;
  nonce_str: string;
  /** Already URL-encoded when the `notifyUrlEncoding` option is `encoded` (the doc asks for 「Url Encode处理」). */
  notify_url?: string;
};

/** `service=unified_query_refund`. One order ref and one refund ref are required. */
export type LeshuaRefundQueryParams = {
  service: 'unified_query_refund';
  merchant_id: string;
  third_order_id?: string;
  leshua_order_id?: string;
  merchant_refund_id?: string;
  leshua_refund_id?: string;
  nonce_str: string;
};

export type LeshuaRequestParams = LeshuaRefundParams | LeshuaRefundQueryParams;

/** Leshua status values (附录 订单状态). Only 10, 11 and 12 are refund states. */
export const LESHUA_STATUS = {
  paying: '0',
  paid: '2',
  closed: '6',
  payFailed: '8',
  refunding: '10',
  refunded: '11',
  refundFailed: '12',
} as const;

/**
 * Every child of `<leshua>` as received. Kept whole, unknown fields included, because the response
 * signature covers all of them.
 */
export type LeshuaFields = Readonly<Record<string, string>>;

/**
 * The answer to `unified_refund` and `unified_query_refund`. Fields the doc marks as required are still
 * optional here: when `resp_code` is not `0` the gateway sends little more than `resp_code`/`resp_msg`,
 * and the doc warns that actual answers may differ from the table.
 */
export interface LeshuaResponse {
  /** Communication result: `0` ok, anything else failed (the business result is `result_code`). */
  resp_code?: string;
  resp_msg?: string;
  /** Business result: `0` ok, anything else failed. */
  result_code?: string;
  error_code?: string;
  error_msg?: string;
  merchant_id?: string;
  sub_merchant_id?: string;
  third_order_id?: string;
  leshua_order_id?: string;
  refund_amount?: string;
  merchant_refund_id?: string;
  leshua_refund_id?: string;
  total_amount?: string;
  /** unified_refund only: order balance after this refund. */
  order_balance?: string;
  status?: string;
  /** unified_query_refund only, when the refund succeeded: `yyyy-MM-dd HH:mm:ss`, China time. */
  refund_time?: string;
  settlement_refund_amount?: string;
  discount_refund_amount?: string;
  refund_detail?: string;
  nonce_str?: string;
  sign?: string;
}

/** The refund result notification POSTed (as XML) to `notify_url`. */
export interface LeshuaRefundNotification {
  merchant_id?: string;
  sub_merchant_id?: string;
  third_order_id?: string;
  leshua_order_id?: string;
  refund_amount?: string;
  merchant_refund_id?: string;
  leshua_refund_id?: string;
  total_amount?: string;
  refund_time?: string;
  status?: string;
  failure_reason?: string;
  /** `0` or empty means no error (the doc example carries `<error_code>0`). Not signed. */
  error_code?: string;
  nonce_str?: string;
  sign?: string;
}

/** What {@link CredentialsProvider} must return for gateway `leshua` and one merchant id. */
export interface LeshuaMerchantCredentials {
  /** 交易密钥: signs requests and verifies answers. */
  tradeKey: string;
  /** 异步通知密钥: verifies notifications (unless the `notifyKey` option says `trade`). */
  notifyKey: string;
}
