import { Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';

import { FenType } from './column-types';

/**
 * One paid order, per (gateway, merchantId, orderRef): the over-refund guard. `reservedAmount`
 * is the sum of its refunds that are not FAILED (SUCCEEDED included); `refundedAmount` the sum
 * of the SUCCEEDED ones. Both only change under a lock on this row.
 */
@Entity({ tableName: 'refund_order' })
@Unique({ name: 'refund_order_key', properties: ['gateway', 'merchantId', 'orderRef'] })
export class RefundOrder {
  [OptionalProps]?:
    | 'merchantOrderNo'
    | 'gatewayOrderNo'
    | 'reservedAmount'
    | 'refundedAmount'
    | 'refundableAmount'
    | 'slotRefundId'
    | 'slotExpiresAt';

  @PrimaryKey({ type: 'string', length: 40 })
  id!: string;

  @Property({ type: 'string', length: 32 })
  gateway!: string;

  @Property({ type: 'string', length: 64 })
  merchantId!: string;

  /** The merchant order number when the caller gave one, otherwise `gw:` + the gateway order number. */
  @Property({ type: 'string', length: 80 })
  orderRef!: string;

  @Index({ name: 'refund_order_merchant_order_no_idx' })
  @Property({ type: 'string', length: 64, nullable: true })
  merchantOrderNo: string | null = null;

  @Property({ type: 'string', length: 64, nullable: true })
  gatewayOrderNo: string | null = null;

  @Property({ type: FenType })
  totalAmount!: number;

  @Property({ type: FenType })
  reservedAmount: number = 0;

  @Property({ type: FenType })
  refundedAmount: number = 0;

  /**
   * The order's submission slot, for gateways that take one refund of an order at a time: the
   * refund in flight at the gateway, until it is accepted or settled. A lease: once
   * `slotExpiresAt` has passed (a crashed process), the slot is free again.
   */
  @Property({ type: 'string', length: 40, nullable: true })
  slotRefundId: string | null = null;

  @Property({ type: Date, nullable: true })
  slotExpiresAt: Date | null = null;

  @Property({ type: Date })
  createdAt!: Date;

  @Property({ type: Date })
  updatedAt!: Date;

  get refundableAmount(): number {
    return this.totalAmount - this.reservedAmount;
  }
}

export function orderRefOf(order: { merchantOrderNo?: string | null; gatewayOrderNo?: string | null }): string {
  if (order.merchantOrderNo) return order.merchantOrderNo;
  return `gw:${order.gatewayOrderNo ?? ''}`;
}
