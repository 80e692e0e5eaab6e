import type { FieldProblem } from '../errors';
import type { RequestRefundCommand } from './request-refund.command';

function isFen(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

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
  if (!cmd.order) {
    problems.push({ field: 'order', message: 'is required' });
    return problems;
  }
  if (!isFen(cmd.order.totalAmount)) {
    problems.push({ field: 'order.totalAmount', message: 'must be a positive integer number of fen' });
  } else if (isFen(cmd.amount) && cmd.amount > cmd.order.totalAmount) {
    problems.push({ field: 'amount', message: `must not exceed order.totalAmount (${cmd.order.totalAmount})` });
  }
  if (isBlank(cmd.order.merchantOrderNo) && isBlank(cmd.order.gatewayOrderNo)) {
    problems.push({ field: 'order', message: 'needs merchantOrderNo or gatewayOrderNo' });
  }
  return problems;
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
