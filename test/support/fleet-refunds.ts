import type { MikroORM } from '@mikro-orm/core';
import { Refund, RefundOrder } from '@refundhub/core';

/** Rows per INSERT: far below PostgreSQL's 65,535 parameters per statement (about 30 per refund). */
const CHUNK = 500;

/**
 * Inserts `count` refunds that the gateway has accepted and that are due for a sync now: PROCESSING,
 * submitted once, never synced, `nextSyncAt` a minute ago (one millisecond apart, in refund-number
 * order), each on a paid order of its own that reserves its amount. Multi-row inserts through MikroORM,
 * in one transaction. Returns the refund numbers, `<prefix>000001` onwards.
 */
export async function insertDueRefunds(
  orm: MikroORM,
  opts: { gateway: string; merchantId: string; count: number; amount: number; prefix: string },
): Promise<string[]> {
  const now = new Date();
  const dueFrom = now.getTime() - 60_000;
  const refundNos = Array.from({ length: opts.count }, (_, i) => `${opts.prefix}${String(i + 1).padStart(6, '0')}`);
  await orm.em.fork().transactional(async (em) => {
    for (let start = 0; start < refundNos.length; start += CHUNK) {
      const chunk = refundNos.slice(start, start + CHUNK);
      await em.insertMany(
        RefundOrder,
        chunk.map((refundNo) => ({
          id: `or_${refundNo}`,
          gateway: opts.gateway,
          merchantId: opts.merchantId,
          orderRef: `T${refundNo}`,
          merchantOrderNo: `T${refundNo}`,
          totalAmount: opts.amount,
          reservedAmount: opts.amount,
          createdAt: now,
          updatedAt: now,
        })),
      );
      await em.insertMany(
        Refund,
        chunk.map((refundNo, i) => ({
          id: `rf_${refundNo}`,
          gateway: opts.gateway,
          merchantId: opts.merchantId,
          refundNo,
          order: `or_${refundNo}`,
          amount: opts.amount,
          merchantOrderNo: `T${refundNo}`,
          totalAmount: opts.amount,
          gatewayOptions: {},
          status: 'PROCESSING' as const,
          gatewayStatus: 'PROCESSING',
          attempts: 1,
          submittedAt: now,
          nextSyncAt: new Date(dueFrom + start + i),
          createdAt: now,
          updatedAt: now,
        })),
      );
    }
  });
  return refundNos;
}
