import type { OrderRefKind, OrderRefSource } from '../../entities/refund-order-ref.entity';
import { ORDER_COLUMNS, columnsOf, orderOf } from './refund-rows';
import type { RefundOrder } from '../../entities/refund-order.entity';
import type { SqlSession, SqlValue } from './sql-session';
import { sql } from './sql-statement';

const OWNER = `select "kind", "value", "order_id" from "refund_order_ref"
  where "gateway" = ? and "merchant_id" = ? and "kind" = ? and "value" = ?`;
/**
 * Both references of a request in one statement (a request with one passes it twice, and `union`
 * drops the twin). Each branch names the whole primary key: written as one `or`, PostgreSQL may plan
 * it as a scan of the merchant's every reference, which a merchant with many orders pays per request.
 */
const OWNERS = sql(`${OWNER} union ${OWNER}`);
const INSERT_REF =
  sql(`insert into "refund_order_ref" ("gateway", "merchant_id", "kind", "value", "order_id", "source", "created_at")
  values (?, ?, ?, ?, ?, ?, ?)`);
const INSERT_FREE_REF = sql(`${INSERT_REF.sqlite} on conflict do nothing`);
const ORDERS_BY_IDS = sql(`select ${columnsOf('o', ORDER_COLUMNS)} from "refund_order" "o" where "o"."id" in (?, ?)`);

export interface RefRow {
  kind: OrderRefKind;
  value: string;
  orderId: string;
}

/** The recorded references among (at most two) given ones, in one merchant of one gateway. */
export async function refRows(
  session: SqlSession,
  scope: { gateway: string; merchantId: string },
  refs: ReadonlyArray<{ kind: OrderRefKind; value: string }>,
): Promise<RefRow[]> {
  if (refs.length === 0) return [];
  if (refs.length > 2) throw new Error('An order has at most two references');
  const [first, second = first] = refs;
  const rows = await session.all(OWNERS, [
    ...[scope.gateway, scope.merchantId, first.kind, first.value],
    ...[scope.gateway, scope.merchantId, second.kind, second.value],
  ]);
  return rows.map((row) => ({
    kind: String(row.kind) as OrderRefKind,
    value: String(row.value),
    orderId: String(row.order_id),
  }));
}

/** A reference to link: which order, what number, and where the link comes from. */
export interface NewRef {
  order: RefundOrder;
  kind: OrderRefKind;
  value: string;
  source: OrderRefSource;
  createdAt: Date;
}

function refParams(ref: NewRef): SqlValue[] {
  return [ref.order.gateway, ref.order.merchantId, ref.kind, ref.value, ref.order.id, ref.source, ref.createdAt];
}

export function insertRef(session: SqlSession, ref: NewRef): void {
  session.write(INSERT_REF, refParams(ref));
}

/** Orders by id (at most two: the owners of a request's two references). */
export async function ordersByIds(session: SqlSession, ids: readonly string[]): Promise<RefundOrder[]> {
  if (ids.length === 0) return [];
  const [first, second = first] = ids;
  return (await session.all(ORDERS_BY_IDS, [first, second])).map((row) => orderOf(row));
}

/**
 * Links one reference unless another transaction has linked it (waiting for that one to end first):
 * false then, and nothing written. One statement, where a failed insert would need a savepoint around it.
 */
export async function insertFreeRef(session: SqlSession, ref: NewRef): Promise<boolean> {
  return (await session.run(INSERT_FREE_REF, refParams(ref))) === 1;
}
