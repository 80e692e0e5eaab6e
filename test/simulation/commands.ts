import fc from 'fast-check';

import { type Meanwhile, type OutCall, WhileCallOutStep } from './call-out';
import { CrashDuringCallStep } from './crash-during-call';
import { CrashDuringSyncStep } from './crash-during-sync';
import { CALL_FAULTS, type CallFault, type GatewayPlan, planText } from './faults';
import type { GatewayCallKind } from './held-call';
import { SIM_GATEWAY_TRAITS, type SimGatewayId } from './sim-gateway';
import { SimStep, requestSlot } from './sim-step';
import { SIM_ORDERS, SIM_SLOTS, type SimWorld } from './sim-world';

export { InvariantViolation, type SimModel } from './sim-step';

function faultsText(faults: readonly CallFault[]): string {
  return faults.length ? ` faults=[${faults.join(',')}]` : '';
}

/** A caller asks for (or identically retries) the refund of one slot. */
export class RequestStep extends SimStep {
  constructor(
    readonly slot: number,
    readonly plan: GatewayPlan,
    readonly faults: readonly CallFault[],
  ) {
    super();
  }

  protected act(world: SimWorld): Promise<string> {
    world.gateway.queueFaults(this.faults);
    return requestSlot(world, this.slot, this.plan);
  }

  toString(): string {
    return `request ${SIM_SLOTS[this.slot].refundNo} (${planText(this.plan)})${faultsText(this.faults)}`;
  }
}

/** Two callers ask at the same moment, for two refunds (perhaps of one order, perhaps the same one). */
export class RaceStep extends SimStep {
  constructor(
    readonly slots: readonly [number, number],
    readonly plan: GatewayPlan,
    readonly faults: readonly CallFault[],
  ) {
    super();
  }

  protected async act(world: SimWorld): Promise<string> {
    world.gateway.queueFaults(this.faults);
    const outcomes = await Promise.all(this.slots.map((slot) => requestSlot(world, slot, this.plan)));
    return outcomes.join(' | ');
  }

  toString(): string {
    const [a, b] = this.slots.map((slot) => SIM_SLOTS[slot].refundNo);
    return `requests ${a} and ${b} at once (${planText(this.plan)})${faultsText(this.faults)}`;
  }
}

/** Time passes, then one sync round runs. */
export class SyncStep extends SimStep {
  constructor(
    readonly advanceMs: number,
    readonly faults: readonly CallFault[],
  ) {
    super();
  }

  protected async act(world: SimWorld): Promise<string> {
    await world.passTime(this.advanceMs);
    world.gateway.queueFaults(this.faults);
    const round = await world.system.sync.runOnce();
    return `due ${round.due}, finished ${round.finished}, errors ${round.errors}`;
  }

  toString(): string {
    return `+${this.advanceMs / 1000}s sync round${faultsText(this.faults)}`;
  }
}

/** One outbox relay round. */
export class RelayStep extends SimStep {
  protected async act(world: SimWorld): Promise<string> {
    const round = await world.system.relay.runOnce();
    return `taken ${round.taken}, delivered ${round.delivered}`;
  }

  toString(): string {
    return 'outbox relay round';
  }
}

/** The gateway delivers one of its pending notifications: possibly early, late, or again later. */
export class NotifyStep extends SimStep {
  constructor(
    readonly pick: number,
    readonly keepForReplay: boolean,
  ) {
    super();
  }

  protected async act(world: SimWorld): Promise<string> {
    const pending = world.gateway.notifications;
    if (!pending?.length) return 'nothing to deliver';
    const index = this.pick % pending.length;
    const notification = pending[index];
    if (!this.keepForReplay) pending.splice(index, 1);
    const reply = await world.system.refunds.handleNotification(world.gateway.id, {
      rawBody: notification.rawBody,
      contentType: notification.contentType,
      headers: {},
    });
    return `${notification.refundNo} ${notification.outcome}: ${reply.result}`;
  }

  toString(): string {
    return `deliver notification #${this.pick}${this.keepForReplay ? ' (and again later)' : ''}`;
  }
}

/** Someone who is not the gateway posts a notification with a wrong signature. */
export class ForgeStep extends SimStep {
  constructor(
    readonly slot: number,
    readonly outcome: 'success' | 'fail',
  ) {
    super();
  }

  protected async act(world: SimWorld): Promise<string> {
    const slot = SIM_SLOTS[this.slot];
    const forged = world.gateway.forged({
      refundNo: slot.refundNo,
      outcome: this.outcome,
      orderNo: SIM_ORDERS[slot.order].thirdOrderId,
      amount: slot.amount,
    });
    if (!forged) return 'the gateway sends no notifications';
    const reply = await world.system.refunds.handleNotification(world.gateway.id, {
      rawBody: forged.rawBody,
      contentType: forged.contentType,
      headers: {},
    });
    return String(reply.result);
  }

  toString(): string {
    return `forged ${this.outcome} notification for ${SIM_SLOTS[this.slot].refundNo}`;
  }
}

/** The gateway loses its record of a refund: its queries answer "not found" until it is sent again. */
export class ForgetStep extends SimStep {
  constructor(readonly slot: number) {
    super();
  }

