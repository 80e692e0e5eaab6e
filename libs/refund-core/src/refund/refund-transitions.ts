import { EntityManager, MikroORM } from '@mikro-orm/core';
import { Injectable, Logger } from '@nestjs/common';

import { nextSyncDelay } from '../domain/backoff';
import { Clock } from '../domain/clock';
import { statusOfOutcome } from '../domain/outcome-status';
import { assertTransition } from '../domain/refund-state-machine';
import { RefundStatus, isFinal } from '../domain/refund-status';
import { RefundHistory, RefundHistorySource } from '../entities/refund-history.entity';
import { RefundOrder } from '../entities/refund-order.entity';
import { Refund } from '../entities/refund.entity';
import { AnyRefundEvent, RefundFailedEvent, RefundSucceededEvent, snapshotOf } from '../events';
import type { GatewayOutcome } from '../gateway/refund-gateway.port';
import { rowLock } from '../persistence/storage-dialect';
import { RefundSettings } from '../refund-settings';

export interface ApplyContext {
  source: RefundHistorySource;
  /** This outcome answers a submission: count it as an attempt. */
  submission?: boolean;
  /** This outcome comes from a sync round: count it for the backoff. */
  sync?: boolean;
}

export interface ApplyResult {
  refund: Refund;
  /** The status changed. */
  changed: boolean;
  events: AnyRefundEvent[];
}

/**
 * Applies what a gateway said to a refund, under a row lock, with the money and the history
 * in the same transaction. The rules that protect money live here: final is final, PROCESSING
 * never goes back, only a definite failure releases the reservation.
 */
@Injectable()
export class RefundTransitions {
  private readonly logger = new Logger(RefundTransitions.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly settings: RefundSettings,
  ) {}

  apply(refundId: string, outcome: GatewayOutcome, ctx: ApplyContext): Promise<ApplyResult> {
    return this.orm.em.fork().transactional(async (em) => {
      const refund = await this.lock(em, refundId);
      const now = this.clock.now();
      const target = statusOfOutcome(outcome);
      const from = refund.status;
      const result: ApplyResult = { refund, changed: false, events: [] };

      if (isFinal(from)) {
        // Final is final: the refund row is left exactly as it is.
        if (target !== from && target !== 'UNKNOWN') {
          this.logger.warn(`Refund ${refund.id} is ${from}; ${ctx.source} said ${target}: kept ${from}, recorded in history`);
          this.record(em, refund, now, ctx.source, from, target, outcome, false);
          await em.flush();
        }
        return result;
      }
      if (ctx.submission) refund.attempts += 1;
      if (ctx.sync) refund.syncCount += 1;
      if (target === from || (from === 'PROCESSING' && target === 'UNKNOWN')) {
        // Nothing new (still in progress), or an unreadable answer about a refund the gateway
        // already accepted: PROCESSING never goes back, so only the next sync moves.
        this.noteGatewayState(refund, outcome);
        if (target === 'UNKNOWN' && outcome.kind === 'unknown') this.noteUnknown(refund, outcome);
        refund.nextSyncAt = this.nextSync(refund, now);
      } else {
        assertTransition(from, target);
        this.record(em, refund, now, ctx.source, from, target, outcome, true);
        result.events.push(...(await this.enter(em, refund, target, outcome, now)));
        result.changed = true;
      }
      refund.updatedAt = now;
      await em.flush();
      return result;
    });
  }

  /** Records what was heard about a refund without applying it (for example a wrong amount). */
  async refuse(refundId: string, outcome: GatewayOutcome, source: RefundHistorySource, reason: string): Promise<void> {
    await this.orm.em.fork().transactional(async (em) => {
      const refund = await this.lock(em, refundId);
      const entry = this.record(em, refund, this.clock.now(), source, refund.status, statusOfOutcome(outcome), outcome, false);
      entry.message = reason.slice(0, 512);
      await em.flush();
    });
  }

  private lock(em: EntityManager, refundId: string): Promise<Refund> {
    return em.findOneOrFail(Refund, refundId, { lockMode: rowLock(em), populate: ['order'] });
  }

  private async enter(
    em: EntityManager,
    refund: Refund,
    target: RefundStatus,
    outcome: GatewayOutcome,
    now: Date,
  ): Promise<AnyRefundEvent[]> {
    refund.status = target;
    this.noteGatewayState(refund, outcome);
    switch (outcome.kind) {
      case 'processing':
        refund.failureCode = null;
        refund.failureMessage = null;
        refund.nextSyncAt = this.nextSync(refund, now);
        return [];
      case 'unknown':
        this.noteUnknown(refund, outcome);
        refund.nextSyncAt = this.nextSync(refund, now);
        return [];
      case 'succeeded': {
        const order = await this.lockOrder(em, refund);
        order.refundedAmount += refund.amount;
        order.updatedAt = now;
        refund.failureCode = null;
        refund.failureMessage = null;
        refund.finishedAt = outcome.finishedAt ?? now;
        refund.nextSyncAt = null;
        return [new RefundSucceededEvent(snapshotOf(refund), now, refund.finishedAt)];
      }
      case 'failed': {
        const order = await this.lockOrder(em, refund);
        order.reservedAmount -= refund.amount;
        order.updatedAt = now;
        refund.failureCode = outcome.code.slice(0, 64);
        refund.failureMessage = outcome.message.slice(0, 512);
        refund.finishedAt = now;
        refund.nextSyncAt = null;
        return [new RefundFailedEvent(snapshotOf(refund), now, outcome.code, outcome.message)];
      }
    }
  }

  private lockOrder(em: EntityManager, refund: Refund): Promise<RefundOrder> {
    return em.findOneOrFail(RefundOrder, refund.order.id, { lockMode: rowLock(em), refresh: true });
  }

  private noteGatewayState(refund: Refund, outcome: GatewayOutcome): void {
    if ('gatewayRefundNo' in outcome && outcome.gatewayRefundNo) refund.gatewayRefundNo ??= outcome.gatewayRefundNo;
    if (outcome.rawStatus !== undefined) refund.gatewayStatus = outcome.rawStatus.slice(0, 64);
  }

  private noteUnknown(refund: Refund, outcome: Extract<GatewayOutcome, { kind: 'unknown' }>): void {
    refund.failureCode = (outcome.code ?? 'UNKNOWN').slice(0, 64);
    refund.failureMessage = (outcome.message ? `${outcome.reason}: ${outcome.message}` : outcome.reason).slice(0, 512);
  }

  private nextSync(refund: Refund, now: Date): Date {
    return new Date(now.getTime() + nextSyncDelay(refund.syncCount, this.settings.sync.backoffMs));
  }

  private record(
    em: EntityManager,
    refund: Refund,
    at: Date,
    source: RefundHistorySource,
    from: RefundStatus,
    to: RefundStatus,
    outcome: GatewayOutcome,
    applied: boolean,
  ): RefundHistory {
    const code = outcome.kind === 'failed' || outcome.kind === 'unknown' ? (outcome.code ?? null) : null;
    const message =
      outcome.kind === 'failed' ? outcome.message : outcome.kind === 'unknown' ? outcome.reason : null;
    return em.create(RefundHistory, {
      refund,
      at,
      fromStatus: from,
      toStatus: to,
      source,
      applied,
      gatewayStatus: outcome.rawStatus?.slice(0, 64) ?? null,
      code: code?.slice(0, 64) ?? null,
      message: message?.slice(0, 512) ?? null,
    });
  }
}
