import type { GatewayOutcome } from '../gateway/refund-gateway.port';
import type { RefundStatus } from './refund-status';

/**
 * The status an outcome asks for. A deferral asks for none: the gateway definitely has not got the
 * refund, so it stays where it is (REQUESTED or UNKNOWN). Needs-attention means the gateway took
 * the refund and parked it: accepted, not settled.
 */
export function statusOfOutcome(outcome: GatewayOutcome): RefundStatus | null {
  switch (outcome.kind) {
    case 'processing':
    case 'needs_attention':
      return 'PROCESSING';
    case 'succeeded':
      return 'SUCCEEDED';
    case 'failed':
      return 'FAILED';
    case 'unknown':
      return 'UNKNOWN';
    case 'deferred':
      return null;
  }
}
