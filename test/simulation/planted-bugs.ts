import { EntityManager, MikroORM } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import {
  type AnyRefundEvent,
  eventNameOf,
  type GatewayOutcome,
  GatewayRegistry,
  isFinal,
  Refund,
  RefundEventPublisher,
  RefundOrder,
  RefundService,
  type RefundGateway,
  type RefundView,
} from '@refundhub/core';

// Not exported by the package: a planted defect replaces it from the inside, as a regression would.
import { OrderSlots, type SlotClaim } from '../../libs/refund-core/src/refund/order-slots';
import { RefundLedger } from '../../libs/refund-core/src/refund/refund-ledger';
import { orderById } from '../../libs/refund-core/src/persistence/sql/refund-tables';
import type { SqlSession } from '../../libs/refund-core/src/persistence/sql/sql-session';
import type { RefundHistorySource } from '../../libs/refund-core/src/entities/refund-history.entity';
import {
  type ApplyContext,
  type ApplyResult,
  RefundTransitions,
} from '../../libs/refund-core/src/refund/refund-transitions';
import type { ProviderOverride } from './sim-system';

/*
 * Known kinds of defect, each planted by replacing one core provider with a subclass that has it.
 * Production code is untouched; the simulation must find every one of them within its CI budget.
 */

/** A late notification is applied to a refund that is already final. */
@Injectable()
class NotificationOverwritesFinal extends RefundTransitions {
  @Inject(MikroORM) private readonly db!: MikroORM;

  override async apply(refundId: string, answer: GatewayOutcome, ctx: ApplyContext): Promise<ApplyResult> {
    const target = { processing: 'PROCESSING', succeeded: 'SUCCEEDED', failed: 'FAILED' } as const;
    if (ctx.source === 'notify' && answer.kind in target) {
      const em = this.db.em.fork();
      const refund = await em.findOneOrFail(Refund, refundId);
      const to = target[answer.kind as keyof typeof target];
      if (isFinal(refund.status) && to !== refund.status) {
        refund.status = to;
        await em.flush();
        return { refund, changed: true, events: [], handoff: null };
      }
    }
    return super.apply(refundId, answer, ctx);
  }
}

/** An answer that teaches nothing (UNKNOWN) gives the refund's reservation back. */
@Injectable()
class UnknownReleasesReservation extends RefundTransitions {
  @Inject(MikroORM) private readonly db!: MikroORM;

  override async apply(refundId: string, answer: GatewayOutcome, ctx: ApplyContext): Promise<ApplyResult> {
    const result = await super.apply(refundId, answer, ctx);
    if (answer.kind === 'unknown' && result.changed && result.refund.status === 'UNKNOWN') {
      await this.db.em.fork().transactional(async (em: EntityManager) => {
        const order = await em.findOneOrFail(RefundOrder, result.refund.order.id);
        order.reservedAmount -= result.refund.amount;
      });
    }
    return result;
  }
}

/** Events go straight to the listeners, outside the transaction, instead of into the outbox. */
@Injectable()
class EventsOutsideTransaction extends RefundEventPublisher {
  @Inject(EventEmitter2) private readonly emitter!: EventEmitter2;

  override async record(_session: SqlSession, events: readonly AnyRefundEvent[]): Promise<void> {
    queueMicrotask(() => {
      for (const event of events) void this.emitter.emitAsync(eventNameOf(event), event);
    });
  }
}

/** The private step RefundService submits through, reached the way a careless subclass would. */
type SubmitStep = (
  gateway: RefundGateway,
  refund: Refund,
  opts: { source: 'submit' | 'resubmit'; sync: boolean; lease: string },
) => Promise<RefundView>;

/** An UNKNOWN refund is submitted again at its next sync, without asking the gateway first. */
@Injectable()
class UnknownResubmittedBlind extends RefundService {
  @Inject(MikroORM) private readonly db!: MikroORM;
  @Inject(GatewayRegistry) private readonly gateways!: GatewayRegistry;

