import { randomUUID } from 'node:crypto';

import type { Refund } from '../entities/refund.entity';

/** The identifiers and amounts every refund event carries: a snapshot, never a live entity. */
export interface RefundEventSnapshot {
  refundId: string;
  gateway: string;
  merchantId: string;
  refundNo: string;
  amount: number;
  merchantOrderNo: string | null;
  gatewayOrderNo: string | null;
  orderTotalAmount: number;
  gatewayRefundNo: string | null;
  createdAt: Date;
}

/**
 * Base of the domain events. `eventId` is unique per event: a listener that may see an event
 * twice (replays, relays) dedupes by it.
 */
export abstract class RefundEvent {
  readonly eventId: string = randomUUID();

  protected constructor(
    readonly refund: Readonly<RefundEventSnapshot>,
    readonly occurredAt: Date,
  ) {}
}

export function snapshotOf(refund: Refund): RefundEventSnapshot {
  return {
    refundId: refund.id,
    gateway: refund.gateway,
    merchantId: refund.merchantId,
    refundNo: refund.refundNo,
    amount: refund.amount,
    merchantOrderNo: refund.merchantOrderNo,
    gatewayOrderNo: refund.gatewayOrderNo,
    orderTotalAmount: refund.totalAmount,
    gatewayRefundNo: refund.gatewayRefundNo,
    createdAt: refund.createdAt,
  };
}
