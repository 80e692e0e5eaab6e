import type { GatewayOutcome } from '../gateway/refund-gateway.port';
import type { RefundStatus } from './refund-status';

export function statusOfOutcome(outcome: GatewayOutcome): RefundStatus {
  switch (outcome.kind) {
    case 'processing':
      return 'PROCESSING';
    case 'succeeded':
      return 'SUCCEEDED';
    case 'failed':
      return 'FAILED';
    case 'unknown':
      return 'UNKNOWN';
  }
}
