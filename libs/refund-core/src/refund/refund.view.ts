import type { RefundStatus } from '../domain/refund-status';
import type { RefundExchangeOperation, RefundExchangeOutcome } from '../entities/refund-exchange.entity';
import type { AttentionReason } from '../gateway/refund-gateway.port';

/** The outside shape of a refund: what the API returns and what hosts script against. */
export interface RefundView {
  id: string;
  gateway: string;
  merchantId: string;
  refundNo: string;
  amount: number;
  status: RefundStatus;
  gatewayRefundNo: string | null;
  order: {
    merchantOrderNo: string | null;
    gatewayOrderNo: string | null;
    totalAmount: number;
    refundedAmount: number;
    reservedAmount: number;
  };
  reason: string | null;
  notifyUrl: string | null;
  /**
   * The gateway's definite reason for FAILED; the typed reason (`TIMEOUT`, `HTTP_5XX`, ...) the last
   * outcome was UNKNOWN; or why a REQUESTED refund waits (`ORDER_SLOT_BUSY`, the gateway's "not now").
   */
  failure: { code: string; message: string } | null;
  /** Set when a person must settle the refund; the money stays reserved meanwhile. */
  needsAttention: { reason: AttentionReason; since: string } | null;
  /**
   * Set while the gateway definitely has not got the refund and it waits to be submitted again with
   * the same refund number (the gateway said "not now", or another refund of the order is in flight).
   */
  deferredAt: string | null;
  gatewayStatus: string | null;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface RefundHistoryView {
  at: string;
  from: RefundStatus | null;
  to: RefundStatus;
  source: string;
  applied: boolean;
  gatewayStatus: string | null;
  code: string | null;
  message: string | null;
  /** How many more times the same was heard after `at` (a replayed notification); 0 for a transition. */
  repeats: number;
  /** When it was heard last; null until it is heard again. */
  lastHeardAt: string | null;
  /** The API key's name for an operator's action (`source: 'operator'`), else null. */
  actor: string | null;
}

/** `GET /refunds/:id/history`: oldest first, a page at a time. */
export interface RefundHistoryPage {
  items: RefundHistoryView[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

export interface RefundHistoryPageQuery {
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
  /** 1..200, default 50. */
  limit?: number;
}

/** One exchange with the refund's gateway: a submission, a query, or a notification it sent. */
export interface RefundExchangeView {
  /** The row's id (a decimal integer as text), increasing in the order exchanges were recorded. */
  id: string;
  operation: RefundExchangeOperation;
  /** When the request was sent (a submission, a query) or the notification was heard, by the refunds' clock. */
  at: string;
  /** How long the gateway took to answer, in ms; null for a notification. */
  durationMs: number | null;
  gatewayStatus: string | null;
  code: string | null;
  message: string | null;
  /**
   * The parsed answer, flat: keys, signatures and customer data keep their name with the value
   * `[redacted]`; null for a notification that failed verification (nothing of it is kept).
   */
  fields: Record<string, string | number | boolean> | null;
  outcome: RefundExchangeOutcome;
  /** It changed the refund: its status, or a flag for a person. */
  changed: boolean;
  /** How many more times the same notification was heard after `at`. */
  repeats: number;
  /** When it was heard last; null until it is heard again. */
  lastAt: string | null;
}

/** `GET /refunds/:id/exchanges`: oldest first, a page at a time, as the history pages. */
export interface RefundExchangePage {
  items: RefundExchangeView[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

/** Pages as {@link RefundHistoryPageQuery}. */
export type RefundExchangePageQuery = RefundHistoryPageQuery;

export interface RefundListFilter {
  gateway?: string;
  merchantId?: string;
  status?: RefundStatus;
  merchantOrderNo?: string;
  /** The merchant's refund number (the refunds of every gateway and merchant in scope that use it). */
  refundNo?: string;
  gatewayOrderNo?: string;
  /** true: only refunds that need a person; false: only those that do not. */
  needsAttention?: boolean;
  createdFrom?: Date;
  createdTo?: Date;
  /** Opaque cursor from a previous page's `nextCursor` (of a page in the same order). */
  cursor?: string;
  /** 1..200, default 50. */
  limit?: number;
  /** `desc` (default): newest first; `asc`: oldest first. */
  order?: 'asc' | 'desc';
}

export interface RefundPage {
  items: RefundView[];
  nextCursor: string | null;
}

export interface RequestRefundResult {
  refund: RefundView;
  /** false when an identical earlier request was replayed. */
  created: boolean;
}
