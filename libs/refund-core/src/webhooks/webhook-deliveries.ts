import { LockMode, MikroORM, UniqueConstraintViolationException } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';

import { Clock } from '../domain/clock';
import { newId } from '../domain/ids';
import { truncateText } from '../domain/text';
import { MESSAGE_COLUMN_LENGTH } from '../entities/column-types';
import { WebhookAttempt } from '../entities/webhook-attempt.entity';
import { WebhookDelivery, WebhookDeliveryStatus } from '../entities/webhook-delivery.entity';
import { InjectRefundOrm } from '../persistence/refund-orm.token';
import { supportsRowLocks } from '../persistence/storage-dialect';
import {
  WebhookAlreadyDeliveredError,
  WebhookDeliveryInFlightError,
  WebhookDeliveryNotFoundError,
} from './webhook-errors';
import { WebhookSettings } from './webhook-settings';

/** A delivery a round holds, and the lease that proves it. */
export interface ClaimedDelivery {
  delivery: WebhookDelivery;
  lease: string;
}

/** What one attempt came to. */
export interface AttemptRecord {
  attemptedAt: Date;
  durationMs: number;
  httpStatus: number | null;
  error: string | null;
  /** Answered 2xx. */
  delivered: boolean;
  /** Not worth trying again on the schedule (a refused target, nothing to sign with). */
  final: boolean;
}

/**
 * The webhook deliveries and their attempts in the database: recorded once per (event, URL),
 * claimed with a lease by one round at a time across processes (`FOR UPDATE SKIP LOCKED` on
 * PostgreSQL, the single writer on SQLite, a conditional update for one delivery), finished with
 * each attempt's record.
 */
@Injectable()
export class WebhookDeliveries {
  constructor(
    @InjectRefundOrm() private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly settings: WebhookSettings,
  ) {}

  /** Records a delivery due now; null when the event already has one for that URL (the outbox relayed it again). */
  async record(input: {
    refundId: string;
    eventId: string;
    eventType: string;
    url: string;
    requestedBy: string | null;
    body: string;
  }): Promise<string | null> {
    const now = this.clock.now();
    const id = newId('wd', now);
    try {
      await this.orm.em
        .fork()
        .insert(WebhookDelivery, { ...input, id, nextAttemptAt: now, createdAt: now, updatedAt: now });
      return id;
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) return null;
      throw error;
    }
  }

  /** Leases up to `limit` due deliveries, the longest due first. */
  claimDue(limit: number): Promise<ClaimedDelivery[]> {
    return this.orm.em.fork().transactional(async (em) => {
      const now = this.clock.now();
      const due = await em.find(
        WebhookDelivery,
        { status: 'pending', nextAttemptAt: { $lte: now }, ...free(now) },
        {
          orderBy: { nextAttemptAt: 'asc', id: 'asc' },
          limit,
          lockMode: supportsRowLocks(em) ? LockMode.PESSIMISTIC_PARTIAL_WRITE : undefined,
        },
      );
      if (!due.length) return [];
      const lease = newId('ls', now);
      const leaseExpiresAt = new Date(now.getTime() + this.settings.leaseMs);
      await em.nativeUpdate(
        WebhookDelivery,
        { id: { $in: due.map((row) => row.id) } },
        { leaseOwner: lease, leaseExpiresAt },
      );
      return due.map((delivery) => ({
        delivery: Object.assign(delivery, { leaseOwner: lease, leaseExpiresAt }),
        lease,
      }));
    });
  }

  /** Leases one delivery if it is due and free (a conditional update: of concurrent claims, one wins). */
  async claim(id: string): Promise<ClaimedDelivery | null> {
    const now = this.clock.now();
    const lease = newId('ls', now);
    const em = this.orm.em.fork();
    const taken = await em.nativeUpdate(
      WebhookDelivery,
      { id, status: 'pending', nextAttemptAt: { $lte: now }, ...free(now) },
      { leaseOwner: lease, leaseExpiresAt: new Date(now.getTime() + this.settings.leaseMs) },
    );
    if (taken !== 1) return null;
    return { delivery: await em.findOneOrFail(WebhookDelivery, { id }), lease };
  }

  /**
   * Records an attempt and what follows from it: delivered, the next attempt on the schedule, or
   * given up. The attempt is kept even if the lease was lost meanwhile; the delivery then stays
   * with its new holder. Returns the delivery's status after it.
   */
  async finish(claimed: ClaimedDelivery, attempt: AttemptRecord): Promise<WebhookDeliveryStatus> {
    const { delivery, lease } = claimed;
    const attempts = delivery.attempts + 1;
    const next = attempt.delivered || attempt.final ? null : this.settings.nextAttemptAt(attempts, attempt.attemptedAt);
    const status: WebhookDeliveryStatus = attempt.delivered ? 'delivered' : next === null ? 'failed' : 'pending';
    const now = this.clock.now();
    await this.orm.em.fork().transactional(async (em) => {
      em.create(WebhookAttempt, {
        deliveryId: delivery.id,
        attemptedAt: attempt.attemptedAt,
        durationMs: attempt.durationMs,
        httpStatus: attempt.httpStatus,
        error: attempt.error === null ? null : truncateText(attempt.error, MESSAGE_COLUMN_LENGTH),
      });
      await em.flush();
      await em.nativeUpdate(
        WebhookDelivery,
        { id: delivery.id, leaseOwner: lease },
        {
          status,
          attempts,
          nextAttemptAt: next,
          leaseOwner: null,
          leaseExpiresAt: null,
          updatedAt: now,
          finishedAt: status === 'pending' ? null : now,
        },
      );
    });
    return status;
  }

  /** A refund's deliveries, oldest first, each with its attempts in order. */
  async ofRefund(refundId: string): Promise<Array<{ delivery: WebhookDelivery; attempts: WebhookAttempt[] }>> {
    const em = this.orm.em.fork();
    const deliveries = await em.find(WebhookDelivery, { refundId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    const attempts = deliveries.length
      ? await em.find(WebhookAttempt, { deliveryId: { $in: deliveries.map((d) => d.id) } }, { orderBy: { id: 'asc' } })
      : [];
    return deliveries.map((delivery) => ({
      delivery,
      attempts: attempts.filter((attempt) => attempt.deliveryId === delivery.id),
    }));
  }

  /**
   * Makes a pending or given-up delivery of the refund due now. It keeps its attempts: one given up
   * gets this one attempt more (and is given up again if it fails), one on its schedule goes on from
   * where it was.
   *
   * @throws WebhookDeliveryNotFoundError, WebhookAlreadyDeliveredError, WebhookDeliveryInFlightError
   */
  async retry(refundId: string, deliveryId: string): Promise<void> {
    const em = this.orm.em.fork();
    const now = this.clock.now();
    const moved = await em.nativeUpdate(
      WebhookDelivery,
      { id: deliveryId, refundId, status: { $in: ['pending', 'failed'] }, ...free(now) },
      { status: 'pending', nextAttemptAt: now, finishedAt: null, updatedAt: now },
    );
    if (moved === 1) return;
    const delivery = await em.findOne(WebhookDelivery, { id: deliveryId, refundId });
    if (!delivery) throw new WebhookDeliveryNotFoundError(refundId, deliveryId);
    if (delivery.status === 'delivered') throw new WebhookAlreadyDeliveredError(deliveryId);
    throw new WebhookDeliveryInFlightError(deliveryId);
  }
}

function free(now: Date) {
  return { $or: [{ leaseExpiresAt: null }, { leaseExpiresAt: { $lte: now } }] };
}