  protected act(world: SimWorld): Promise<string> {
    return Promise.resolve(world.gateway.forget(SIM_SLOTS[this.slot].refundNo) ? 'forgotten' : 'not held');
  }

  toString(): string {
    return `the gateway forgets ${SIM_SLOTS[this.slot].refundNo}`;
  }
}

/** The process dies between two steps; a new one starts on the same database. */
export class CrashStep extends SimStep {
  protected async act(world: SimWorld): Promise<string> {
    await world.crash();
    return 'restarted';
  }

  toString(): string {
    return 'crash and restart';
  }
}

const faults = fc.array(fc.constantFrom<CallFault>(...CALL_FAULTS), { maxLength: 2 });
const slot = fc.integer({ min: 0, max: SIM_SLOTS.length - 1 });
/** How far the clock moves before a sync round. */
const syncAdvance = fc.constantFrom(0, 1_000, 5_000, 20_000, 60_000);
/** A request's own submission goes out more often than a sync round finds a call of the kind asked for. */
const outCall: fc.Arbitrary<OutCall> = fc.oneof(
  { arbitrary: slot.map((s): OutCall => ({ by: 'request', slot: s })), weight: 2 },
  {
    arbitrary: fc
      .tuple(syncAdvance, fc.constantFrom<GatewayCallKind>('query', 'query', 'submit'))
      .map(([advanceMs, kind]): OutCall => ({ by: 'sync', advanceMs, kind })),
    weight: 1,
  },
);
/**
 * The work run while a call is out: the gateway's notifications of its refund (when it sends any), a
 * sync round whose clock stays within the call's claim on its refund or passes it (a claim lasts 60 s,
 * and the round may then take the refund over), an identical retry, or a relay round.
 */
function meanwhileWork(notifies: boolean): fc.Arbitrary<Meanwhile> {
  return fc.oneof(
    ...(notifies ? [fc.constant<Meanwhile>({ work: 'notify' })] : []),
    fc.constantFrom(0, 5_000, 60_000).map((advanceMs): Meanwhile => ({ work: 'sync', advanceMs })),
    fc.constant<Meanwhile>({ work: 'retry' }),
    fc.constant<Meanwhile>({ work: 'relay' }),
  );
}

/**
 * Every kind of step that applies to a gateway, weighted towards the ones that move money. The order
 * and the arbitraries are those Leshua's seeds were recorded with; a gateway without notifications
 * has no notify steps.
 */
export function simSteps(gateway: SimGatewayId): Array<fc.Arbitrary<SimStep>> {
  const traits = SIM_GATEWAY_TRAITS[gateway];
  const outcomes = {
    outcome: fc.constantFrom<GatewayPlan['outcome']>(...traits.outcomes),
    afterQueries: fc.integer({ min: 0, max: 2 }),
  };
  // Only a gateway with an interim state draws one: the others' seeds stay as they were recorded.
  const plan: fc.Arbitrary<GatewayPlan> = traits.interimState
    ? fc.record<GatewayPlan>({ ...outcomes, interimQueries: fc.constantFrom(0, 0, 1, 2) })
    : fc.record<GatewayPlan>(outcomes);
  const notify = fc.tuple(fc.nat(7), fc.boolean()).map(([pick, keep]) => new NotifyStep(pick, keep));
  const forge = fc
    .tuple(slot, fc.constantFrom<'success' | 'fail'>('success', 'fail'))
    .map(([s, o]) => new ForgeStep(s, o));
  return [
    fc.tuple(slot, plan, faults).map(([s, p, f]) => new RequestStep(s, p, f)),
    fc.tuple(slot, plan, faults).map(([s, p, f]) => new RequestStep(s, p, f)),
    // Two callers at once: on one order about half the time, sometimes with the same refund number.
    fc.tuple(slot, slot, plan, faults).map(([a, b, p, f]) => new RaceStep([a, b], p, f)),
    fc.tuple(syncAdvance, faults).map(([advanceMs, f]) => new SyncStep(advanceMs, f)),
    fc.constant(new RelayStep()),
    ...(traits.notifies ? [notify, notify, forge] : []),
    slot.map((s) => new ForgetStep(s)),
    // A crash between two steps, or while a request's submission or a sync round's query or resubmission
    // is out at the gateway (which applied it or not). One entry for all keeps the step mix as it was.
    fc.oneof(
      fc.constant(new CrashStep()),
      fc.tuple(slot, plan, fc.boolean()).map(([s, p, applies]) => new CrashDuringCallStep(s, p, applies)),
      fc
        .tuple(syncAdvance, fc.constantFrom<GatewayCallKind>('query', 'submit'), fc.boolean())
        .map(([advanceMs, kind, applies]) => new CrashDuringSyncStep(advanceMs, kind, applies)),
    ),
    // A request's submission or a sync round's call is out at the gateway while other work runs to its
    // end; then the gateway's real answer comes back.
    fc
      .tuple(outCall, plan, fc.boolean(), meanwhileWork(traits.notifies))
      .map(([c, p, applies, m]) => new WhileCallOutStep(c, p, applies, m)),
  ];
}
