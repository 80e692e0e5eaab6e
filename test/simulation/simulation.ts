import fc from 'fast-check';

import { InvariantViolation, simSteps, type SimModel } from './commands';
import type { TestDialect } from '../support/databases';
import type { MeanwhileWork } from './call-out';
import { drain } from './drain';
import type { SimGatewayId } from './sim-gateway';
import type { ProviderOverride } from './sim-system';
import { SimWorld } from './sim-world';

export interface SimulationOptions {
  /** The gateway simulated, through its real module (default Leshua). */
  gateway?: SimGatewayId;
  /** SQLite (a file, the default) or PostgreSQL (slower, with real row locks between connections). */
  dialect?: TestDialect;
  /** Core providers replaced for this simulation (planted defects); none for the product as it is. */
  overrides?: readonly ProviderOverride[];
  /** Steps before the quiet phase. */
  maxSteps?: number;
  /** fast-check's own record of which steps a shrunk sequence kept; replays it together with the path. */
  replayPath?: string;
}

/** Counts across runs, for the rates a campaign reports. */
export interface SimulationCounters {
  runs: number;
  steps: number;
  crashesDuringCall: number;
  crashesDuringSync: number;
  /** Calls answered after other work ran while they were out, by that work. */
  callsOut: Record<MeanwhileWork, number>;
}

/**
 * One simulation as a fast-check property: a seeded sequence of steps on a fresh world, the step
 * invariants after each, the eventual ones after the quiet phase. fast-check picks the sequence from
 * the seed, replays it from (seed, path), and shrinks a failing one to a shortest trace.
 */
export function simulationProperty(
  options: SimulationOptions,
  counters: SimulationCounters,
): fc.IAsyncPropertyWithHooks<[Iterable<fc.AsyncCommand<SimModel, SimWorld>>]> {
  const gateway = options.gateway ?? 'leshua';
  const steps = fc.commands(simSteps(gateway), {
    maxCommands: options.maxSteps ?? 25,
    size: 'max',
    ...(options.replayPath === undefined ? {} : { replayPath: options.replayPath }),
  });
  return fc.asyncProperty(steps, async (commands) => {
    const world = await SimWorld.create({ overrides: options.overrides, dialect: options.dialect, gateway });
    counters.runs += 1;
    try {
      await fc.asyncModelRun(() => ({ model: {}, real: world }), commands);
      const violations = await drain(world);
      if (violations.length) throw new InvariantViolation(violations, world.trace);
    } finally {
      counters.steps += world.steps;
      counters.crashesDuringCall += world.crashesDuringCall;
      counters.crashesDuringSync += world.crashesDuringSync;
      for (const [work, count] of Object.entries(world.callsOut) as Array<[MeanwhileWork, number]>) {
        counters.callsOut[work] += count;
      }
      await world.dispose();
    }
  });
}
