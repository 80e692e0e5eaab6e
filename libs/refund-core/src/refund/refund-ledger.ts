import { Injectable } from '@nestjs/common';

import { Clock } from '../domain/clock';
import { newId } from '../domain/ids';
import { RefundOrder, orderRefOf } from '../entities/refund-order.entity';
import { Refund } from '../entities/refund.entity';
import { OrderConflictError, RefundConflictError, RefundExceedsBalanceError } from '../errors';
import { RefundEventPublisher, RefundRequestedEvent, snapshotOf } from '../events';
import { insertHistory } from '../persistence/sql/history-table';
import { insertOrder, insertRefund, lockOrder, refundByKey, updateOrder } from '../persistence/sql/refund-tables';
import { type SqlSession, isDeadlock, isUniqueViolation } from '../persistence/sql/sql-session';
import { RefundWrites } from '../persistence/sql/write-transactions';
import { RefundSettings } from '../refund-settings';
import { canonicalJson } from './command-checks';
import { OrderReference, findOwners, linkReferences, referenceConflict, referencesOf } from './order-references';
import { RequestRefundCommand, refundFieldsOf } from './request-refund.command';

/**
 * How often a request is tried again after another one committed first a refund number or an order
 * reference it was about to write. Each try looks everything up afresh, so the second one normally
 * settles it (a replay, the order the other request created, or a conflict).
 */
const RACE_ATTEMPTS = 5;

export interface Reservation {
  refund: Refund;
  created: boolean;
  events: RefundRequestedEvent[];
}

/**
 * Records a new refund and reserves its amount on the order, in one transaction, so that no
 * interleaving of requests can reserve more than the order's total. The order is the one its
 * references name, whichever the request gives; a reference the request gives that was not known
 * is linked to that order in the same transaction.
 */
@Injectable()
export class RefundLedger {
  constructor(
    private readonly writes: RefundWrites,
    private readonly clock: Clock,
    private readonly settings: RefundSettings,
    private readonly publisher: RefundEventPublisher,
  ) {}

  /**
   * A new refund is written holding `lease`: the caller submits it next, and nobody else may
   * until that submission is answered or the lease runs out. Its RefundRequested event is written
   * held by the same lease, so the caller delivers it at once, without taking it first.
   */
  async reserve(cmd: RequestRefundCommand, lease: { owner: string; expiresAt: Date }): Promise<Reservation> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.writes.transaction((session) =>
          this.reserveIn(session, cmd, lease, { lookFirst: attempt > 1 }),
        );
      } catch (error) {
        // The refund number is recorded (a first attempt does not look it up), or another request
        // raced past our lookups and committed first: the same refund number (its insert hit the
        // refund key), or one of our order references linked to an order (the reference key).
        // Nothing of ours was written; looking again finds the replay, the order the other one
        // recorded, or the conflict.
        const raced = isUniqueViolation(error) || isDeadlock(error);
        if (!raced || attempt >= RACE_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * A refund number is looked up before anything is refused, never before it is written: a new refund
   * (nearly every request) costs no lookup, and one whose number exists fails its insert on the refund
   * key, so the next attempt (`lookFirst`) finds it and answers the replay. A request is thus never
   * refused (nor measured against the balance) when it repeats a recorded refund, even one a twin
   * request committed while this one waited for the order's lock.
   */
  private async reserveIn(
    session: SqlSession,
    cmd: RequestRefundCommand,
    lease: { owner: string; expiresAt: Date },
    opts: { lookFirst: boolean },
  ): Promise<Reservation> {
    /** The replay of the recorded refund with this number, or null when there is none. */
    const replayOfRecorded = async (): Promise<Reservation | null> => {
      const existing = await refundByKey(session, cmd);
      return existing ? this.replay(existing, cmd) : null;
    };
    const existingOr = async (refusal: Error): Promise<Reservation> => {
      const replay = await replayOfRecorded();
      if (replay) return replay;
      throw refusal;
    };
    const replay = opts.lookFirst ? await replayOfRecorded() : null;
    if (replay) return replay;

    const now = this.clock.now();
    const refs = referencesOf(cmd.order);
    const owned = await findOwners(session, cmd, refs);
    const ownerIds = new Set(owned.flatMap((ref) => (ref.orderId === null ? [] : [ref.orderId])));
    if (ownerIds.size > 1) return existingOr(await referenceConflict(session, owned));
    const [ownerId] = [...ownerIds];
    const recorded = ownerId === undefined ? null : await this.lockOrder(session, ownerId);
    if (recorded && recorded.totalAmount !== cmd.order.totalAmount) {
      return existingOr(new OrderConflictError(recorded.orderRef, recorded.totalAmount, cmd.order.totalAmount));
    }
    if (recorded && cmd.amount > recorded.refundableAmount) {
      return existingOr(new RefundExceedsBalanceError(cmd.amount, recorded.refundableAmount));
    }

    // Every check passed: from here on the transaction only writes.
    const order = recorded ?? this.newOrder(cmd, now);
    const unlinked: OrderReference[] = owned.filter((ref) => ref.orderId === null);
    order.reservedAmount += cmd.amount;
    order.merchantOrderNo ??= unlinked.find((ref) => ref.kind === 'merchant')?.value ?? null;
    order.gatewayOrderNo ??= unlinked.find((ref) => ref.kind === 'gateway')?.value ?? null;
    order.updatedAt = now;
    if (recorded) updateOrder(session, order);
    else insertOrder(session, order);
    linkReferences(session, order, unlinked, { source: 'request', now });

    const refund = Object.assign(new Refund(), {
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
    } satisfies Partial<Refund>);
    insertRefund(session, refund);
    insertHistory(session, {
      refundId: refund.id,
      at: now,
      fromStatus: null,
      toStatus: 'REQUESTED',
      source: 'request',
      applied: true,
      gatewayStatus: null,
      code: null,
      message: null,
      actor: null,
    });
    const events = [new RefundRequestedEvent(snapshotOf(refund), now)];
    await this.publisher.record(session, events, { firstOfRefund: true });
    return { refund, created: true, events };
  }

  /** The lock every balance change of the order waits on, and the order as it stands under it. */
  protected lockOrder(session: SqlSession, orderId: string): Promise<RefundOrder> {
    return lockOrder(session, orderId);
  }

  /**
   * An order none of the request's references names yet. Its references are inserted with it: a
   * concurrent request that links one of them first makes that insert fail on the reference key, and
   * this request is tried again against the order the other one recorded.
   */
  private newOrder(cmd: RequestRefundCommand, now: Date): RefundOrder {
    return Object.assign(new RefundOrder(), {
      id: newId('ro', now),
      gateway: cmd.gateway,
      merchantId: cmd.merchantId,
      orderRef: orderRefOf(cmd.order),
      totalAmount: cmd.order.totalAmount,
      reservedAmount: 0,
      refundedAmount: 0,
      createdAt: now,
      updatedAt: now,
    } satisfies Partial<RefundOrder>);
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
