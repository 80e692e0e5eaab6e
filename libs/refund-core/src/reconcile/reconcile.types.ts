import type { RefundStatus } from '../domain/refund-status';

/**
 * How a refund's local state compares with what its gateway says now.
 * - `match`: both sides agree (or both are still in progress: the sync loop follows it).
 * - `fixable`: unfinished here, definitely final at the gateway: corrected with `apply`.
 * - `needs_person`: the sides disagree in a way no machine may settle (a final refund the gateway
 *   contradicts, another amount, a refund the gateway lost). Never corrected: final is final.
 * - `unknown`: the query's outcome is unknown (timeout, 5xx, bad signature, ...): nothing changed.
 */
export const RECONCILE_CLASSIFICATIONS = ['match', 'fixable', 'needs_person', 'unknown'] as const;
export type ReconcileClassification = (typeof RECONCILE_CLASSIFICATIONS)[number];

/**
 * What a reconciliation run did about one refund.
 * - `none`: it matched. `would_correct`: fixable, left as it was (the run did not `apply`).
 * - `corrected`: settled through the normal outcome path (ledger, history, outbox, webhook).
 * - `busy`: fixable, but another process held the refund's claim; its holder settles it.
 * - `left_for_person`: needs a person. `query_failed`: the gateway's answer is unknown.
 */
export type ReconcileAction = 'none' | 'would_correct' | 'corrected' | 'busy' | 'left_for_person' | 'query_failed';

/** The gateway's side of a comparison: the kind of its answer, in the port's words, or `not_found`. */
export type GatewayAnswerKind =
  'processing' | 'succeeded' | 'failed' | 'not_found' | 'unknown' | 'deferred' | 'needs_attention';

export interface ReconcileProgress {
  /** Refunds compared so far. */
  done: number;
  /** Refunds in the window (counted when the run started). */
  total: number;
}

export interface ReconcileOptions {
  /** Refunds created at or after this instant... */
  from: Date;
  /** ...and before this one (exclusive). */
  to: Date;
  /** Only this gateway's refunds; all gateways when absent. */
  gateway?: string;
  /** Correct the fixable refunds. Without it the run reads and reports only. */
  apply?: boolean;
  /** Called after every refund compared, and once with `done: 0` before the first. */
  onProgress?: (progress: ReconcileProgress) => void;
  /** Refunds read from the database at a time. Default 500. */
  pageSize?: number;
  /**
   * How old an unfinished refund must be before "not found" at the gateway counts as lost (a person
   * looks) rather than not arrived yet. Default: the sync's grace period for REQUESTED refunds.
   */
  notFoundGraceMs?: number;
  /**
   * Waits while a merchant's rate limit is spent. Default: a timer. A test on a fake clock passes one
   * that moves its clock.
   */
  pause?: (ms: number) => Promise<void>;
}

/** One refund whose two sides were compared and did not simply match. */
export interface ReconcileRow {
  refundId: string;
  refundNo: string;
  gateway: string;
  merchantId: string;
  /** The refund's amount, integer fen. */
  amount: number;
  localStatus: RefundStatus;
  gatewayStatus: GatewayAnswerKind;
  /** The gateway's own status value, when its answer carried one. */
  gatewayRawStatus: string | null;
  classification: ReconcileClassification;
  action: ReconcileAction;
  /** The local status after the run (differs from `localStatus` only when corrected). */
  statusAfter: RefundStatus;
  /** Why, for people: the gateway's code and message, or what made the answer unknown. */
  detail: string;
}

export interface ReconcileReport {
  window: { from: string; to: string };
  gateway: string | null;
  applied: boolean;
  counts: Record<ReconcileClassification, number> & { total: number; corrected: number };
  /** Every refund that did not match, in creation order. */
  rows: ReconcileRow[];
}
