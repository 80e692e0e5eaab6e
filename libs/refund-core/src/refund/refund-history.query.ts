import { RefundValidationError } from '../errors';
import type { RefundHistoryPageQuery } from './refund.view';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './refund-list.query';

/** A history row's id as the database makes it: a positive integer of at most 19 digits, a bigint. */
const ROW_ID = /^[1-9]\d{0,18}$/;
const MAX_ROW_ID = 9_223_372_036_854_775_807n;

/** The cursor that starts the page after the row with this id. */
export function historyCursor(rowId: string): string {
  return Buffer.from(rowId).toString('base64url');
}

/**
 * A history page request as the rows to read: those after `afterId` (null: from the first), `limit` of
 * them. The same page sizes as the refund list.
 *
 * @throws RefundValidationError naming `limit` or `cursor`
 */
export function refundHistoryPageQuery(page: RefundHistoryPageQuery): { afterId: string | null; limit: number } {
  const limit = page.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new RefundValidationError([{ field: 'limit', message: `must be an integer from 1 to ${MAX_PAGE_SIZE}` }]);
  }
  if (page.cursor === undefined) return { afterId: null, limit };
  const rowId = /^[A-Za-z0-9_-]{1,32}$/.test(page.cursor) ? Buffer.from(page.cursor, 'base64url').toString('utf8') : '';
  if (!ROW_ID.test(rowId) || BigInt(rowId) > MAX_ROW_ID || historyCursor(rowId) !== page.cursor) {
    throw new RefundValidationError([{ field: 'cursor', message: 'is not a cursor returned by this API' }]);
  }
  return { afterId: rowId, limit };
}
