import type fc from 'fast-check';
import { RefundConflictError, RefundExceedsBalanceError } from '@refundhub/core';

import type { GatewayPlan } from './faults';
import { checkStepInvariants } from './invariants';
import { SIM_ORDERS, SIM_SLOTS, type SimWorld } from './sim-world';

/** The model fast-check threads through the steps; every expectation lives in the invariants instead. */
export type SimModel = Record<string, never>;

/** A step failed an invariant: the message carries the violations and the trace up to here. */
export class InvariantViolation extends Error {
  constructor(violations: readonly string[], trace: readonly string[]) {
    super(
      `${violations.join('\n')}\ntrace:\n${trace.map((line, i) => `  ${String(i + 1).padStart(3)}. ${line}`).join('\n')}`,
    );
  }
}

/** One step of a simulation: it acts on the world, then every invariant is checked. */
export abstract class SimStep implements fc.AsyncCommand<SimModel, SimWorld> {
  check(): boolean {
    return true;
  }

  async run(_model: SimModel, world: SimWorld): Promise<void> {
    world.steps += 1;
    const outcome = await this.act(world);
    world.trace.push(`${this.toString()} -> ${outcome}`);
    world.gateway.clearFaults();
    const violations = await checkStepInvariants(world);
    if (violations.length) throw new InvariantViolation(violations, world.trace);
  }

  protected abstract act(world: SimWorld): Promise<string>;
  abstract toString(): string;
}

/** One request of a slot's refund; the refusals a caller may meet are outcomes, anything else fails the run. */
export async function requestSlot(world: SimWorld, slotIndex: number, plan: GatewayPlan): Promise<string> {
  const slot = SIM_SLOTS[slotIndex];
  const order = SIM_ORDERS[slot.order];
  const gateway = world.gateway;
  if (!gateway.refund(slot.refundNo)) gateway.plan(slot.refundNo, plan);
  const extras = gateway.requestExtras();
  try {
    const { refund, created } = await world.system.refunds.request({
      ...extras,
      gateway: gateway.id,
      merchantId: gateway.merchantId,
      refundNo: slot.refundNo,
      amount: slot.amount,
      order: { ...extras.order, merchantOrderNo: order.thirdOrderId, totalAmount: order.totalAmount },
    });
    return `${refund.status}${created ? '' : ' (existing)'}`;
  } catch (error) {
    if (error instanceof RefundExceedsBalanceError || error instanceof RefundConflictError) return error.name;
    throw error;
  }
}
