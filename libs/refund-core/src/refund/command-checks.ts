import { nestedTextProblems } from '../domain/nested-text';
import { unstorableDateReason } from '../domain/storable-date';
import { unstorableTextReason } from '../domain/text';
import type { FieldProblem } from '../errors';
import type { RequestRefundCommand } from './request-refund.command';

function isFen(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

/** The `refund.requested_by` column. */
const REQUESTED_BY_MAX_LENGTH = 64;

function isBlank(value: string | null | undefined): boolean {
  return value === undefined || value === null || value.trim() === '';
}

/**
 * The money rules every caller gets, whatever its transport validated already: a host app
 * calling RefundService directly is held to them too.
 */
export function checkRefundCommand(cmd: RequestRefundCommand): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (isBlank(cmd.gateway)) problems.push({ field: 'gateway', message: 'is required' });
  if (isBlank(cmd.merchantId)) problems.push({ field: 'merchantId', message: 'is required' });
  if (isBlank(cmd.refundNo)) problems.push({ field: 'refundNo', message: 'is required' });
  if (!isFen(cmd.amount)) problems.push({ field: 'amount', message: 'must be a positive integer number of fen' });
  problems.push(...textProblems(cmd));
  if (!cmd.order) {
    problems.push({ field: 'order', message: 'is required' });
    return problems;
  }
  const paidAtProblem = cmd.order.paidAt ? unstorableDateReason(cmd.order.paidAt) : null;
  if (paidAtProblem !== null) problems.push({ field: 'order.paidAt', message: paidAtProblem });
  if (!isFen(cmd.order.totalAmount)) {
    problems.push({ field: 'order.totalAmount', message: 'must be a positive integer number of fen' });
  } else if (isFen(cmd.amount) && cmd.amount > cmd.order.totalAmount) {
    problems.push({ field: 'amount', message: `must not exceed order.totalAmount (${cmd.order.totalAmount})` });
  }
  if (isBlank(cmd.order.merchantOrderNo) && isBlank(cmd.order.gatewayOrderNo)) {
    problems.push({ field: 'order', message: 'needs merchantOrderNo or gatewayOrderNo' });
  }
  if (cmd.requestedBy && [...cmd.requestedBy].length > REQUESTED_BY_MAX_LENGTH) {
    problems.push({ field: 'requestedBy', message: `must be at most ${REQUESTED_BY_MAX_LENGTH} characters` });
  }
  return problems;
}

/**
 * Text that could not be stored as sent: a NUL would fail the insert (a 500), and a lone surrogate
 * would be stored as U+FFFD, so that the same request sent again no longer matches its refund.
 */
function textProblems(cmd: RequestRefundCommand): FieldProblem[] {
  const texts: Array<[string, unknown]> = [
    ['gateway', cmd.gateway],
    ['merchantId', cmd.merchantId],
    ['refundNo', cmd.refundNo],
    ['order.merchantOrderNo', cmd.order?.merchantOrderNo],
    ['order.gatewayOrderNo', cmd.order?.gatewayOrderNo],
    ['order.payMethod', cmd.order?.payMethod],
    ['reason', cmd.reason],
    ['notifyUrl', cmd.notifyUrl],
    ['requestedBy', cmd.requestedBy],
  ];
  const problems = texts.flatMap(([field, value]) => {
    const message = typeof value === 'string' ? unstorableTextReason(value) : null;
    return message === null ? [] : [{ field, message }];
  });
  return [...problems, ...nestedTextProblems(cmd.gatewayOptions, { field: 'gatewayOptions' })];
}

/** Canonical JSON (sorted keys) so that equal option objects compare equal. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const PLACEHOLDER_TEXT = 'X';

/** The order numbers, one of which an order must have. */
const ORDER_REFERENCE_FIELDS = ['order.merchantOrderNo', 'order.gatewayOrderNo'] as const;

/**
 * The fields a problem leaves unreadable for the checks after it: the field itself; for a problem on
 * an order that is there (it has no reference), its two order numbers, so the rest of it is still read.
 */
export function unreadableFields(problem: FieldProblem, cmd: RequestRefundCommand): string[] {
  return problem.field === 'order' && cmd.order ? [...ORDER_REFERENCE_FIELDS] : [problem.field];
}

/** Whether `field` is one of `fields` or lies inside one (`order.payMethod` inside `order`). */
export function isWithin(field: string, fields: ReadonlySet<string>): boolean {
  for (let end = field.length; end > 0; end = field.lastIndexOf('.', end - 1)) {
    if (fields.has(field.slice(0, end))) return true;
  }
  return false;
}

/**
 * The command with harmless placeholders in place of the `malformed` fields (and of everything
 * inside them), so that the rest of it can be checked. A placeholder passes every rule between
 * fields: an amount within the order's total, an order reference present. What a check says about
 * a placeholder itself is for the caller to drop ({@link isWithin}).
 */
export function withPlaceholders(cmd: RequestRefundCommand, malformed: ReadonlySet<string>): RequestRefundCommand {
  if (malformed.size === 0) return cmd;
  const bad = (field: string) => isWithin(field, malformed);
  const text = (field: string, value: string) => (bad(field) ? PLACEHOLDER_TEXT : value);
  const amount = bad('amount') ? 1 : cmd.amount;
  const order: Partial<RequestRefundCommand['order']> | undefined = bad('order') ? {} : cmd.order;
  return {
    gateway: text('gateway', cmd.gateway),
    merchantId: text('merchantId', cmd.merchantId),
    refundNo: text('refundNo', cmd.refundNo),
    amount,
    // An order left out (not malformed) stays out: checkRefundCommand says it is required.
    order: order
      ? {
          merchantOrderNo: bad('order.merchantOrderNo') ? PLACEHOLDER_TEXT : (order.merchantOrderNo ?? null),
          gatewayOrderNo: bad('order.gatewayOrderNo') ? PLACEHOLDER_TEXT : (order.gatewayOrderNo ?? null),
          totalAmount: bad('order.totalAmount') ? (isFen(amount) ? amount : 1) : (order.totalAmount as number),
          paidAt: bad('order.paidAt') ? null : (order.paidAt ?? null),
          payMethod: bad('order.payMethod') ? null : (order.payMethod ?? null),
        }
      : cmd.order,
    reason: bad('reason') ? null : cmd.reason,
    notifyUrl: bad('notifyUrl') ? null : cmd.notifyUrl,
    gatewayOptions: bad('gatewayOptions') ? {} : cmd.gatewayOptions,
    requestedBy: cmd.requestedBy,
  };
}
