import type { FilterQuery } from '@mikro-orm/core';

import { idTimeBound } from '../domain/ids';
import { REFUND_STATUSES } from '../domain/refund-status';
import { unstorableDateReason } from '../domain/storable-date';
import { unstorableTextReason } from '../domain/text';
import type { Refund } from '../entities/refund.entity';
import { FieldProblem, RefundValidationError } from '../errors';
import type { RefundListFilter } from './refund.view';
import type { MerchantScope } from './request-refund.command';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** Turns a list filter and the caller's scope into one query, by id (ids grow with time): newest first unless `asc`. */
export function refundListQuery(
  filter: RefundListFilter,
  scope: MerchantScope,
): { where: FilterQuery<Refund>; limit: number; order: 'asc' | 'desc' } {
  const limit = filter.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new RefundValidationError([{ field: 'limit', message: `must be an integer from 1 to ${MAX_PAGE_SIZE}` }]);
  }
  const order = filter.order ?? 'desc';
  if (order !== 'asc' && order !== 'desc') {
    throw new RefundValidationError([{ field: 'order', message: 'must be asc or desc' }]);
  }
  if (filter.status && !REFUND_STATUSES.includes(filter.status)) {
    throw new RefundValidationError([{ field: 'status', message: `must be one of ${REFUND_STATUSES.join(', ')}` }]);
  }
  const problems = filterProblems(filter);
  if (problems.length) throw new RefundValidationError(problems);
  const and: FilterQuery<Refund>[] = [];
  if (filter.gateway) and.push({ gateway: filter.gateway });
  if (filter.merchantId) and.push({ merchantId: filter.merchantId });
  if (filter.status) and.push({ status: filter.status });
  if (filter.merchantOrderNo) and.push({ merchantOrderNo: filter.merchantOrderNo });
  if (filter.refundNo) and.push({ refundNo: filter.refundNo });
  // The gateway's number may be known only to the order (revealed by a gateway's answer), as the view shows it.
  if (filter.gatewayOrderNo) {
    and.push({
      $or: [{ gatewayOrderNo: filter.gatewayOrderNo }, { order: { gatewayOrderNo: filter.gatewayOrderNo } }],
    });
  }
  if (filter.needsAttention !== undefined) {
    and.push({ attentionSince: filter.needsAttention ? { $ne: null } : null });
  }
  // Ids sort by creation time, so the time range is also an id range: the primary key and every
  // index ending in the id (`status, id`) serve it, with no index on created_at.
  if (filter.createdFrom) {
    and.push({ createdAt: { $gte: filter.createdFrom } }, { id: { $gte: idTimeBound('rf', filter.createdFrom) } });
  }
  if (filter.createdTo) {
    and.push({ createdAt: { $lt: filter.createdTo } }, { id: { $lt: idTimeBound('rf', filter.createdTo) } });
  }
  if (filter.cursor) {
    const after = decodeCursor(filter.cursor);
    and.push({ id: order === 'asc' ? { $gt: after } : { $lt: after } });
  }
  if (scope !== '*' && !scope.includes('*')) {
    const pairs = scope.map((entry) => {
      const at = entry.indexOf(':');
      return { gateway: entry.slice(0, at), merchantId: entry.slice(at + 1) };
    });
    // An empty scope matches nothing rather than everything.
    and.push(pairs.length ? { $or: pairs } : { id: { $in: [] } });
  }
  return { where: and.length ? { $and: and } : {}, limit, order };
}

/** Filters the database would refuse: a NUL, a lone surrogate, an invalid date or one past year 9999. */
function filterProblems(filter: RefundListFilter): FieldProblem[] {
  const texts: Array<[string, string | undefined]> = [
    ['gateway', filter.gateway],
    ['merchantId', filter.merchantId],
    ['merchantOrderNo', filter.merchantOrderNo],
    ['refundNo', filter.refundNo],
    ['gatewayOrderNo', filter.gatewayOrderNo],
    ['cursor', filter.cursor],
  ];
  const problems: FieldProblem[] = texts.flatMap(([field, value]) => {
    const message = value === undefined ? null : unstorableTextReason(value);
    return message === null ? [] : [{ field, message }];
  });
  for (const [field, date] of [
    ['createdFrom', filter.createdFrom],
    ['createdTo', filter.createdTo],
  ] as const) {
    const message = date === undefined ? null : unstorableDateReason(date);
    if (message !== null) problems.push({ field, message });
  }
  return problems;
}

function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^rf_[0-9a-f]{32}$/.test(id)) {
    throw new RefundValidationError([{ field: 'cursor', message: 'is not a cursor returned by this API' }]);
  }
  return id;
}
