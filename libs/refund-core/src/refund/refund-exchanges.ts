import { truncateText } from '../domain/text';
import { CODE_COLUMN_LENGTH, MESSAGE_COLUMN_LENGTH } from '../entities/column-types';
import { RefundExchange, RefundExchangeOperation, RefundExchangeOutcome } from '../entities/refund-exchange.entity';
import { Refund } from '../entities/refund.entity';
import type { GatewayQueryOutcome, VerifiedNotification } from '../gateway/refund-gateway.port';
import { countExchangeRepeat, insertExchange } from '../persistence/sql/exchange-table';
import { lockRefundRow } from '../persistence/sql/refund-tables';
import type { SqlSession } from '../persistence/sql/sql-session';
import type { WriteTransactions } from '../persistence/sql/write-transactions';
import type { RefundExchangeView } from './refund.view';

/**
 * One exchange with a gateway, as its caller knows it: which operation, how long the gateway took,
 * what it answered (when that differs from the outcome applied, as for a query's "not found"), and
 * for a verified notification, what it carried besides its outcome.
 */
export interface ExchangeNote {
  operation: RefundExchangeOperation;
  /** When the request was sent, by the injected clock; absent: when the answer was applied (a notification). */
  at?: Date;
  /** Null for a notification. */
  durationMs: number | null;
  /** The gateway's answer, when the outcome applied is derived from it; absent: the outcome applied. */
  answer?: GatewayQueryOutcome;
  /** The verified notification the outcome came from. */
  notification?: Pick<VerifiedNotification, 'merchantId' | 'refundNo' | 'gatewayRefundNo' | 'amount' | 'echo'>;
}

/** What an exchange row says beyond its note: what became of it, and when. */
export interface ExchangeEntry {
  at: Date;
  note: ExchangeNote;
  /** What the gateway said; null when nothing of it may be kept (a notification that failed verification). */
  heard: GatewayQueryOutcome | null;
  outcome: RefundExchangeOutcome;
  changed: boolean;
  /** Our own code for a refused notification (`NOTIFICATION_REJECTED`), when the gateway's words are not kept. */
  code?: string;
}

/**
 * Field names whose values are never stored: keys, signatures and customer data. Matched against the
 * name in lower case with `_`, `-` and `.` removed, anywhere in it (`sign`, `signature`, `sign_type`,
 * `tradeKey`, `card_no`, `buyerName`, `mobile`, `bank_account`, `id_card_no`, ...).
 */
export const REDACTED_FIELD_PATTERN =
  /sign|key|secret|token|passw|cert|card|name|phone|mobile|email|account|idno|idcard|identity|address|openid|userid|buyer|payer|bank/;

/** What a redacted field's value is replaced with. */
export const REDACTED = '[redacted]';

/** A field's longest stored value; a longer one is cut on a character boundary. */
const FIELD_VALUE_LENGTH = 256;

type FieldValue = string | number | boolean;

/**
 * The parsed fields of an answer, as the port gives them, flat and redacted: any field whose name
 * matches {@link REDACTED_FIELD_PATTERN} keeps its name but not its value, strings are cut to 256
 * characters, and only text, numbers and booleans are kept. A notification's echoed fields are kept
 * under `echo.<name>`, the order facts under `order.<name>`.
 */
export function exchangeFieldsOf(
  answer: GatewayQueryOutcome,
  notification?: ExchangeNote['notification'],
): Record<string, FieldValue> {
  const raw: Record<string, unknown> = { kind: answer.kind };
  for (const [name, value] of Object.entries(answer)) {
    if (name === 'kind') continue;
    if (name === 'order' && value !== null && typeof value === 'object') {
      for (const [orderName, orderValue] of Object.entries(value)) raw[`order.${orderName}`] = orderValue;
    } else raw[name] = value;
  }
  if (notification) {
    raw.merchantId = notification.merchantId;
    raw.refundNo = notification.refundNo;
    raw.gatewayRefundNo ??= notification.gatewayRefundNo;
    raw.amount = notification.amount;
    for (const [name, value] of Object.entries(notification.echo ?? {})) raw[`echo.${name}`] = value;
  }
  const fields: Record<string, FieldValue> = {};
  for (const [name, value] of Object.entries(raw)) {
    const kept = keptValue(value);
    if (kept === undefined) continue;
    fields[name] = isRedacted(name) ? REDACTED : kept;
  }
  return fields;
}

