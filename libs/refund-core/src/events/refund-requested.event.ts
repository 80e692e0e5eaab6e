import { RefundEvent, RefundEventSnapshot } from './refund-event';

/** The refund row and its reservation are committed; the gateway has not been asked yet. */
export class RefundRequestedEvent extends RefundEvent {
  static readonly eventName = 'refund.requested' as const;

  constructor(refund: RefundEventSnapshot, occurredAt: Date) {
    super(refund, occurredAt);
  }
}
