import { isFinal, Refund } from '@refundhub/core';

import { checkEventualInvariants } from './invariants';
import { SIM_EXHAUST_AFTER_MS, SIM_SYNC_BACKOFF_MS } from './sim-system';
import type { SimWorld } from './sim-world';

/** The clock step of the quiet phase: short enough to hit every due time of the schedule closely. */
const DRAIN_STEP_MS = 5_000;

/**
 * Faults stop: notifications still pending are lost for good, and the system is left to its sync
 * rounds and relay rounds for the whole backoff schedule (until a refund needs attention at the
 * latest). Then the eventual invariants must hold. Returns their violations.
 */
export async function drain(world: SimWorld): Promise<string[]> {
  world.gateway.clearFaults();
  if (world.gateway.notifications) world.gateway.notifications.length = 0;
  const lastSync = SIM_SYNC_BACKOFF_MS[SIM_SYNC_BACKOFF_MS.length - 1];
  const rounds = Math.ceil((SIM_EXHAUST_AFTER_MS + lastSync) / DRAIN_STEP_MS) + 1;
  for (let round = 0; round < rounds; round += 1) {
    await world.passTime(DRAIN_STEP_MS);
    await world.system.sync.runOnce();
    await world.system.relay.runOnce();
    if (await settled(world)) break;
  }
  // The relay's own retries run on its backoff: a last few rounds deliver what a crash interrupted.
  for (let round = 0; round < 10; round += 1) {
    await world.passTime(60_000);
    if ((await world.system.relay.runOnce()).taken === 0) break;
  }
  world.trace.push('faults stopped; schedule run to its end');
  return checkEventualInvariants(world);
}

async function settled(world: SimWorld): Promise<boolean> {
  const refunds = await world.system.orm.em.fork().find(Refund, {});
  return refunds.every((refund) => isFinal(refund.status) || refund.attentionReason !== null);
}
