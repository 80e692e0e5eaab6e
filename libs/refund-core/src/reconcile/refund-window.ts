import { FilterQuery, MikroORM } from '@mikro-orm/core';

import { Refund } from '../entities/refund.entity';

/** The refunds created in `[from, to)`, optionally of one gateway. */
export interface RefundWindow {
  from: Date;
  to: Date;
  gateway?: string;
}

function whereOf(window: RefundWindow): FilterQuery<Refund> {
  return {
    createdAt: { $gte: window.from, $lt: window.to },
    ...(window.gateway === undefined ? {} : { gateway: window.gateway }),
  };
}

export function countRefundsIn(orm: MikroORM, window: RefundWindow): Promise<number> {
  return orm.em.fork().count(Refund, whereOf(window));
}

/**
 * The window's refunds a page at a time, in id order (ids are time-ordered), each page from its own
 * entity manager: a window of a million refunds never sits in memory at once.
 */
export async function* refundPagesIn(orm: MikroORM, window: RefundWindow, pageSize: number): AsyncGenerator<Refund[]> {
  let after: string | null = null;
  for (;;) {
    const where: FilterQuery<Refund> =
      after === null ? whereOf(window) : { $and: [whereOf(window), { id: { $gt: after } }] };
    const page: Refund[] = await orm.em
      .fork()
      .find(Refund, where, { orderBy: { id: 'asc' }, limit: pageSize, populate: ['order'] });
    if (page.length) yield page;
    if (page.length < pageSize) return;
    after = page[page.length - 1].id;
  }
}
