import { type RefundStatus, isFinal } from '../domain/refund-status';
import type { GatewayQueryOutcome } from '../gateway/refund-gateway.port';
import { describeUnknown } from '../refund/refund-transitions';
import type { ReconcileClassification } from './reconcile.types';

export interface ReconcileVerdict {
  classification: ReconcileClassification;
  detail: string;
}

/**
 * Compares a refund's local status with the gateway's answer to a query. Pure: the caller supplies
 * the refund's age, so "not found" can be told apart for a refund that may not have arrived yet.
 */
export function classifyReconciliation(input: {
  local: RefundStatus;
  answer: GatewayQueryOutcome;
  /** How long ago the refund was created, in ms. */
  ageMs: number;
  notFoundGraceMs: number;
}): ReconcileVerdict {
  const { local, answer } = input;
  switch (answer.kind) {
    case 'unknown':
      // A signed answer about another refund or amount is an answer, and it contradicts ours.
      if (answer.reason === 'mismatch') return person(`the gateway answered otherwise: ${describeUnknown(answer)}`);
      return { classification: 'unknown', detail: `${answer.reason.toUpperCase()}: ${describeUnknown(answer)}` };
    case 'succeeded':
    case 'failed': {
      const said = answer.kind === 'succeeded' ? 'SUCCEEDED' : 'FAILED';
      const words = answer.kind === 'failed' ? ` (${answer.code}: ${answer.message})` : '';
      if (local === said) return match(`both ${said}`);
      if (isFinal(local)) return person(`${local} here, ${said} at the gateway${words}; final is final`);
      return { classification: 'fixable', detail: `${local} here, ${said} at the gateway${words}` };
    }
    case 'processing':
      if (isFinal(local)) return person(`${local} here, still in progress at the gateway`);
      return match('in progress on both sides');
    case 'needs_attention':
      return person(`the gateway parked the refund (${answer.reason}): ${answer.message}`);
    case 'deferred':
      if (local === 'SUCCEEDED') return person(`SUCCEEDED here, not accepted at the gateway (${answer.code})`);
      return match(`not accepted at the gateway now (${answer.code})`);
    case 'not_found': {
      const words = `${answer.code}: ${answer.message}`;
      // A refund refused on submission was never created at the gateway: nothing to disagree about.
      if (local === 'FAILED') return match(`FAILED here, unknown to the gateway (${words})`);
      if (local === 'SUCCEEDED') return person(`SUCCEEDED here, unknown to the gateway (${words})`);
      if (input.ageMs < input.notFoundGraceMs) return match(`not at the gateway yet (${words})`);
      return person(`${local} here, unknown to the gateway after the grace period (${words})`);
    }
  }
}

function match(detail: string): ReconcileVerdict {
  return { classification: 'match', detail };
}

function person(detail: string): ReconcileVerdict {
  return { classification: 'needs_person', detail };
}
