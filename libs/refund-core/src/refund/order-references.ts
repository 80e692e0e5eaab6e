import { OrderRefKind, OrderRefSource } from '../entities/refund-order-ref.entity';
import { RefundOrder } from '../entities/refund-order.entity';
import { OrderReferenceConflictError, OrderReferenceOwner } from '../errors';
import { insertRef, ordersByIds, refRows } from '../persistence/sql/order-ref-table';
import type { SqlSession } from '../persistence/sql/sql-session';

/** One name of an order, as a request or a gateway's answer gives it. */
export interface OrderReference {
  kind: OrderRefKind;
  value: string;
}

/** A reference and the recorded order it belongs to, if any. */
export interface OwnedReference extends OrderReference {
  orderId: string | null;
}

/** Where references are unique: one merchant of one gateway. */
export interface OrderScope {
  gateway: string;
  merchantId: string;
}

/** The `refund_order_ref.value` column; what a request gives is held to it by the API's checks. */
export const ORDER_REFERENCE_MAX_LENGTH = 64;

const FIELD_OF: Readonly<Record<OrderRefKind, OrderReferenceOwner['field']>> = {
  merchant: 'order.merchantOrderNo',
  gateway: 'order.gatewayOrderNo',
};

/** How a reference reads to people: "merchant order number T1". */
export function describeReference(ref: OrderReference): string {
  return `${ref.kind === 'merchant' ? 'merchant' : 'gateway'} order number ${ref.value}`;
}

/**
 * The references an order description gives, the merchant order number first. Every writer links
 * references in this order, so two transactions linking the same two never wait on each other in
 * opposite orders. A blank number is no reference (the money rules refuse an order without any).
 */
export function referencesOf(order: {
  merchantOrderNo?: string | null;
  gatewayOrderNo?: string | null;
}): OrderReference[] {
  const refs: OrderReference[] = [];
  if (isGiven(order.merchantOrderNo)) refs.push({ kind: 'merchant', value: order.merchantOrderNo });
  if (isGiven(order.gatewayOrderNo)) refs.push({ kind: 'gateway', value: order.gatewayOrderNo });
  return refs;
}

/** The recorded order of each reference (null for a reference nobody has linked yet). */
export async function findOwners(
  session: SqlSession,
  scope: OrderScope,
  refs: readonly OrderReference[],
): Promise<OwnedReference[]> {
  const rows = await refRows(session, scope, refs);
  return refs.map((ref) => {
    const row = rows.find((r) => r.kind === ref.kind && r.value === ref.value);
    return { ...ref, orderId: row ? row.orderId : null };
  });
}

/**
 * Links references to an order in the caller's transaction; a reference another transaction linked
 * meanwhile fails on the table's primary key.
 */
export function linkReferences(
  session: SqlSession,
  order: RefundOrder,
  refs: readonly OrderReference[],
  at: { source: OrderRefSource; now: Date },
): void {
  for (const ref of refs) {
    insertRef(session, { order, kind: ref.kind, value: ref.value, source: at.source, createdAt: at.now });
  }
}

/**
 * The 409 for references that belong to different recorded orders, naming each reference and the
 * order it belongs to. All of them are orders of the caller's own merchant.
 */
export async function referenceConflict(
  session: SqlSession,
  owned: readonly OwnedReference[],
): Promise<OrderReferenceConflictError> {
  const ids = owned.flatMap((ref) => (ref.orderId === null ? [] : [ref.orderId]));
  const orders = await ordersByIds(session, ids);
  const references = owned.flatMap((ref) => {
    const order = orders.find((o) => o.id === ref.orderId);
    if (!order) return [];
    return [
      {
        field: FIELD_OF[ref.kind],
        value: ref.value,
        order: {
          merchantOrderNo: order.merchantOrderNo,
          gatewayOrderNo: order.gatewayOrderNo,
          totalAmount: order.totalAmount,
        },
      },
    ];
  });
  return new OrderReferenceConflictError(references);
}

function isGiven(value: string | null | undefined): value is string {
  return typeof value === 'string' && value.trim() !== '';
}
