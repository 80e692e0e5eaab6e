import { RefundEvent, RefundEventSnapshot } from './refund-event';

/** The gateway definitely refused or failed the refund; its reservation is released. */
export class RefundFailedEvent extends RefundEvent {
  static readonly eventName = 'refund.failed' as const;

  constructor(
    refund: RefundEventSnapshot,
    occurredAt: Date,
    readonly code: string,
    readonly message: string,
  ) {
    super(refund, occurredAt);
  }
}