/** Whether a field of this name is stored without its value. */
export function isRedacted(name: string): boolean {
  return REDACTED_FIELD_PATTERN.test(name.toLowerCase().replace(/[_.-]/g, ''));
}

function keptValue(value: unknown): FieldValue | undefined {
  if (typeof value === 'string') return truncateText(value, FIELD_VALUE_LENGTH);
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  return undefined;
}

/** The gateway's status, code and message as an answer carries them. */
function wordsOf(answer: GatewayQueryOutcome | null): { gatewayStatus?: string; code?: string; message?: string } {
  if (answer === null) return {};
  switch (answer.kind) {
    case 'processing':
    case 'succeeded':
      return { gatewayStatus: answer.rawStatus };
    case 'failed':
    case 'deferred':
      return { gatewayStatus: answer.rawStatus, code: answer.code, message: answer.message };
    case 'unknown':
      return {
        gatewayStatus: answer.rawStatus,
        code: answer.code ?? answer.reason.toUpperCase(),
        message: answer.message ?? answer.detail,
      };
    case 'needs_attention':
      return { gatewayStatus: answer.rawStatus, code: answer.reason.toUpperCase(), message: answer.message };
    case 'not_found':
      return { code: answer.code, message: answer.message };
  }
}

/**
 * Writes an exchange row in the caller's transaction (which holds the refund's row lock). A notification
 * heard again, the same in every column, counts on the row it left (`repeats`, `lastAt`): replays cannot
 * grow the log, forged ones included.
 */
export async function recordExchange(
  session: SqlSession,
  refund: Pick<Refund, 'id'>,
  entry: ExchangeEntry,
): Promise<void> {
  const words = wordsOf(entry.heard);
  const code = entry.code ?? words.code;
  const row = {
    refundId: refund.id,
    operation: entry.note.operation,
    gatewayStatus: words.gatewayStatus === undefined ? null : truncateText(words.gatewayStatus, CODE_COLUMN_LENGTH),
    code: code === undefined ? null : truncateText(code, CODE_COLUMN_LENGTH),
    message: words.message === undefined ? null : truncateText(words.message, MESSAGE_COLUMN_LENGTH),
    fields: entry.heard === null ? null : JSON.stringify(exchangeFieldsOf(entry.heard, entry.note.notification)),
    outcome: entry.outcome,
    changed: entry.changed,
  };
  if (entry.note.operation === 'notification' && (await countExchangeRepeat(session, row, entry.at))) return;
  insertExchange(session, { ...row, at: entry.note.at ?? entry.at, durationMs: entry.note.durationMs });
}

/**
 * Records an exchange that changed nothing, in a transaction of its own under the refund's row lock
 * (so that two copies of one notification count twice, on one row). Nothing when the refund is gone.
 */
export function recordExchangeAlone(
  writes: WriteTransactions,
  refundId: string,
  entry: Omit<ExchangeEntry, 'changed'>,
): Promise<void> {
  return writes.transaction(async (session) => {
    if (!(await lockRefundRow(session, refundId))) return;
    await recordExchange(session, { id: refundId }, { ...entry, changed: false });
  });
}

/** What an applied outcome did, as the exchange log says it. */
export function exchangeOutcomeOf(applied: {
  answer: GatewayQueryOutcome;
  /** The answer contradicted the refund's order, or conflicted with a final refund. */
  mismatch: boolean;
  changed: boolean;
}): RefundExchangeOutcome {
  if (applied.answer.kind === 'unknown') return applied.answer.reason === 'mismatch' ? 'mismatched' : 'unknown';
  if (applied.mismatch) return 'mismatched';
  return applied.changed ? 'applied' : 'unchanged';
}

export function toExchangeView(row: RefundExchange): RefundExchangeView {
  return {
    id: row.id,
    operation: row.operation,
    at: row.at.toISOString(),
    durationMs: row.durationMs,
    gatewayStatus: row.gatewayStatus,
    code: row.code,
    message: row.message,
    fields: row.fields === null ? null : (JSON.parse(row.fields) as Record<string, FieldValue>),
    outcome: row.outcome,
    changed: row.changed,
    repeats: row.repeats,
    lastAt: row.lastAt ? row.lastAt.toISOString() : null,
  };
}
