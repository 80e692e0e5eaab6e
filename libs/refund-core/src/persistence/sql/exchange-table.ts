import type { RefundExchangeOperation, RefundExchangeOutcome } from '../../entities/refund-exchange.entity';
import type { SqlSession } from './sql-session';
import { sql } from './sql-statement';

const INSERT_EXCHANGE = sql(`insert into "refund_exchange"
  ("refund_id", "operation", "at", "duration_ms", "gateway_status", "code", "message", "fields", "outcome", "changed", "repeats")
  values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`);
const SAME_EXCHANGE = sql(`select "id" from "refund_exchange"
  where "refund_id" = ? and "operation" = ? and "gateway_status" {is} ? and "code" {is} ? and "message" {is} ?
    and "fields" {is} ? and "outcome" = ? and "changed" = ?
  order by "id" desc limit 1`);
const COUNT_REPEAT = sql(`update "refund_exchange" set "repeats" = "repeats" + 1, "last_at" = ? where "id" = ?`);

export interface ExchangeRow {
  refundId: string;
  operation: RefundExchangeOperation;
  at: Date;
  durationMs: number | null;
  gatewayStatus: string | null;
  code: string | null;
  message: string | null;
  fields: string | null;
  outcome: RefundExchangeOutcome;
  changed: boolean;
}

export function insertExchange(session: SqlSession, row: ExchangeRow): void {
  session.write(INSERT_EXCHANGE, [
    row.refundId,
    row.operation,
    row.at,
    row.durationMs,
    row.gatewayStatus,
    row.code,
    row.message,
    row.fields,
    row.outcome,
    row.changed,
  ]);
}

/** One more repeat, at `at`, on the newest row the same in every column but its times; false when none. */
export async function countExchangeRepeat(
  session: SqlSession,
  row: Omit<ExchangeRow, 'at' | 'durationMs'>,
  at: Date,
): Promise<boolean> {
  const same = await session.one(SAME_EXCHANGE, [
    row.refundId,
    row.operation,
    row.gatewayStatus,
    row.code,
    row.message,
    row.fields,
    row.outcome,
    row.changed,
  ]);
  if (!same) return false;
  await session.run(COUNT_REPEAT, [at, String(same.id)]);
  return true;
}
