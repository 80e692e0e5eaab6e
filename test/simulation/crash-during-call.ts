import { Refund } from '@refundhub/core';

import { type GatewayPlan, planText } from './faults';
import { SimStep, requestSlot } from './sim-step';
import { SIM_SLOTS, type SimWorld } from './sim-world';

/**
 * The process sends a refund to the gateway and dies before the answer comes back: the gateway applied
 * the call or not (per the seed), and nothing of the answer reaches the database. The next incarnation
 * must learn the outcome by querying, never by a blind resubmission.
 */
export class CrashDuringCallStep extends SimStep {
  constructor(
    readonly slot: number,
    readonly plan: GatewayPlan,
    readonly applies: boolean,
  ) {
    super();
  }

  protected async act(world: SimWorld): Promise<string> {
    const refundNo = SIM_SLOTS[this.slot].refundNo;
    // The call held is this request's own: a queued refund's submission another step handed to the
    // background ends first (a shutdown would wait for it, and the held call ends only after one).
    await world.system.refunds.settled();
    const held = world.gateway
      .holdNextCall({ applies: this.applies, refundNos: new Set([refundNo]) })
      .then(() => 'held' as const);
    const request = requestSlot(world, this.slot, this.plan);
    // A request that is refused, finds its refund existing, or queues it behind its order's slot sends nothing.
    const first = await Promise.race([held, request]).catch((error: unknown) => {
      world.gateway.releaseHeldCall();
      throw error;
    });
    if (first !== 'held') {
      world.gateway.releaseHeldCall();
      await world.crash();
      return `no call went out (${first}); crash and restart`;
    }
    let oldIncarnation = 'failed';
    await world.crash(async () => {
      // Closed, the old incarnation's connection pools are destroyed: its call may end now, and what it
      // then tries to record fails. Never resolving the call instead would leave the core's own deadline
      // timer to end it later, at a moment no seed decides.
      world.gateway.releaseHeldCall();
      oldIncarnation = await request.then(
        (outcome) => `recorded ${outcome}`,
        () => 'failed',
      );
    });
    world.crashesDuringCall += 1;
    // Created by this very request, the refund is as the reservation left it: nothing of the answer landed.
    const stored = await world.system.orm.em.fork().findOne(Refund, { refundNo });
    if (oldIncarnation !== 'failed' || stored?.status !== 'REQUESTED') {
      throw new Error(
        `the crashed incarnation wrote after its crash (${oldIncarnation}; ${refundNo} is ${stored?.status ?? 'absent'})`,
      );
    }
    return `crash while submit of ${refundNo} in flight (gateway ${this.applies ? 'applied it' : 'never got it'}); restarted`;
  }

  toString(): string {
    return `request ${SIM_SLOTS[this.slot].refundNo} (${planText(this.plan)}), crash while its call is in flight`;
  }
}
