import { Entity, Index, ManyToOne, PrimaryKey, PrimaryKeyProp, Property } from '@mikro-orm/core';

import { RefundOrder } from './refund-order.entity';

/** Which of an order's numbers a reference is: the merchant's own order number, or the gateway's. */
export type OrderRefKind = 'merchant' | 'gateway';

/**
 * Who linked a reference to its order: a refund request that named it (beside a number already
 * known, or to a new order), a gateway's answer that revealed it, or the migration that made this table.
 */
export type OrderRefSource = 'request' | 'gateway' | 'migration';

/**
 * One name of a paid order: a merchant order number or a gateway order number, unique within
 * (gateway, merchantId). An order has one balance however many names it has. A reference is never
 * moved to another order nor removed: once linked, it names that order for good, which is what lets
 * a request that found an order by one name trust it under the lock of that order.
 */
@Entity({ tableName: 'refund_order_ref' })
@Index({ name: 'refund_order_ref_order_idx', properties: ['order'] })
export class RefundOrderRef {
  [PrimaryKeyProp]?: ['gateway', 'merchantId', 'kind', 'value'];

  @PrimaryKey({ type: 'string', length: 32 })
  gateway!: string;

  @PrimaryKey({ type: 'string', length: 64 })
  merchantId!: string;

  @PrimaryKey({ type: 'string', length: 16 })
  kind!: OrderRefKind;

  @PrimaryKey({ type: 'string', length: 64 })
  value!: string;

  @ManyToOne(() => RefundOrder, { fieldName: 'order_id', deleteRule: 'cascade' })
  order!: RefundOrder;

  @Property({ type: 'string', length: 16 })
  source!: OrderRefSource;

  @Property({ type: Date })
  createdAt!: Date;
}
