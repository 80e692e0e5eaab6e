import { EntityManager, MikroORM, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';

import { Clock } from '../domain/clock';
import { newId } from '../domain/ids';
import { RefundHistory } from '../entities/refund-history.entity';
import { RefundOrder, orderRefOf } from '../entities/refund-order.entity';
import { Refund } from '../entities/refund.entity';
import { OrderConflictError, RefundConflictError, RefundExceedsBalanceError } from '../errors';
import { RefundEventPublisher, RefundRequestedEvent, snapshotOf } from '../events';
import { rowLock } from '../persistence/storage-dialect';
import { RefundSettings } from '../refund-settings';
import { canonicalJson } from './command-checks';
import { RequestRefundCommand, refundFieldsOf } from './request-refund.command';

export interface Reservation {
  refund: Refund;
  created: boolean;
  events: RefundRequestedEvent[];
}

/**
 * Records a new refund and reserves its amount on the order, in one transaction, so that no
 * interleaving of requests can reserve more than the order's total.
 */
@Injectable()
export class RefundLedger {
  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly settings: RefundSettings,
    private readonly publisher: RefundEventPublisher,
  ) {}

  /**
   * A new refund is written holding `lease`: the caller submits it next, and nobody else may
   * until that submission is answered or the lease runs out.
   */
  async reserve(cmd: RequestRefundCommand, lease: { owner: string; expiresAt: Date }): Promise<Reservation> {
    try {
      return await this.orm.em.fork().transactional((em) => this.reserveIn(em, cmd, lease));
    } catch (error) {
      // Two requests with the same refund number raced past the lookup; the loser's insert hit
      // the unique key. The winner is committed now: answer as a replay (or a conflict).
      if (error instanceof UniqueConstraintViolationException) {
        const existing = await this.findByKey(this.orm.em.fork(), cmd);
        if (existing) return this.replay(existing, cmd);
      }
      throw error;
    }
  }

  private async reserveIn(
    em: EntityManager,
    cmd: RequestRefundCommand,
    lease: { owner: string; expiresAt: Date },
  ): Promise<Reservation> {
    const existing = await this.findByKey(em, cmd);
    if (existing) return this.replay(existing, cmd);

    const now = this.clock.now();
    const order = await this.lockOrder(em, cmd, now);
    // Looked up again under the lock: a twin request may have committed while we waited, and
    // it must be answered as a replay, not measured against the balance it already took.
    const committedTwin = await this.findByKey(em, cmd);
    if (committedTwin) return this.replay(committedTwin, cmd);
    if (order.totalAmount !== cmd.order.totalAmount) {
      throw new OrderConflictError(order.orderRef, order.totalAmount, cmd.order.totalAmount);
    }
    if (cmd.amount > order.refundableAmount) {
      throw new RefundExceedsBalanceError(cmd.amount, order.refundableAmount);
    }
    order.reservedAmount += cmd.amount;
    order.gatewayOrderNo ??= cmd.order.gatewayOrderNo ?? null;
    order.updatedAt = now;

    const refund = em.create(Refund, {
      ...refundFieldsOf(cmd),
      id: newId('rf', now),
      gateway: cmd.gateway,
      order,
      status: 'REQUESTED',
      // The request's own submission settles it; the sync loop only steps in if that never ends.
      nextSyncAt: new Date(now.getTime() + this.settings.sync.requestedGraceMs),
      leaseOwner: lease.owner,
      leaseExpiresAt: lease.expiresAt,
      createdAt: now,
      updatedAt: now,
    });
    em.create(RefundHistory, { refund, at: now, fromStatus: null, toStatus: 'REQUESTED', source: 'request' });
    const events = [new RefundRequestedEvent(snapshotOf(refund), now)];
    this.publisher.record(em, events);
    await em.flush();
    return { refund, created: true, events };
  }

  private findByKey(em: EntityManager, cmd: RequestRefundCommand): Promise<Refund | null> {
    return em.findOne(
      Refund,
      { gateway: cmd.gateway, merchantId: cmd.merchantId, refundNo: cmd.refundNo },
      { populate: ['order'] },
    );
  }

  /** Creates the order row if it is new, then takes the lock every balance change waits on. */
  private async lockOrder(em: EntityManager, cmd: RequestRefundCommand, now: Date): Promise<RefundOrder> {
    const key = { gateway: cmd.gateway, merchantId: cmd.merchantId, orderRef: orderRefOf(cmd.order) };
    await (em as SqlEntityManager)
      .createQueryBuilder(RefundOrder)
      .insert({
        id: newId('ro', now),
        ...key,
        merchantOrderNo: cmd.order.merchantOrderNo ?? null,
        gatewayOrderNo: cmd.order.gatewayOrderNo ?? null,
        totalAmount: cmd.order.totalAmount,
        reservedAmount: 0,
        refundedAmount: 0,
        createdAt: now,
        updatedAt: now,
      })
      .onConflict(['gateway', 'merchantId', 'orderRef'])
      .ignore()
      .execute();
    return em.findOneOrFail(RefundOrder, key, { lockMode: rowLock(em), refresh: true });
  }

  private replay(existing: Refund, cmd: RequestRefundCommand): Reservation {
    const differences = differencesOf(existing, cmd);
    if (differences.length) throw new RefundConflictError(existing.id, differences);
    return { refund: existing, created: false, events: [] };
  }
}

function differencesOf(refund: Refund, cmd: RequestRefundCommand): string[] {
  const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);
  const differences: string[] = [];
  if (refund.amount !== cmd.amount) differences.push('amount');
  if (!same(refund.merchantOrderNo, cmd.order.merchantOrderNo)) differences.push('order.merchantOrderNo');
  if (!same(refund.gatewayOrderNo, cmd.order.gatewayOrderNo)) differences.push('order.gatewayOrderNo');
  if (refund.totalAmount !== cmd.order.totalAmount) differences.push('order.totalAmount');
  if (!same(refund.reason, cmd.reason)) differences.push('reason');
  if (!same(refund.notifyUrl, cmd.notifyUrl)) differences.push('notifyUrl');
  if (canonicalJson(refund.gatewayOptions) !== canonicalJson(cmd.gatewayOptions ?? {}))
    differences.push('gatewayOptions');
  return differences;
}
