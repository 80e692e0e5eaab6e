import { Injectable } from '@nestjs/common';

import { nextSyncDelay } from '../domain/backoff';
import { Clock } from '../domain/clock';
import type { RefundHistorySource } from '../entities/refund-history.entity';
import type { RefundOrder } from '../entities/refund-order.entity';
import type { Refund } from '../entities/refund.entity';
import { RefundNotFoundError } from '../errors';
import type { GatewayOutcome } from '../gateway/refund-gateway.port';
import { insertHistory } from '../persistence/sql/history-table';
import { lockRefund, nextQueuedRefund, updateOrder, updateRefund } from '../persistence/sql/refund-tables';
import type { SqlSession } from '../persistence/sql/sql-session';
import { RefundWrites } from '../persistence/sql/write-transactions';
import { RefundSettings } from '../refund-settings';

/** Why a refund of a serial gateway may not be submitted now. */
export const ORDER_SLOT_BUSY = 'ORDER_SLOT_BUSY';

export type SlotClaim =
  /** This refund holds the order's slot now: submit it. */
  | 'claimed'
  /** Another refund of the order is in flight: this one is queued (REQUESTED, reserved). */
  | 'queued'
  /** Nothing to submit: already accepted or settled. */
  | 'not_needed';

/**
 * The per-order submission slot of gateways that take one refund of an order at a time
 * (`oneRefundInFlightPerOrder`). The slot is a lease on the {@link RefundOrder} row, taken and
 * released under the same row locks as the balance, so it holds across processes on PostgreSQL
 * and SQLite alike. Locks are always taken refund row first, then order row, like every other
 * balance change, so no two transactions wait on each other in opposite order.
 */
@Injectable()
export class OrderSlots {
  constructor(
    private readonly writes: RefundWrites,
    private readonly clock: Clock,
    private readonly settings: RefundSettings,
  ) {}

  /**
   * Takes the order's slot for this refund, or queues the refund. The caller holds the refund's
   * claim (see RefundClaims), so a slot already held for this refund is the caller's to use: a
   * refund whose outcome was unknown keeps the slot and is resubmitted under it, and a refund an
   * earlier answer handed the slot to is submitted under it. Its lease is renewed either way.
   */
  claim(refundId: string, opts: { source: RefundHistorySource }): Promise<{ claim: SlotClaim; refund: Refund }> {
    return this.writes.transaction(async (session) => {
      const refund = await lockRefund(session, refundId);
      if (!refund) throw new RefundNotFoundError(refundId);
      if (refund.status !== 'REQUESTED' && refund.status !== 'UNKNOWN') return { claim: 'not_needed', refund };
      const order = refund.order;
      const now = this.clock.now();
      const held = order.slotRefundId !== null && order.slotExpiresAt !== null && order.slotExpiresAt > now;
      if (!held || order.slotRefundId === refund.id) {
        order.slotRefundId = refund.id;
        order.slotExpiresAt = new Date(now.getTime() + this.settings.orderSlotLeaseMs);
        // Should this submission never be answered, the sync loop takes the refund when the slot's lease ends.
        refund.nextSyncAt = order.slotExpiresAt;
        // No longer waiting: should the process die with the call out, the next sync asks before sending again.
        refund.deferredAt = null;
        updateOrder(session, order);
        updateRefund(session, refund);
        return { claim: 'claimed', refund };
      }
      if (refund.deferredAt === null) {
        refund.deferredAt = now;
        insertHistory(session, {
          refundId: refund.id,
          at: now,
          fromStatus: refund.status,
          toStatus: refund.status,
          source: opts.source,
          applied: true,
          gatewayStatus: null,
          code: ORDER_SLOT_BUSY,
          message: 'queued: another refund of this order is in flight at the gateway',
          actor: null,
        });
      }
      refund.failureCode = ORDER_SLOT_BUSY;
      refund.failureMessage =
        'Another refund of this order is in flight at the gateway; this one is submitted, with the same refund number, once that one is accepted or settled';
      // A safety net only: the refund is handed the slot as soon as the holder's answer is applied.
      refund.nextSyncAt = new Date(now.getTime() + nextSyncDelay(0, this.settings.backoffFor(refund.gateway)));
      refund.updatedAt = now;
      updateRefund(session, refund);
      return { claim: 'queued', refund };
    });
  }

  /**
   * Called inside the transaction that applies an outcome to a refund, with the order row locked
   * when this refund holds its slot. An unknown outcome keeps the slot (the refund may be in flight
   * at the gateway) until the next query; an acceptance or a final answer frees it and hands it to
   * the oldest queued refund of the order, whose id is returned for submission.
   */
  async afterOutcome(
    session: SqlSession,
    refund: Refund,
    order: RefundOrder | undefined,
    outcome: GatewayOutcome,
    now: Date,
  ): Promise<string | null> {
    if (!order || order.slotRefundId !== refund.id) return null;
    if (outcome.kind === 'unknown') {
      const until = (refund.nextSyncAt ?? now).getTime() + this.settings.orderSlotLeaseMs;
      order.slotExpiresAt = new Date(until);
      return null;
    }
    order.slotRefundId = null;
    order.slotExpiresAt = null;
    // The gateway itself said "not now": every refund of the order waits for its own retry.
    if (outcome.kind === 'deferred') return null;
    const next = await nextQueuedRefund(session, order.id, refund.id);
    if (next === null) return null;
    order.slotRefundId = next;
    order.slotExpiresAt = new Date(now.getTime() + this.settings.orderSlotLeaseMs);
    return next;
  }
}
