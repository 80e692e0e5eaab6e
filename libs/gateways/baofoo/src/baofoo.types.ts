/**
 * Wire messages of Baofoo.
 *
 * PLACEHOLDER: `npm run new:gateway` stamped a simple flat-JSON protocol here (POST `/refund` and
 * `/refund/query`, every value a string, signed by `baofoo.signer.ts`) so that the package works end to
 * end against its sandbox. Replace these types with the messages of Baofoo's documentation, field for
 * field, and keep every value as the wire carries it (amounts as integer fen).
 */

/** The calls the module makes; the sandbox's faults and refusals are keyed by them too. */
export type BaofooOperation = 'refund' | 'query';

/** The refund call. One of `order_no` / `gateway_order_no` is required. */
// Type aliases (not interfaces) so they are assignable to the signer's string records.
export type BaofooRefundParams = {
  merchant_id: string;
  order_no?: string;
  gateway_order_no?: string;
  refund_no: string;
  /** Integer fen, as a decimal string. */
  amount: string;
  reason?: string;
  /** Only once the module handles notifications (see `baofoo.gateway.ts`). */
  notify_url?: string;
  nonce: string;
};

/** The query call: the refund by our refund number (and the gateway's, once known). */
export type BaofooQueryParams = {
  merchant_id: string;
  order_no?: string;
  gateway_order_no?: string;
  refund_no: string;
  gateway_refund_no?: string;
  nonce: string;
};

export type BaofooRequestParams = BaofooRefundParams | BaofooQueryParams;

/** `code` of an answer that carries a refund. Any other code is a refusal, looked up in the module's code lists. */
export const BAOFOO_OK = 'SUCCESS';

/** The refund states of an answer (placeholder values). */
export const BAOFOO_STATUS = {
  processing: 'PROCESSING',
  succeeded: 'SUCCESS',
  failed: 'FAILED',
} as const;

/** Every field of an answer as received, unknown ones included: the signature covers them all. */
export type BaofooFields = Readonly<Record<string, string>>;

/** The answer to both calls. Every field is optional: a refusal carries little more than `code` and `message`. */
export interface BaofooAnswer {
  code?: string;
  message?: string;
  merchant_id?: string;
  order_no?: string;
  gateway_order_no?: string;
  refund_no?: string;
  gateway_refund_no?: string;
  amount?: string;
  status?: string;
  /** When the refund succeeded: `yyyy-MM-dd HH:mm:ss`, China time. */
  finished_at?: string;
  /** When the refund failed. */
  fail_code?: string;
  fail_reason?: string;
  nonce?: string;
  sign?: string;
}

/** What {@link CredentialsProvider} must return for gateway `baofoo` and one merchant id. */
export interface BaofooMerchantCredentials {
  /** Signs requests and verifies answers. */
  key: string;
}
