import type { FieldProblem } from '../errors';

/**
 * The gateway port, version 2: one contract that carries Leshua, ChaoYing, UMF and Baofoo.
 *
 * A gateway adapter owns its wire protocol (signing, encoding, field mapping, the meaning of its
 * states and codes); refund-core owns money, state and time. The adapter answers in domain terms
 * ({@link GatewayOutcome}) and never throws for anything the gateway or the network did: refund-core
 * still treats a throw, or a call that outlives its deadline, as an `unknown` outcome
 * (`adapter_error`, `timeout`).
 *
 * Rules every adapter keeps (the contract suite in `@refundhub/gateway-kit/testing` checks them):
 * - `failed` only for a code the gateway documents as "did not and will not refund", listed by name in
 *   the adapter's mapper. Any code it does not list is `unknown`.
 * - An answer that is unsigned, wrongly signed, unreadable, or about another refund or amount is
 *   `unknown`, never acted on.
 * - A resubmission sends the same refund number ({@link GatewayRefundSnapshot.refundNo}).
 */
export interface RefundGateway {
  /** Stable id used in the API, the database and the notify route: `leshua`, `umf`, ... */
  readonly id: string;
  /** What the core must do differently for this gateway. Absent means none of it. */
  readonly capabilities?: Partial<GatewayCapabilities>;
  /**
   * The gateway's own limits for a request: field problems (answered 400 with every problem at
   * once) and business rules such as a closed refund window (answered 422 with the rule's code).
   * Pure: no I/O, time from {@link GatewayRefundRequest.now}.
   */
  validate(request: GatewayRefundRequest): GatewayValidation;
  submit(request: GatewayRefundRequest): Promise<GatewayOutcome>;
  query(query: GatewayRefundQuery): Promise<GatewayQueryOutcome>;
  /** Present only for gateways that notify refund results (ChaoYing does not). */
  readonly notifications?: GatewayNotifications;
}

export interface GatewayCapabilities {
  /**
   * The gateway refuses a second refund of one order while another is in flight (Baofoo
   * `NOT_SUPPORT_CONCURRENT`). A refund is in flight from its submission until the gateway answers
   * it: accepted (PROCESSING) or final. The core then submits one refund per order at a time and
   * queues the others, reserved, in REQUESTED.
   */
  oneRefundInFlightPerOrder: boolean;
}

/** The order a refund belongs to, as the caller named it. */
export interface GatewayOrderRef {
  merchantOrderNo: string | null;
  gatewayOrderNo: string | null;
}

/**
 * Everything the core knows about a refund, given alike to a submission and a query: a query may
 * need the pay method (ChaoYing), the order and refund dates (UMF), and every answer is checked
 * against the refund's own number and amount.
 */
export interface GatewayRefundSnapshot {
  /** refundhub's own id, for logs and correlation only. */
  refundId: string;
  merchantId: string;
  /** The merchant's refund number. Every retry of this refund sends the same one. */
  refundNo: string;
  /** Integer fen; the adapter's codec turns it into whatever its wire format wants. */
  amount: number;
  order: GatewayOrderRef & { totalAmount: number; payMethod: string | null; paidAt: Date | null };
  reason: string | null;
  /** The gateway's refund id once an answer carried one; never required to query. */
  gatewayRefundNo: string | null;
  /** Per-request options a gateway documents for itself (for example marketing amounts). */
  gatewayOptions: Readonly<Record<string, unknown>>;
  /** When refundhub recorded the refund (for a request not yet recorded: now). */
  requestedAt: Date;
  /** When the refund was first handed to the gateway; null before that. */
  submittedAt: Date | null;
  /** The core's clock at this call: adapters stamp request times with it, never with the system clock. */
  now: Date;
}

export interface GatewayRefundRequest extends GatewayRefundSnapshot {
  /** Where the gateway should POST its notification, or null to rely on queries alone. */
  gatewayNotifyUrl: string | null;
  /** 1 for the first submission, 2+ for a resubmission with the same refund number. */
  attempt: number;
}

export type GatewayRefundQuery = GatewayRefundSnapshot;

