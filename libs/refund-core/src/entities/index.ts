import { RefundExchange } from './refund-exchange.entity';
import { RefundHistory } from './refund-history.entity';
import { RefundOrder } from './refund-order.entity';
import { RefundOrderRef } from './refund-order-ref.entity';
import { Refund } from './refund.entity';
import { RefundOutbox } from './refund-outbox.entity';
import { WebhookAttempt } from './webhook-attempt.entity';
import { WebhookDelivery } from './webhook-delivery.entity';

export { Refund, RefundOrder, RefundOrderRef, RefundHistory, RefundOutbox, WebhookDelivery, WebhookAttempt };
export { RefundExchange };
export type { RefundExchangeOperation, RefundExchangeOutcome } from './refund-exchange.entity';
export type { OrderRefKind, OrderRefSource } from './refund-order-ref.entity';
export type { WebhookDeliveryStatus } from './webhook-delivery.entity';
export type { OutboxListenerState, OutboxStatus } from './refund-outbox.entity';
export { orderRefOf } from './refund-order.entity';
export type { RefundHistorySource } from './refund-history.entity';

/** Every entity refund-core persists; hosts pass these to MikroORM. */
export const REFUND_ENTITIES = [
  Refund,
  RefundOrder,
  RefundOrderRef,
  RefundHistory,
  RefundOutbox,
  WebhookDelivery,
  WebhookAttempt,
  RefundExchange,
];
