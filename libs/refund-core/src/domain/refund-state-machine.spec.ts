import { IllegalRefundTransitionError } from '../errors';
import { REFUND_TRANSITIONS, assertTransition, canTransition, validateTransitions } from './refund-state-machine';
import { REFUND_STATUSES, RefundStatus, isFinal } from './refund-status';

describe('refund state machine', () => {
  const allowed: Array<[RefundStatus, RefundStatus]> = [
    ['REQUESTED', 'PROCESSING'],
    ['REQUESTED', 'SUCCEEDED'],
    ['REQUESTED', 'FAILED'],
    ['REQUESTED', 'UNKNOWN'],
    ['UNKNOWN', 'PROCESSING'],
    ['UNKNOWN', 'SUCCEEDED'],
    ['UNKNOWN', 'FAILED'],
    ['PROCESSING', 'SUCCEEDED'],
    ['PROCESSING', 'FAILED'],
  ];
  const isAllowed = (from: RefundStatus, to: RefundStatus) => allowed.some(([f, t]) => f === from && t === to);
  const every = REFUND_STATUSES.flatMap((from) =>
    REFUND_STATUSES.map((to) => [from, to] as [RefundStatus, RefundStatus]),
  );

  it.each(allowed)('allows %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it.each(every.filter(([from, to]) => !isAllowed(from, to)))('forbids %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    expect(() => assertTransition(from, to)).toThrow(IllegalRefundTransitionError);
  });

  it('has final statuses that lead nowhere, and PROCESSING never goes back', () => {
    expect(REFUND_STATUSES.filter(isFinal)).toEqual(['SUCCEEDED', 'FAILED']);
    expect(REFUND_TRANSITIONS.PROCESSING).not.toContain('UNKNOWN');
    expect(REFUND_TRANSITIONS.PROCESSING).not.toContain('REQUESTED');
  });

  it('rejects a table where a final status has a way out', () => {
    expect(() => validateTransitions({ ...REFUND_TRANSITIONS, FAILED: ['PROCESSING'] })).toThrow(/Final/);
    expect(() => validateTransitions({ ...REFUND_TRANSITIONS, UNKNOWN: ['UNKNOWN'] })).toThrow(/self-loop/);
  });
});
