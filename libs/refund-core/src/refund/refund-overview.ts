import { MikroORM } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';

import { Clock } from '../domain/clock';
import { REFUND_STATUSES, type RefundStatus } from '../domain/refund-status';
import { ATTENTION_REASONS, type AttentionReason } from '../gateway/refund-gateway.port';
import { InjectRefundOrm } from '../persistence/refund-orm.token';
import type { MerchantScope } from './request-refund.command';

/** One gateway's figures, over the merchants the caller may see. */
export interface RefundGatewayOverview {
  gateway: string;
  /** Every refund of the gateway. */
  total: number;
  /** Refunds by status; every status is present. */
  byStatus: Record<RefundStatus, number>;
  /** Refunds a person must settle, in all and by reason; every reason is present. */
  needsAttention: { total: number; byReason: Record<AttentionReason, number> };
  /** The oldest refund not yet final (REQUESTED, PROCESSING or UNKNOWN); null when there is none. */
  oldestUnfinished: { id: string; createdAt: string; ageSeconds: number } | null;
}

/** `GET /overview`: what an operations page shows first. */
export interface RefundOverview {
  /** When the figures were read (the refunds' clock). */
  at: string;
  /** By gateway id; only gateways with refunds the caller may see. */
  gateways: RefundGatewayOverview[];
  /** Webhooks of the caller's refunds: given up (`failed`), and still retried after a failed attempt. */
  webhooks: { givenUp: number; failing: number };
  /**
   * The event outbox, shared by every merchant: events waiting to be relayed, of which those whose last
   * relay failed, and events set aside after too many failures. Null for a caller not allowed to see it.
   */
  outbox: { pending: number; failing: number; poisoned: number } | null;
}

type Row = Record<string, unknown>;

/**
 * The overview's figures, each read from an index (Migration20261130120000): counts per (gateway,
 * merchant, status) from `refund_scope_status_idx`, the flagged refunds from the partial
 * `refund_attention_scope_idx`, the oldest unfinished refund of each merchant by one seek in the
 * partial `refund_unfinished_idx`, outbox and webhook counts from their `*_due_idx` on status. The
 * literals in the statements are the partial indexes' own predicates: SQLite uses a partial index
 * only for a query whose WHERE names its predicate, which a bound parameter does not.
 */
@Injectable()
export class RefundOverviewService {
  constructor(
    @InjectRefundOrm() private readonly orm: MikroORM,
    private readonly clock: Clock,
  ) {}

  /** The figures of the refunds inside `scope`; the outbox's only with `outbox: true`. */
  async overview(scope: MerchantScope, opts: { outbox: boolean }): Promise<RefundOverview> {
    const now = this.clock.now();
    const sql = overviewStatements(scope);
    const counts = await this.rows(sql.counts, sql.params);
    const flagged = await this.rows(sql.attention, sql.params);
    const byGateway = new Map<string, RefundGatewayOverview>();
    const gatewayOf = (gateway: string) => {
      let found = byGateway.get(gateway);
      if (!found) {
        found = emptyGateway(gateway);
        byGateway.set(gateway, found);
      }
      return found;
    };
    const unfinished = new Set<string>();
    for (const row of counts) {
      const figures = gatewayOf(String(row.gateway));
      const status = String(row.status) as RefundStatus;
      const n = Number(row.n);
      figures.total += n;
      figures.byStatus[status] = (figures.byStatus[status] ?? 0) + n;
      if (status === 'REQUESTED' || status === 'PROCESSING' || status === 'UNKNOWN') {
        unfinished.add(JSON.stringify([row.gateway, row.merchant_id]));
      }
    }
    for (const row of flagged) {
      const attention = gatewayOf(String(row.gateway)).needsAttention;
      const reason = String(row.attention_reason) as AttentionReason;
      attention.total += Number(row.n);
      attention.byReason[reason] = (attention.byReason[reason] ?? 0) + Number(row.n);
    }
    for (const pair of [...unfinished].sort()) {
      const [gateway, merchantId] = JSON.parse(pair) as [string, string];
      const [oldest] = await this.rows(sql.oldestUnfinished, [gateway, merchantId]);
      if (!oldest) continue;
      const createdAt = new Date(oldest.created_at as Date | number | string);
      const figures = gatewayOf(gateway);
      const current = figures.oldestUnfinished;
      if (current === null || createdAt.getTime() < Date.parse(current.createdAt)) {
        figures.oldestUnfinished = {
          id: String(oldest.id),
          createdAt: createdAt.toISOString(),
          ageSeconds: Math.max(0, Math.floor((now.getTime() - createdAt.getTime()) / 1000)),
        };
      }
    }
    return {
      at: now.toISOString(),
      gateways: [...byGateway.values()].sort((a, b) => a.gateway.localeCompare(b.gateway)),
      webhooks: {
        givenUp: await this.count(sql.webhooksGivenUp, sql.params),
        failing: await this.count(sql.webhooksFailing, sql.params),
      },
      outbox: opts.outbox
        ? {
            pending: await this.count(sql.outboxPending),
            failing: await this.count(sql.outboxFailing),
            poisoned: await this.count(sql.outboxPoisoned),
          }
        : null,
    };
  }

