import type { AttentionReason } from '../gateway/refund-gateway.port';
import { RefundEvent, RefundEventSnapshot } from './refund-event';

/**
 * A refund needs a person: the gateway said something only an operator can settle (ChaoYing CHANGE),
 * or lost a refund it had accepted. The money stays reserved until it is settled.
 */
export class RefundNeedsAttentionEvent extends RefundEvent {
  static readonly eventName = 'refund.needs_attention' as const;

  constructor(
    refund: RefundEventSnapshot,
    occurredAt: Date,
    readonly reason: AttentionReason,
    readonly message: string,
  ) {
    super(refund, occurredAt);
  }
}
