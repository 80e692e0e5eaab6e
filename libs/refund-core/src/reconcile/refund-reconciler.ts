import { MikroORM } from '@mikro-orm/core';
import { Inject, Injectable, Logger } from '@nestjs/common';

import { Clock } from '../domain/clock';
import { isFinal } from '../domain/refund-status';
import type { Refund } from '../entities/refund.entity';
import { GatewayRegistry } from '../gateway/gateway-registry';
import type { GatewayQueryOutcome } from '../gateway/refund-gateway.port';
import { describeError, errorFrames } from '../logging/error-summary';
import { REFUND_OBSERVER, type RefundObserver } from '../observability/refund-observer';
import { InjectRefundOrm } from '../persistence/refund-orm.token';
import { callGateway } from '../refund/gateway-call';
import { RefundClaims } from '../refund/refund-claims';
import { toGatewaySnapshot } from '../refund/refund.mapper';
import { RefundService } from '../refund/refund.service';
import { RefundSettings } from '../refund-settings';
import { MerchantRateLimiter } from '../sync/merchant-rate-limiter';
import { runWithConcurrency } from '../sync/run-with-concurrency';
import { classifyReconciliation } from './reconcile-classifier';
import type {
  ReconcileAction,
  ReconcileClassification,
  ReconcileOptions,
  ReconcileReport,
  ReconcileRow,
} from './reconcile.types';
import { countRefundsIn, refundPagesIn } from './refund-window';

const DEFAULT_PAGE_SIZE = 500;
/** How long to wait before asking a spent rate limit again: a token comes back within a second. */
const RATE_LIMIT_PAUSE_MS = 100;

/**
 * Compares every refund created in a window with what its gateway says now, through the same
 * query the sync uses (the port, its timeout, the merchants' rate limits, the gateways' concurrency),
 * and reports each refund that does not match. With `apply`, a refund unfinished here that its
 * gateway has definitely settled is corrected through the normal outcome path (claim, transition,
 * ledger, history with source `reconcile`, outbox event, webhook); nothing else is ever changed.
 */
@Injectable()
export class RefundReconciler {
  private readonly logger = new Logger(RefundReconciler.name);

  constructor(
    @InjectRefundOrm() private readonly orm: MikroORM,
    private readonly registry: GatewayRegistry,
    private readonly refunds: RefundService,
    private readonly claims: RefundClaims,
    private readonly settings: RefundSettings,
    private readonly limiter: MerchantRateLimiter,
    private readonly clock: Clock,
    @Inject(REFUND_OBSERVER) private readonly observer: RefundObserver,
  ) {}

  async run(options: ReconcileOptions): Promise<ReconcileReport> {
    const window = { from: options.from, to: options.to, gateway: options.gateway };
    const total = await countRefundsIn(this.orm, window);
    const report: ReconcileReport = {
      window: { from: options.from.toISOString(), to: options.to.toISOString() },
      gateway: options.gateway ?? null,
      applied: options.apply ?? false,
      counts: { total, match: 0, fixable: 0, needs_person: 0, unknown: 0, corrected: 0 },
      rows: [],
    };
    let done = 0;
    options.onProgress?.({ done, total });
    for await (const page of refundPagesIn(this.orm, window, options.pageSize ?? DEFAULT_PAGE_SIZE)) {
      const rows = new Map<string, ReconcileRow>();
      const byGateway = new Map<string, Refund[]>();
      for (const refund of page) byGateway.set(refund.gateway, [...(byGateway.get(refund.gateway) ?? []), refund]);
      await Promise.all(
        [...byGateway.entries()].map(([gateway, refunds]) =>
          runWithConcurrency(refunds, this.settings.concurrencyFor(gateway), async (refund) => {
            const row = await this.reconcileOne(refund, options);
            report.counts[row.classification] += 1;
            if (row.action === 'corrected') report.counts.corrected += 1;
            if (row.classification !== 'match') rows.set(refund.id, row);
            done += 1;
            options.onProgress?.({ done, total: Math.max(total, done) });
          }),
        ),
      );
      // In creation order, whatever order the gateways answered in.
      for (const refund of page) {
        const row = rows.get(refund.id);
        if (row) report.rows.push(row);
      }
    }
    report.counts.total = done;
    return report;
  }

  private async reconcileOne(refund: Refund, options: ReconcileOptions): Promise<ReconcileRow> {
    try {
      const answer = await this.query(refund, options);
      return await this.judge(refund, answer, options);
    } catch (error) {
      this.logger.error(`Reconciliation of refund ${refund.id} failed: ${describeError(error)}`, errorFrames(error));
      return this.rowOf(refund, {
        gatewayStatus: 'unknown',
        gatewayRawStatus: null,
        classification: 'unknown',
        action: 'query_failed',
        detail: `reconciliation failed: ${describeError(error)}`,
      });
    }
  }

