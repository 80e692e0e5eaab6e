import type { EntityManager } from '@mikro-orm/core';

import { RefundExchange } from '../entities/refund-exchange.entity';
import type { RefundExchangePage } from './refund.view';
import { toExchangeView } from './refund-exchanges';
import { historyCursor } from './refund-history.query';

/**
 * A page of a refund's exchanges, oldest first: `limit` rows after the row `afterId` (null: from the
 * first), read on `refund_exchange_refund_idx`, with the same cursors as the history's.
 */
export async function refundExchangePage(
  em: EntityManager,
  refundId: string,
  page: { afterId: string | null; limit: number },
): Promise<RefundExchangePage> {
  const rows = await em.find(
    RefundExchange,
    { refund: refundId, ...(page.afterId === null ? {} : { id: { $gt: page.afterId } }) },
    { orderBy: { id: 'asc' }, limit: page.limit + 1 },
  );
  const items = rows.slice(0, page.limit);
  return {
    items: items.map(toExchangeView),
    nextCursor: rows.length > page.limit ? historyCursor(items[items.length - 1].id) : null,
  };
}