  override async syncClaimed(id: string, lease: string): Promise<RefundView> {
    const refund = await this.db.em.fork().findOneOrFail(Refund, id, { populate: ['order'] });
    if (refund.status !== 'UNKNOWN') return super.syncClaimed(id, lease);
    const submit = (this as unknown as { submit: SubmitStep }).submit.bind(this);
    return submit(this.gateways.get(refund.gateway), refund, { source: 'resubmit', sync: true, lease });
  }
}

/**
 * The order is read without its row lock: two requests on one order both measure the balance as it
 * was before either reserved, and the second write overwrites the first. Only PostgreSQL can show it:
 * SQLite's transactions take the one write lock at `BEGIN`, so they never interleave.
 */
@Injectable()
class ReservationWithoutRowLock extends RefundLedger {
  // A regression that reads the order the way every other read does, without `for update`.
  protected override async lockOrder(session: SqlSession, orderId: string): Promise<RefundOrder> {
    const order = await orderById(session, orderId);
    if (!order) throw new Error(`Order ${orderId} is gone`);
    return order;
  }
}

/** ChaoYing's CHANGE (转入代发, a payout a person must make) is taken as the refund having succeeded. */
@Injectable()
class ChangeTakenAsSucceeded extends RefundTransitions {
  override apply(refundId: string, answer: GatewayOutcome, ctx: ApplyContext): Promise<ApplyResult> {
    if (answer.kind === 'needs_attention' && answer.reason === 'gateway_change') {
      const { rawStatus = 'CHANGE', gatewayRefundNo } = answer;
      return super.apply(refundId, { kind: 'succeeded', rawStatus, gatewayRefundNo }, ctx);
    }
    return super.apply(refundId, answer, ctx);
  }
}

/**
 * UMF's `retCode` 0000 on `/online/refund` (受理成功: accepted, the money not yet moved) is taken as the
 * refund having succeeded, as UMF's own code table (0000 成功) invites.
 */
@Injectable()
class AcceptedTakenAsSucceeded extends RefundTransitions {
  override apply(refundId: string, answer: GatewayOutcome, ctx: ApplyContext): Promise<ApplyResult> {
    if (ctx.submission && answer.kind === 'processing' && answer.rawStatus === '0000') {
      const { rawStatus, gatewayRefundNo } = answer;
      return super.apply(refundId, { kind: 'succeeded', rawStatus, gatewayRefundNo }, ctx);
    }
    return super.apply(refundId, answer, ctx);
  }
}

/**
 * A serial gateway's refund is submitted without its order's slot: a second refund of the order reaches
 * Baofoo while the first is still in flight there.
 */
@Injectable()
class SubmissionWithoutOrderSlot extends OrderSlots {
  @Inject(MikroORM) private readonly db!: MikroORM;

  override async claim(
    refundId: string,
    _opts: { source: RefundHistorySource },
  ): Promise<{ claim: SlotClaim; refund: Refund }> {
    const refund = await this.db.em.fork().findOneOrFail(Refund, refundId, { populate: ['order'] });
    const open = refund.status === 'REQUESTED' || refund.status === 'UNKNOWN';
    return { claim: open ? 'claimed' : 'not_needed', refund };
  }
}

export const PLANTED_BUGS = {
  'notification-overwrites-final': [{ provide: RefundTransitions, useClass: NotificationOverwritesFinal }],
  'unknown-releases-reservation': [{ provide: RefundTransitions, useClass: UnknownReleasesReservation }],
  'events-outside-transaction': [{ provide: RefundEventPublisher, useClass: EventsOutsideTransaction }],
  'unknown-resubmitted-blind': [{ provide: RefundService, useClass: UnknownResubmittedBlind }],
  'reservation-without-row-lock': [{ provide: RefundLedger, useClass: ReservationWithoutRowLock }],
  'change-taken-as-succeeded': [{ provide: RefundTransitions, useClass: ChangeTakenAsSucceeded }],
  'submission-without-order-slot': [{ provide: OrderSlots, useClass: SubmissionWithoutOrderSlot }],
  'accepted-taken-as-succeeded': [{ provide: RefundTransitions, useClass: AcceptedTakenAsSucceeded }],
} as const satisfies Record<string, readonly ProviderOverride[]>;

export type PlantedBug = keyof typeof PLANTED_BUGS;
