import { MikroORM } from '@mikro-orm/core';

import { UNFINISHED_STATUSES, type RefundStatus } from '@refundhub/core';

/** What the database says at one scrape. */
export interface RefundGaugeReadings {
  /** Refunds by gateway and status. */
  refunds: Array<{ gateway: string; status: string; count: number }>;
  /** Per gateway with unfinished refunds, when its oldest unfinished one was created. */
  oldestUnfinished: Array<{ gateway: string; createdAt: Date }>;
  /** Refunds flagged for a person, by gateway and reason. */
  needingAttention: Array<{ gateway: string; reason: string; count: number }>;
  outboxPending: number;
  outboxSetAside: number;
  webhooksGivenUp: number;
}

interface RefundGroupRow {
  gateway: string;
  status: string;
  attention_reason: string | null;
  refunds: number | string;
  oldest: number | string | Date;
}

interface OutboxRow {
  status: string;
  events: number | string;
}

interface WebhooksRow {
  deliveries: number | string;
}

// One pass over the refunds answers three gauges: counts, the oldest unfinished, and the flagged ones.
const REFUND_GROUPS_SQL =
  'select gateway, status, attention_reason, count(*) as refunds, min(created_at) as oldest ' +
  'from refund group by gateway, status, attention_reason';
// Only the statuses the (status, next_attempt_at) index can find: done events are most of the table.
const OUTBOX_SQL =
  "select status, count(*) as events from refund_outbox where status in ('pending', 'poisoned') group by status";
const WEBHOOKS_GIVEN_UP_SQL = "select count(*) as deliveries from webhook_delivery where status = 'failed'";

/** Reads the database-backed gauges: three grouped queries, each answered from an index or one pass. */
export async function readRefundGauges(orm: MikroORM): Promise<RefundGaugeReadings> {
  const connection = orm.em.fork().getConnection();
  const [groups, outbox, webhooks] = (await Promise.all([
    connection.execute(REFUND_GROUPS_SQL),
    connection.execute(OUTBOX_SQL),
    connection.execute(WEBHOOKS_GIVEN_UP_SQL),
  ])) as [RefundGroupRow[], OutboxRow[], WebhooksRow[]];
  return {
    ...summarize(groups),
    outboxPending: Number(outbox.find((row) => row.status === 'pending')?.events ?? 0),
    outboxSetAside: Number(outbox.find((row) => row.status === 'poisoned')?.events ?? 0),
    webhooksGivenUp: Number(webhooks[0]?.deliveries ?? 0),
  };
}

function summarize(
  groups: RefundGroupRow[],
): Pick<RefundGaugeReadings, 'refunds' | 'oldestUnfinished' | 'needingAttention'> {
  const refunds = new Map<string, { gateway: string; status: string; count: number }>();
  const needingAttention = new Map<string, { gateway: string; reason: string; count: number }>();
  const oldest = new Map<string, Date>();
  for (const row of groups) {
    const count = Number(row.refunds);
    const byStatus = `${row.gateway}\u0000${row.status}`;
    const known = refunds.get(byStatus) ?? { gateway: row.gateway, status: row.status, count: 0 };
    refunds.set(byStatus, { ...known, count: known.count + count });
    if (row.attention_reason !== null) {
      const byReason = `${row.gateway}\u0000${row.attention_reason}`;
      const flagged = needingAttention.get(byReason) ?? {
        gateway: row.gateway,
        reason: row.attention_reason,
        count: 0,
      };
      needingAttention.set(byReason, { ...flagged, count: flagged.count + count });
    }
    if (UNFINISHED_STATUSES.includes(row.status as RefundStatus)) {
      const createdAt = asDate(row.oldest);
      const before = oldest.get(row.gateway);
      if (!before || createdAt < before) oldest.set(row.gateway, createdAt);
    }
  }
  return {
    refunds: [...refunds.values()],
    oldestUnfinished: [...oldest].map(([gateway, createdAt]) => ({ gateway, createdAt })),
    needingAttention: [...needingAttention.values()],
  };
}

/** An aggregate skips the ORM's type mapping: SQLite answers epoch milliseconds, PostgreSQL a Date. */
function asDate(value: number | string | Date): Date {
  if (value instanceof Date) return value;
  return new Date(typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);
}
