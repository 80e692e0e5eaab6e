import type { RefundStatus } from '../../domain/refund-status';
import type { RefundHistorySource } from '../../entities/refund-history.entity';
import type { SqlSession } from './sql-session';
import { sql } from './sql-statement';

const INSERT_HISTORY = sql(`insert into "refund_history"
  ("refund_id", "at", "from_status", "to_status", "source", "applied", "gateway_status", "code", "message", "repeats", "actor")
  values (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`);
const SAME_HEARD = sql(`select "id" from "refund_history"
  where "refund_id" = ? and "applied" = ? and "source" = ? and "from_status" {is} ? and "to_status" = ?
    and "gateway_status" {is} ? and "code" {is} ? and "message" {is} ?
  order by "id" desc limit 1`);
const COUNT_REPEAT = sql(`update "refund_history" set "repeats" = "repeats" + 1, "last_heard_at" = ? where "id" = ?`);

export interface HistoryRow {
  refundId: string;
  at: Date;
  fromStatus: RefundStatus | null;
  toStatus: RefundStatus;
  source: RefundHistorySource;
  applied: boolean;
  gatewayStatus: string | null;
  code: string | null;
  message: string | null;
  actor: string | null;
}

export function insertHistory(session: SqlSession, row: HistoryRow): void {
  session.write(INSERT_HISTORY, [
    row.refundId,
    row.at,
    row.fromStatus,
    row.toStatus,
    row.source,
    row.applied,
    row.gatewayStatus,
    row.code,
    row.message,
    row.actor,
  ]);
}

/**
 * One more repeat on the newest row that says exactly what `row` says (not applied), when there is
 * one; false when there is none.
 */
export async function countRepeat(session: SqlSession, row: Omit<HistoryRow, 'actor'>): Promise<boolean> {
  const same = await session.one(SAME_HEARD, [
    row.refundId,
    row.applied,
    row.source,
    row.fromStatus,
    row.toStatus,
    row.gatewayStatus,
    row.code,
    row.message,
  ]);
  if (!same) return false;
  await session.run(COUNT_REPEAT, [row.at, String(same.id)]);
  return true;
}
