import { RefundHistory } from './refund-history.entity';
import { RefundOrder } from './refund-order.entity';
import { Refund } from './refund.entity';
import { RefundOutbox } from './refund-outbox.entity';

export { Refund, RefundOrder, RefundHistory, RefundOutbox };
export type { OutboxListenerState, OutboxStatus } from './refund-outbox.entity';
export { orderRefOf } from './refund-order.entity';
export type { RefundHistorySource } from './refund-history.entity';

/** Every entity refund-core persists; hosts pass these to MikroORM. */
export const REFUND_ENTITIES = [Refund, RefundOrder, RefundHistory, RefundOutbox];
