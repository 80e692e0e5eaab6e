import { RefundEvent, RefundEventSnapshot } from './refund-event';

/** The gateway confirmed the refund: money went back to the payer. */
export class RefundSucceededEvent extends RefundEvent {
  static readonly eventName = 'refund.succeeded' as const;

  constructor(
    refund: RefundEventSnapshot,
    occurredAt: Date,
    readonly finishedAt: Date,
  ) {
    super(refund, occurredAt);
  }
}
