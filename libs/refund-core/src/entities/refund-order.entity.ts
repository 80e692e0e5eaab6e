import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

import { FenType } from './column-types';

/**
 * One paid order of a (gateway, merchantId): the over-refund guard. It is found by any of its names,
 * merchant or gateway order numbers ({@link RefundOrderRef}), never by `orderRef`. `reservedAmount` is
 * the sum of its refunds that are not FAILED (SUCCEEDED included); `refundedAmount` the sum of the
 * SUCCEEDED ones. Both only change under a lock on this row.
 */
@Entity({ tableName: 'refund_order' })
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

  /**
   * The name the order was first recorded under, for people: the merchant order number when that
   * request gave one, otherwise `gw:` + the gateway order number. Not a key: orders are found by
   * their references.
   */
  @Property({ type: 'string', length: 80 })
  orderRef!: string;

  /** The first merchant order number known for the order (every one of them is a reference). */
  @Index({ name: 'refund_order_merchant_order_no_idx' })
  @Property({ type: 'string', length: 64, nullable: true })
  merchantOrderNo: string | null = null;

  /** The first gateway order number known for the order (every one of them is a reference). */
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

/** The {@link RefundOrder.orderRef} of an order first recorded by a request naming it so. */
export function orderRefOf(order: { merchantOrderNo?: string | null; gatewayOrderNo?: string | null }): string {
  if (order.merchantOrderNo) return order.merchantOrderNo;
  return `gw:${order.gatewayOrderNo ?? ''}`;
}
