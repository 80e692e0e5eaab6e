import { IllegalRefundTransitionError } from '../errors';
import { REFUND_STATUSES, RefundStatus } from './refund-status';

/**
 * The allowed transitions, as data. A status may also be re-entered by itself
 * (`PROCESSING -> PROCESSING` after a query that says "still in progress"); that is a
 * no-op, not a transition, and is not listed here.
 */
export const REFUND_TRANSITIONS: Readonly<Record<RefundStatus, readonly RefundStatus[]>> = {
  REQUESTED: ['PROCESSING', 'SUCCEEDED', 'FAILED', 'UNKNOWN'],
  UNKNOWN: ['PROCESSING', 'SUCCEEDED', 'FAILED'],
  PROCESSING: ['SUCCEEDED', 'FAILED'],
  SUCCEEDED: [],
  FAILED: [],
};

export function canTransition(from: RefundStatus, to: RefundStatus): boolean {
  return REFUND_TRANSITIONS[from].includes(to);
}

export function assertTransition(from: RefundStatus, to: RefundStatus): void {
  if (!canTransition(from, to)) throw new IllegalRefundTransitionError(from, to);
}

/** Checked once at module load: every target is a known status and final statuses lead nowhere. */
export function validateTransitions(table: Readonly<Record<RefundStatus, readonly RefundStatus[]>>): void {
  for (const from of REFUND_STATUSES) {
    const targets = table[from];
    if (!targets) throw new Error(`Refund transition table has no entry for ${from}`);
    for (const to of targets) {
      if (!REFUND_STATUSES.includes(to)) throw new Error(`Refund transition ${from} -> ${to} names an unknown status`);
      if (to === from) throw new Error(`Refund transition ${from} -> ${to} is a self-loop`);
    }
  }
  if (table.SUCCEEDED.length || table.FAILED.length) throw new Error('Final refund statuses must have no transitions');
}

validateTransitions(REFUND_TRANSITIONS);
