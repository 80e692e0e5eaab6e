import { dueRefundNos, rowsByRefundNo } from './crash-during-sync';
import { type GatewayPlan, planText } from './faults';
import type { GatewayCall, GatewayCallKind } from './held-call';
import { SimStep, requestSlot } from './sim-step';
import { SIM_SLOTS, type SimWorld } from './sim-world';

/** The call held out at the gateway: a request's submission, or a sync round's query or resubmission. */
export type OutCall = { by: 'request'; slot: number } | { by: 'sync'; advanceMs: number; kind: GatewayCallKind };

/** The other work that runs to its end while the call is out. */
export type Meanwhile =
  { work: 'notify' } | { work: 'sync'; advanceMs: number } | { work: 'retry' } | { work: 'relay' };

export const MEANWHILE_WORK = ['notify', 'sync', 'retry', 'relay'] as const satisfies ReadonlyArray<Meanwhile['work']>;
export type MeanwhileWork = (typeof MEANWHILE_WORK)[number];

/**
 * A call is out at the gateway (which applied it, or gets it only when it answers, per the seed) while
 * other work runs to its end: the gateway's notification of that very refund, a sync round (the clock
 * moved on, perhaps past the call's claim on the refund), an identical retry of the request, or an
 * outbox relay round. Then the call comes back with the gateway's real answer, which must fit with
 * whatever that other work already recorded. No process dies here.
 */
export class WhileCallOutStep extends SimStep {
  constructor(
    readonly call: OutCall,
    readonly plan: GatewayPlan,
    readonly applies: boolean,
    readonly meanwhile: Meanwhile,
  ) {
    super();
  }

  protected async act(world: SimWorld): Promise<string> {
    // The call held is this step's own: a queued refund's submission another step handed to the
    // background ends first.
    await world.system.refunds.settled();
    const { held, original } = await this.sendCall(world);
    const first = await Promise.race([
      held.then((call) => ({ call })),
      original.then((outcome) => ({ outcome })),
    ]).catch((error: unknown) => {
      world.gateway.releaseHeldCall();
      throw error;
    });
    if ('outcome' in first) {
      world.gateway.releaseHeldCall();
      return `no call went out (${first.outcome})`;
    }
    const meanwhile = await this.runMeanwhile(world, first.call).catch(async (error: unknown) => {
      world.gateway.releaseHeldCall('answer');
      await original.catch(() => undefined);
      throw error;
    });
    world.gateway.releaseHeldCall('answer');
    const outcome = await original;
    world.callsOut[this.meanwhile.work] += 1;
    const gateway = this.applies ? 'applied it' : 'got it only as it answered';
    return `${first.call.kind} of ${first.call.refundNo} out (gateway ${gateway}); meanwhile ${meanwhile}; then ${outcome}`;
  }

  /** Arms the hold and starts the work whose call it holds. */
  private async sendCall(world: SimWorld): Promise<{ held: Promise<GatewayCall>; original: Promise<string> }> {
    if (this.call.by === 'request') {
      const refundNo = SIM_SLOTS[this.call.slot].refundNo;
      const held = world.gateway.holdNextCall({ applies: this.applies, refundNos: new Set([refundNo]) });
      return { held, original: requestSlot(world, this.call.slot, this.plan) };
    }
    await world.passTime(this.call.advanceMs);
    // Only a call of the round's own refunds: a queued refund it hands its order's slot to is submitted
    // in the background, which the next passage of time waits for.
    const due = dueRefundNos(await rowsByRefundNo(world.system.orm.em.fork()), world.clock.now());
    const held = world.gateway.holdNextCall({ applies: this.applies, kind: this.call.kind, refundNos: due });
    const original = world.system.sync
      .runOnce()
      .then((round) => `due ${round.due}, finished ${round.finished}, errors ${round.errors}`);
    return { held, original };
  }

  private async runMeanwhile(world: SimWorld, call: GatewayCall): Promise<string> {
    switch (this.meanwhile.work) {
      case 'notify':
        return deliverNotificationsOf(world, call.refundNo);
      case 'sync': {
        // The call's claim on its refund runs out only if the clock passes it: a round may then take the
        // refund over while the call is still out, and the late answer must not undo what it learnt.
        await world.passTime(this.meanwhile.advanceMs);
        const round = await world.system.sync.runOnce();
        return `sync round: due ${round.due}, finished ${round.finished}, errors ${round.errors}`;
      }
      case 'retry': {
        const slot = SIM_SLOTS.findIndex((s) => s.refundNo === call.refundNo);
        return `retry: ${await requestSlot(world, slot, this.plan)}`;
      }
      case 'relay': {
        const round = await world.system.relay.runOnce();
        return `relay round: taken ${round.taken}, delivered ${round.delivered}`;
      }
    }
  }

  toString(): string {
    const applied = this.applies ? '' : ', received only as it answers';
    const call =
      this.call.by === 'request'
        ? `request ${SIM_SLOTS[this.call.slot].refundNo} (${planText(this.plan)})`
        : `+${this.call.advanceMs / 1000}s sync round`;
    const kind = this.call.by === 'request' ? 'submit' : this.call.kind;
    return `${call}, its ${kind} out${applied} while ${meanwhileText(this.meanwhile)}`;
  }
}

function meanwhileText(meanwhile: Meanwhile): string {
  switch (meanwhile.work) {
    case 'notify':
      return 'the gateway notifies that refund';
    case 'sync':
      return `+${meanwhile.advanceMs / 1000}s a sync round runs`;
    case 'retry':
      return 'the request is retried';
    case 'relay':
      return 'an outbox relay round runs';
  }
}

/** The gateway delivers every notification it has pending for the refund, oldest first. */
async function deliverNotificationsOf(world: SimWorld, refundNo: string): Promise<string> {
  const pending = world.gateway.notifications;
  if (pending === null) return 'no notification (the gateway sends none)';
  const mine = pending.filter((notification) => notification.refundNo === refundNo);
  if (!mine.length) return 'no notification pending';
  const replies: string[] = [];
  for (const notification of mine) {
    pending.splice(pending.indexOf(notification), 1);
    const reply = await world.system.refunds.handleNotification(world.gateway.id, {
      rawBody: notification.rawBody,
      contentType: notification.contentType,
      headers: {},
    });
    replies.push(`${notification.outcome}: ${String(reply.result)}`);
  }
  return `notified ${replies.join(', ')}`;
}