/** A business rule of the gateway that refuses the request as it stands (HTTP 422). */
export interface GatewayRuleRefusal {
  /** Stable, upper case: `REFUND_WINDOW_CLOSED`. */
  code: string;
  message: string;
  details: Readonly<Record<string, unknown>>;
}

export interface GatewayValidation {
  problems: readonly FieldProblem[];
  refusals: readonly GatewayRuleRefusal[];
}

/**
 * Why an outcome is unknown: one enum, so unknown outcomes can be filtered and counted by cause.
 * - `timeout`: no answer in time. `connection`: no connection, or it broke.
 * - `http_5xx`: the gateway answered a server error (any non-2xx status, in fact).
 * - `malformed`: the body could not be read as the gateway's format.
 * - `bad_signature`: missing, empty or wrong signature on an answer or notification.
 * - `mismatch`: a signed answer about another refund, order or amount.
 * - `gateway_busy`: the gateway said "busy / result unknown, ask later".
 * - `unrecognized`: a signed answer with a code or state the adapter does not list.
 * - `adapter_error`: the adapter threw.
 */
export const UNKNOWN_REASONS = [
  'timeout',
  'connection',
  'http_5xx',
  'malformed',
  'bad_signature',
  'mismatch',
  'gateway_busy',
  'unrecognized',
  'adapter_error',
] as const;
export type UnknownReason = (typeof UNKNOWN_REASONS)[number];

/**
 * Why a refund needs a person; the money stays reserved until it is settled. `order_reference_conflict`:
 * the gateway's answer names the refund's order otherwise than refundhub recorded it (a number that
 * belongs to another recorded order, another total, or another number than the request gave).
 */
export const ATTENTION_REASONS = [
  'gateway_change',
  'sync_exhausted',
  'gateway_lost_refund',
  'order_reference_conflict',
] as const;
export type AttentionReason = (typeof ATTENTION_REASONS)[number];

/**
 * What a signed answer says about the paid order the refund belongs to: only the fields the answer
 * really carries (Leshua's refund, query and notification answers carry all three). The core links
 * numbers it did not know to the refund's order, and flags the refund when they contradict what it
 * recorded. Never filled from an answer the adapter does not trust, nor from a refusal that only
 * echoes the request.
 */
export interface GatewayOrderFacts {
  merchantOrderNo?: string;
  gatewayOrderNo?: string;
  /** The order's total (what was paid), integer fen. */
  totalAmount?: number;
}

/**
 * What the gateway told us, in domain terms. `rawStatus` is the gateway's own status value, kept
 * on the refund for support; `code` / `message` are the gateway's own.
 *
 * - `processing`: accepted, not finished.
 * - `succeeded` / `failed`: the gateway's definite, final answer.
 * - `unknown`: we could not learn the outcome. Never a failure; the money stays reserved and the
 *   refund is queried.
 * - `deferred`: definitely not accepted now ("one refund of this order at a time", "try again
 *   later" that the gateway documents as not created); submitted again later with the same refund
 *   number, the money stays reserved, the status does not change.
 * - `needs_attention`: final for the gateway but not settled (ChaoYing CHANGE 转入代发); the
 *   refund stays reserved and is flagged for a person.
 */
export type GatewayOutcome =
  | { kind: 'processing'; rawStatus: string; gatewayRefundNo?: string; order?: GatewayOrderFacts }
  | { kind: 'succeeded'; rawStatus: string; gatewayRefundNo?: string; finishedAt?: Date; order?: GatewayOrderFacts }
  | {
      kind: 'failed';
      rawStatus?: string;
      code: string;
      message: string;
      gatewayRefundNo?: string;
      order?: GatewayOrderFacts;
    }
  | UnknownOutcome
  | { kind: 'deferred'; code: string; message: string; rawStatus?: string; retryAfterMs?: number }
  | {
      kind: 'needs_attention';
      reason: AttentionReason;
      rawStatus?: string;
      message: string;
      gatewayRefundNo?: string;
      order?: GatewayOrderFacts;
    };

export interface UnknownOutcome {
  kind: 'unknown';
  reason: UnknownReason;
  /** What happened, for people: "no answer within 10000 ms", "answered about refund R2". */
  detail: string;
  rawStatus?: string;
  code?: string;
  message?: string;
}

