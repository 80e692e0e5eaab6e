import type { UnknownOutcome } from '@refundhub/core';

import { AmountError, jsonToFen } from '../money/fen';
import { unknownOutcome } from './unknown-outcome';

/**
 * A signed answer about another refund or another amount must not be acted on (port rule): this
 * compares what the answer names with the refund asked about and returns the `mismatch` outcome when
 * they differ. Fields the answer leaves out (undefined or null) are not mismatches, since failure
 * answers often carry fewer fields; an amount present but unreadable is one.
 *
 * @param input.gateway display name for the outcome's detail.
 * @param input.answered.amount as the gateway wrote it: a wire fen string or a JSON number.
 */
export function answerMismatch(input: {
  gateway: string;
  expected: { refundNo: string; amount?: number };
  answered: { refundNo?: string | null; amount?: string | number | null };
  rawStatus?: string;
}): UnknownOutcome | undefined {
  const { gateway, expected, answered, rawStatus } = input;
  if (answered.refundNo !== undefined && answered.refundNo !== null && answered.refundNo !== expected.refundNo) {
    return unknownOutcome(
      'mismatch',
      `${gateway} answered about refund '${answered.refundNo}', not '${expected.refundNo}'`,
      {
        rawStatus,
      },
    );
  }
  if (expected.amount !== undefined && answered.amount !== undefined && answered.amount !== null) {
    if (readFen(answered.amount) !== expected.amount) {
      return unknownOutcome(
        'mismatch',
        `${gateway} answered amount '${String(answered.amount)}' for a refund of ${expected.amount} fen`,
        { rawStatus },
      );
    }
  }
  return undefined;
}

function readFen(amount: string | number): number | undefined {
  try {
    return jsonToFen(amount);
  } catch (error) {
    if (error instanceof AmountError) return undefined;
    throw error;
  }
}