  private async query(refund: Refund, options: ReconcileOptions): Promise<GatewayQueryOutcome> {
    if (!this.registry.has(refund.gateway)) {
      return { kind: 'unknown', reason: 'adapter_error', detail: `gateway ${refund.gateway} is not configured here` };
    }
    const gateway = this.registry.get(refund.gateway);
    const pause = options.pause ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    while (!this.limiter.tryTake(refund.gateway, refund.merchantId)) await pause(RATE_LIMIT_PAUSE_MS);
    const call = {
      gateway: gateway.id,
      operation: 'query' as const,
      refundId: refund.id,
      timeoutMs: this.settings.gatewayCallTimeoutMs,
      observer: this.observer,
    };
    return callGateway(call, () => gateway.query(toGatewaySnapshot(refund, this.clock.now())));
  }

  private async judge(refund: Refund, answer: GatewayQueryOutcome, options: ReconcileOptions): Promise<ReconcileRow> {
    const verdict = classifyReconciliation({
      local: refund.status,
      answer,
      ageMs: this.clock.now().getTime() - refund.createdAt.getTime(),
      notFoundGraceMs: options.notFoundGraceMs ?? this.settings.sync.requestedGraceMs,
    });
    const sides = {
      gatewayStatus: answer.kind,
      gatewayRawStatus: 'rawStatus' in answer && answer.rawStatus !== undefined ? answer.rawStatus : null,
      detail: verdict.detail,
    };
    if (verdict.classification !== 'fixable') {
      return this.rowOf(refund, {
        ...sides,
        classification: verdict.classification,
        action: actionOf(verdict.classification),
      });
    }
    if (!options.apply) return this.rowOf(refund, { ...sides, classification: 'fixable', action: 'would_correct' });
    return this.correct(refund, answer, sides);
  }

  /** Settles a refund its gateway has settled, under the refund's claim, as a sync would. */
  private async correct(
    refund: Refund,
    answer: GatewayQueryOutcome,
    sides: Pick<ReconcileRow, 'gatewayStatus' | 'gatewayRawStatus' | 'detail'>,
  ): Promise<ReconcileRow> {
    // Only a definite answer is fixable; the classifier never says so of another.
    if (answer.kind !== 'succeeded' && answer.kind !== 'failed') throw new Error(`No correction from '${answer.kind}'`);
    const lease = await this.claims.claim(refund.id);
    if (lease === null) {
      // Settled meanwhile (a notification, a sync round), or being worked on right now.
      const now = await this.refunds.get(refund.id);
      if (isFinal(now.status)) {
        const again = classifyReconciliation({ local: now.status, answer, ageMs: 0, notFoundGraceMs: 0 });
        return this.rowOf(refund, {
          ...sides,
          classification: again.classification,
          action: actionOf(again.classification),
          statusAfter: now.status,
          detail: `settled ${now.status} meanwhile; ${again.detail}`,
        });
      }
      return this.rowOf(refund, { ...sides, classification: 'fixable', action: 'busy' });
    }
    const after = await this.refunds
      .applyClaimed(refund.id, answer, { source: 'reconcile', lease })
      .catch(async (error: unknown) => {
        // Nothing was applied: the claim goes back now rather than when its lease runs out.
        await this.claims.release(refund.id, lease);
        throw error;
      });
    if (!isFinal(after.status)) {
      // The answer contradicted the refund's recorded order: the transition flagged it instead.
      return this.rowOf(refund, {
        ...sides,
        classification: 'needs_person',
        action: 'left_for_person',
        statusAfter: after.status,
        detail: `${sides.detail}; not settled: ${after.needsAttention?.reason ?? 'the transition kept it'}`,
      });
    }
    this.logger.log(`Refund ${refund.id} reconciled: ${refund.status} -> ${after.status}`);
    return this.rowOf(refund, { ...sides, classification: 'fixable', action: 'corrected', statusAfter: after.status });
  }

  private rowOf(
    refund: Refund,
    fields: Omit<
      ReconcileRow,
      'refundId' | 'refundNo' | 'gateway' | 'merchantId' | 'amount' | 'localStatus' | 'statusAfter'
    > & {
      statusAfter?: ReconcileRow['statusAfter'];
    },
  ): ReconcileRow {
    return {
      refundId: refund.id,
      refundNo: refund.refundNo,
      gateway: refund.gateway,
      merchantId: refund.merchantId,
      amount: refund.amount,
      localStatus: refund.status,
      ...fields,
      statusAfter: fields.statusAfter ?? refund.status,
    };
  }
}

function actionOf(classification: ReconcileClassification): ReconcileAction {
  switch (classification) {
    case 'match':
      return 'none';
    case 'fixable':
      return 'would_correct';
    case 'needs_person':
      return 'left_for_person';
    case 'unknown':
      return 'query_failed';
  }
}