/** A query may also say, definitely, that the gateway never received the refund. */
export type GatewayQueryOutcome = GatewayOutcome | { kind: 'not_found'; code: string; message: string };

/** A notification exactly as it arrived; the raw body is kept for signature checks. */
export interface InboundNotification {
  rawBody: Buffer;
  contentType: string | null;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface VerifiedNotification {
  kind: 'verified';
  merchantId: string;
  refundNo: string;
  gatewayRefundNo?: string;
  /** Amount the gateway says it refunded, in fen, when the notification carries one. */
  amount?: number;
  outcome: GatewayOutcome;
  /** Fields of the notification the gateway wants repeated in the answer (UMF's signed answer). */
  echo?: Readonly<Record<string, string>>;
}

/**
 * Why a notification was refused before anything in it was believed; the sender sees the code (the
 * API's `Refundhub-Notification` header), the log sees the reason.
 * - `NOTIFICATION_TOO_LARGE`: a body over the gateway's {@link GatewayNotifications.maxBodyBytes}.
 * - `NOTIFICATION_TOO_COMPLEX`: more fields or deeper nesting than the gateway's format has; refused
 *   before it was parsed.
 * - `NOTIFICATION_UNREADABLE`: not the gateway's format.
 * - `NOTIFICATION_REJECTED` (the default): not verified (forged, unsigned, an unknown merchant), or
 *   not a refund notification. One code for all of these, so a forger learns nothing from it.
 */
export type NotificationRefusalCode =
  'NOTIFICATION_TOO_LARGE' | 'NOTIFICATION_TOO_COMPLEX' | 'NOTIFICATION_UNREADABLE' | 'NOTIFICATION_REJECTED';

export interface RejectedNotification {
  kind: 'rejected';
  /** For the log only: may quote the notification (the core escapes it there). */
  reason: string;
  /** Absent: `NOTIFICATION_REJECTED`. */
  code?: NotificationRefusalCode;
  /** What the notification named, verified or not: the core then queries that refund at once. */
  merchantId?: string;
  refundNo?: string;
}

export type NotificationParseResult = VerifiedNotification | RejectedNotification;

/** The outcomes a verified notification may report and the core applies. */
export type NotifiedOutcomeKind = 'processing' | 'succeeded' | 'failed';

/**
 * The largest notification body of a gateway that declares none ({@link GatewayNotifications.maxBodyBytes}):
 * 16 KiB, several times any documented notification of the four gateways.
 */
export const DEFAULT_NOTIFICATION_BODY_LIMIT = 16 * 1024;

/** What the notification was worth to us; the adapter turns it into the body its gateway expects. */
export type NotificationDisposition = 'applied' | 'rejected' | 'unknown_refund' | 'error';

export interface NotificationAnswer {
  status: number;
  contentType: string;
  body: string;
}

export interface NotificationAnswerInput {
  disposition: NotificationDisposition;
  /** The verified notification being answered; absent when it could not be verified. */
  notification?: VerifiedNotification;
}

/** Refund result notifications: an optional capability of a gateway. */
export interface GatewayNotifications {
  /**
   * The largest body, in bytes, the gateway can plausibly send: a few times its largest documented
   * notification. A host refuses a larger one (the API answers 413 before reading it), and the core
   * refuses one handed to it anyway. Absent: {@link DEFAULT_NOTIFICATION_BODY_LIMIT}.
   */
  readonly maxBodyBytes?: number;
  /**
   * The outcomes whose notifications always carry the refunded amount: a verified notification of one
   * of them without an amount is refused (`NOTIFICATION_AMOUNT_MISSING`) and changes nothing, since
   * the amount is what proves it is about this refund's money. Leshua sends `refund_amount` with every
   * status, UMF `amount` with both results, Baofoo `succAmt` with a success only; `[]` for a gateway
   * whose notifications may leave it out.
   */
  readonly amountSentWith: readonly NotifiedOutcomeKind[];
  /** Parses and verifies a notification. Forged or unreadable ones come back `rejected`. */
  parse(notification: InboundNotification): Promise<NotificationParseResult>;
  /** The exact answer the gateway expects; may sign it (UMF), so it may be async. */
  answer(input: NotificationAnswerInput): NotificationAnswer | Promise<NotificationAnswer>;
}