  private rows(sql: string, params: unknown[] = []): Promise<Row[]> {
    return this.orm.em.fork().getConnection().execute<Row[]>(sql, params, 'all');
  }

  private async count(sql: string, params: unknown[] = []): Promise<number> {
    const [row] = await this.rows(sql, params);
    return Number(row?.n ?? 0);
  }
}

/** The statements of the overview for a scope, with the scope's parameters (`params`, for each but `oldestUnfinished`). */
export interface OverviewStatements {
  params: string[];
  counts: string;
  attention: string;
  /** Parameters: the gateway and the merchant. */
  oldestUnfinished: string;
  webhooksGivenUp: string;
  webhooksFailing: string;
  outboxPending: string;
  outboxFailing: string;
  outboxPoisoned: string;
}

/**
 * Every statement the overview runs for `scope`, as it runs them (the benchmark explains and times these
 * very strings). A key for some merchants adds `(gateway = ? and merchant_id = ?) or ...`; its webhooks
 * are counted through their refunds.
 */
export function overviewStatements(scope: MerchantScope): OverviewStatements {
  const filter = scopeFilter(scope);
  const webhooks =
    filter.sql === null
      ? `from "webhook_delivery" "d"`
      : `from "webhook_delivery" "d" join "refund" "r" on "r"."id" = "d"."refund_id"`;
  const scoped = (column: (name: string) => string) => (filter.sql === null ? '' : ` and ${filter.sql(column)}`);
  const plain = (name: string) => `"${name}"`;
  const ofRefund = (name: string) => `"r"."${name}"`;
  return {
    params: filter.params,
    counts: `select "gateway", "merchant_id", "status", count(*) as "n" from "refund"${filter.sql === null ? '' : ` where ${filter.sql(plain)}`} group by "gateway", "merchant_id", "status"`,
    attention: `select "gateway", "merchant_id", "attention_reason", count(*) as "n" from "refund" where "attention_since" is not null${scoped(plain)} group by "gateway", "merchant_id", "attention_reason"`,
    oldestUnfinished: `select "id", "created_at" from "refund" where "gateway" = ? and "merchant_id" = ? and "status" in ('REQUESTED', 'PROCESSING', 'UNKNOWN') order by "created_at", "id" limit 1`,
    webhooksGivenUp: `select count(*) as "n" ${webhooks} where "d"."status" = 'failed'${scoped(ofRefund)}`,
    webhooksFailing: `select count(*) as "n" ${webhooks} where "d"."status" = 'pending' and "d"."attempts" > 0${scoped(ofRefund)}`,
    outboxPending: `select count(*) as "n" from "refund_outbox" where "status" = 'pending'`,
    outboxFailing: `select count(*) as "n" from "refund_outbox" where "status" = 'pending' and "last_error" is not null`,
    outboxPoisoned: `select count(*) as "n" from "refund_outbox" where "status" = 'poisoned'`,
  };
}

/** The scope as a condition on (gateway, merchant_id) pairs; none (null) for a key for every merchant. */
function scopeFilter(scope: MerchantScope): {
  sql: ((column: (name: string) => string) => string) | null;
  params: string[];
} {
  if (scope === '*' || scope.includes('*')) return { sql: null, params: [] };
  const pairs = scope.map((entry) => {
    const at = entry.indexOf(':');
    return [entry.slice(0, at), entry.slice(at + 1)];
  });
  // An empty scope matches nothing rather than everything.
  if (!pairs.length) return { sql: () => '1 = 0', params: [] };
  return {
    sql: (column) => `(${pairs.map(() => `(${column('gateway')} = ? and ${column('merchant_id')} = ?)`).join(' or ')})`,
    params: pairs.flat(),
  };
}

function emptyGateway(gateway: string): RefundGatewayOverview {
  return {
    gateway,
    total: 0,
    byStatus: Object.fromEntries(REFUND_STATUSES.map((s) => [s, 0])) as Record<RefundStatus, number>,
    needsAttention: {
      total: 0,
      byReason: Object.fromEntries(ATTENTION_REASONS.map((r) => [r, 0])) as Record<AttentionReason, number>,
    },
    oldestUnfinished: null,
  };
}
