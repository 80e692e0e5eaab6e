import type { FieldProblem } from '../errors';

/**
 * The refund as a gateway adapter sees it when it submits. Amounts are integer fen; the
 * adapter's codec turns them into whatever its wire format wants.
 */
export interface GatewayRefundRequest {
  /** refundhub's own id, for logs and correlation only. */
  refundId: string;
  merchantId: string;
  /** The merchant's refund number. Every retry of this refund sends the same one. */
  refundNo: string;
  amount: number;
  order: GatewayOrderRef & { totalAmount: number; payMethod: string | null; paidAt: Date | null };
  reason: string | null;
  /** Where the gateway should POST its notification, or null to rely on queries alone. */
  gatewayNotifyUrl: string | null;
  /** Per-request options a gateway documents for itself (for example a pay type). */
  gatewayOptions: Readonly<Record<string, unknown>>;
  /** 1 for the first submission, 2+ for a resubmission after the gateway said "not found". */
  attempt: number;
}

export interface GatewayOrderRef {
  merchantOrderNo: string | null;
  gatewayOrderNo: string | null;
}

export interface GatewayRefundQuery {
  refundId: string;
  merchantId: string;
  refundNo: string;
  gatewayRefundNo: string | null;
  order: GatewayOrderRef;
  gatewayOptions: Readonly<Record<string, unknown>>;
}

/**
 * What the gateway told us, in domain terms. `rawStatus` is the gateway's own status value,
 * kept on the refund for support.
 *
 * - `processing`: accepted, not finished.
 * - `succeeded` / `failed`: the gateway's definite, final answer.
 * - `unknown`: we could not learn the outcome (timeout, 5xx, unparsable or wrongly signed
 *   answer, an error code that does not say whether the refund happened). Never a failure.
 */
export type GatewayOutcome =
  | { kind: 'processing'; rawStatus: string; gatewayRefundNo?: string }
  | { kind: 'succeeded'; rawStatus: string; gatewayRefundNo?: string; finishedAt?: Date }
  | { kind: 'failed'; rawStatus?: string; code: string; message: string; gatewayRefundNo?: string }
  | { kind: 'unknown'; reason: string; rawStatus?: string; code?: string; message?: string };

/** A query may also say, definitely, that the gateway never received the refund. */
export type GatewayQueryOutcome = GatewayOutcome | { kind: 'not_found'; code: string; message: string };

/** A notification exactly as it arrived; the raw body is kept for signature checks. */
export interface InboundNotification {
  rawBody: Buffer;
  contentType: string | null;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

export type NotificationParseResult =
  | {
      kind: 'verified';
      merchantId: string;
      refundNo: string;
      gatewayRefundNo?: string;
      /** Amount the gateway says it refunded, in fen, when the notification carries one. */
      amount?: number;
      outcome: GatewayOutcome;
    }
  | { kind: 'rejected'; reason: string; merchantId?: string; refundNo?: string };

/** What the notification was worth to us; the adapter turns it into the body its gateway expects. */
export type NotificationDisposition = 'applied' | 'rejected' | 'unknown_refund' | 'error';

export interface NotificationAnswer {
  status: number;
  contentType: string;
  body: string;
}

/**
 * The port every gateway module implements. Adapters own their wire protocol: signing,
 * encoding, field mapping and the mapping of gateway states and error codes to
 * {@link GatewayOutcome}. They must not throw for gateway outcomes: a transport failure is an
 * `unknown` outcome. refund-core still treats anything thrown, or a call that outlives its
 * timeout, as `unknown`.
 *
 * @example
 * ```ts
 * @RefundGatewayProvider()
 * @Injectable()
 * export class LeshuaGateway implements RefundGateway { readonly id = 'leshua'; ... }
 * ```
 */
export interface RefundGateway {
  /** Stable id used in the API, the database and the notify route: `leshua`, `umf`, ... */
  readonly id: string;
  /** The gateway's own field limits (refund number length, amount range, required refs). */
  validate(request: GatewayRefundRequest): FieldProblem[];
  submit(request: GatewayRefundRequest): Promise<GatewayOutcome>;
  query(request: GatewayRefundQuery): Promise<GatewayQueryOutcome>;
  /** Parses and verifies a notification. Forged or unreadable ones come back `rejected`. */
  parseNotification(notification: InboundNotification): Promise<NotificationParseResult>;
  answerNotification(disposition: NotificationDisposition): NotificationAnswer;
}
