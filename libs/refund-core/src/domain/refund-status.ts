/**
 * The one status model every gateway maps into.
 *
 * - `REQUESTED`: the refund and its reservation are committed, the gateway has not answered yet.
 * - `PROCESSING`: the gateway accepted the refund and is working on it.
 * - `UNKNOWN`: we asked and could not learn the outcome (timeout, 5xx, unparsable or wrongly
 *   signed answer). The reservation is kept; only a query can settle it.
 * - `SUCCEEDED` / `FAILED`: final, never left again.
 */
export const REFUND_STATUSES = ['REQUESTED', 'PROCESSING', 'UNKNOWN', 'SUCCEEDED', 'FAILED'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export const FINAL_STATUSES: readonly RefundStatus[] = ['SUCCEEDED', 'FAILED'];

/** Statuses the sync loop keeps asking the gateway about. */
export const UNFINISHED_STATUSES: readonly RefundStatus[] = ['REQUESTED', 'PROCESSING', 'UNKNOWN'];

export function isFinal(status: RefundStatus): boolean {
  return FINAL_STATUSES.includes(status);
}
