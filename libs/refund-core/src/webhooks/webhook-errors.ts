import { RefundError } from '../errors';

export class WebhookDeliveryNotFoundError extends RefundError {
  readonly code = 'WEBHOOK_DELIVERY_NOT_FOUND';
  constructor(
    readonly refundId: string,
    readonly deliveryId: string,
  ) {
    super(`Refund '${refundId}' has no webhook delivery '${deliveryId}'`);
  }
}

/** A delivered webhook is not sent again: the receiver has it. */
export class WebhookAlreadyDeliveredError extends RefundError {
  readonly code = 'WEBHOOK_ALREADY_DELIVERED';
  constructor(readonly deliveryId: string) {
    super(`Webhook delivery '${deliveryId}' was delivered already`);
  }
}

/** The delivery is being sent at this moment; its answer decides what comes next. */
export class WebhookDeliveryInFlightError extends RefundError {
  readonly code = 'WEBHOOK_DELIVERY_IN_FLIGHT';
  constructor(readonly deliveryId: string) {
    super(`Webhook delivery '${deliveryId}' is being sent now; ask again once this attempt is recorded`);
  }
}
