import type { RefundStatus } from '../domain/refund-status';
import type { GatewayQueryOutcome } from '../gateway/refund-gateway.port';
import { classifyReconciliation } from './reconcile-classifier';
import type { ReconcileClassification } from './reconcile.types';

const SUCCEEDED: GatewayQueryOutcome = { kind: 'succeeded', rawStatus: '11' };
const FAILED: GatewayQueryOutcome = { kind: 'failed', rawStatus: '12', code: 'NO_BALANCE', message: '余额不足' };
const PROCESSING: GatewayQueryOutcome = { kind: 'processing', rawStatus: '10' };
const NOT_FOUND: GatewayQueryOutcome = { kind: 'not_found', code: '404', message: 'no such refund' };
const TIMEOUT: GatewayQueryOutcome = { kind: 'unknown', reason: 'timeout', detail: 'no answer within 100 ms' };
const BAD_SIGNATURE: GatewayQueryOutcome = { kind: 'unknown', reason: 'bad_signature', detail: 'wrongly signed' };
const OTHER_AMOUNT: GatewayQueryOutcome = {
  kind: 'unknown',
  reason: 'mismatch',
  detail: "Leshua answered amount '2.00' for a refund of 100 fen",
  rawStatus: '11',
};
const PARKED: GatewayQueryOutcome = { kind: 'needs_attention', reason: 'gateway_change', message: '转入代发' };
const NOT_NOW: GatewayQueryOutcome = { kind: 'deferred', code: 'NOT_SUPPORT_CONCURRENT', message: 'later' };

const GRACE = 60_000;

const cases: [RefundStatus, GatewayQueryOutcome, number, ReconcileClassification][] = [
  ['SUCCEEDED', SUCCEEDED, GRACE, 'match'],
  ['FAILED', FAILED, GRACE, 'match'],
  ['PROCESSING', PROCESSING, GRACE, 'match'],
  ['REQUESTED', PROCESSING, GRACE, 'match'],
  ['UNKNOWN', PROCESSING, GRACE, 'match'],
  ['PROCESSING', SUCCEEDED, GRACE, 'fixable'],
  ['REQUESTED', SUCCEEDED, GRACE, 'fixable'],
  ['UNKNOWN', FAILED, GRACE, 'fixable'],
  ['PROCESSING', FAILED, GRACE, 'fixable'],
  ['SUCCEEDED', FAILED, GRACE, 'needs_person'],
  ['FAILED', SUCCEEDED, GRACE, 'needs_person'],
  ['SUCCEEDED', PROCESSING, GRACE, 'needs_person'],
  ['FAILED', PROCESSING, GRACE, 'needs_person'],
  ['SUCCEEDED', NOT_FOUND, GRACE, 'needs_person'],
  ['FAILED', NOT_FOUND, GRACE, 'match'],
  ['PROCESSING', NOT_FOUND, GRACE, 'needs_person'],
  ['UNKNOWN', NOT_FOUND, GRACE, 'needs_person'],
  ['REQUESTED', NOT_FOUND, GRACE - 1, 'match'],
  ['SUCCEEDED', OTHER_AMOUNT, GRACE, 'needs_person'],
  ['PROCESSING', OTHER_AMOUNT, GRACE, 'needs_person'],
  ['PROCESSING', PARKED, GRACE, 'needs_person'],
  ['SUCCEEDED', NOT_NOW, GRACE, 'needs_person'],
  ['REQUESTED', NOT_NOW, GRACE, 'match'],
  ['FAILED', NOT_NOW, GRACE, 'match'],
  ['SUCCEEDED', TIMEOUT, GRACE, 'unknown'],
  ['PROCESSING', TIMEOUT, GRACE, 'unknown'],
  ['UNKNOWN', BAD_SIGNATURE, GRACE, 'unknown'],
];

describe(classifyReconciliation.name, () => {
  const named = cases.map(([local, answer, ageMs, expected]) => ({
    local,
    said: answer.kind === 'unknown' ? `unknown (${answer.reason})` : answer.kind,
    answer,
    ageMs,
    expected,
  }));

  it.each(named)('local $local, gateway $said, $ageMs ms old: $expected', ({ local, answer, ageMs, expected }) => {
    expect(classifyReconciliation({ local, answer, ageMs, notFoundGraceMs: GRACE }).classification).toBe(expected);
  });

  it("says the gateway's code and message for people", () => {
    expect(classifyReconciliation({ local: 'SUCCEEDED', answer: FAILED, ageMs: 0, notFoundGraceMs: GRACE })).toEqual({
      classification: 'needs_person',
      detail: 'SUCCEEDED here, FAILED at the gateway (NO_BALANCE: 余额不足); final is final',
    });
    expect(classifyReconciliation({ local: 'PROCESSING', answer: TIMEOUT, ageMs: 0, notFoundGraceMs: GRACE })).toEqual({
      classification: 'unknown',
      detail: 'TIMEOUT: no answer within 100 ms',
    });
  });
});
