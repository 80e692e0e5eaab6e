import fc from 'fast-check';

import type { MeanwhileWork } from './call-out';
import { type SimulationCounters, type SimulationOptions, simulationProperty } from './simulation';

export interface CampaignOptions extends SimulationOptions {
  /** The first seed; seeds run in order from it. */
  firstSeed: number;
  seeds: number;
  /** Shrink a failure to its shortest trace (slower: each attempt is a whole simulation). */
  shrink?: boolean;
  /** A fast-check path, to replay one shrunk counterexample of `firstSeed` exactly. */
  path?: string;
}

export interface CampaignFailure {
  seed: number;
  /** Replay the (shrunk) failing sequence together with the seed. */
  path: string;
  replayPath: string | null;
  message: string;
}

export interface CampaignResult {
  seedsRun: number;
  steps: number;
  crashesDuringCall: number;
  crashesDuringSync: number;
  /** Calls answered after other work ran while they were out, by that work. */
  callsOut: Record<MeanwhileWork, number>;
  elapsedMs: number;
  failure: CampaignFailure | null;
}

/** Runs seeds one after the other until one fails; each seed is one simulation. */
export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const counters: SimulationCounters = {
    runs: 0,
    steps: 0,
    crashesDuringCall: 0,
    crashesDuringSync: 0,
    callsOut: { notify: 0, sync: 0, retry: 0, relay: 0 },
  };
  const started = performance.now();
  let seedsRun = 0;
  const result = (failure: CampaignFailure | null): CampaignResult => ({
    seedsRun,
    steps: counters.steps,
    crashesDuringCall: counters.crashesDuringCall,
    crashesDuringSync: counters.crashesDuringSync,
    callsOut: { ...counters.callsOut },
    elapsedMs: performance.now() - started,
    failure,
  });
  for (let seed = options.firstSeed; seed < options.firstSeed + options.seeds; seed += 1) {
    seedsRun += 1;
    const details = await fc.check(simulationProperty(options, counters), {
      seed,
      numRuns: 1,
      endOnFailure: !options.shrink,
      ...(options.path === undefined ? {} : { path: options.path }),
    });
    if (details.failed) {
      const message =
        details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      return result({
        seed,
        path: details.counterexamplePath ?? '0',
        replayPath: replayPathOf(details.counterexample),
        message,
      });
    }
  }
  return result(null);
}

/** fast-check prints a command sequence's replay record inside its text, as a replayPath="..." comment. */
function replayPathOf(counterexample: readonly unknown[] | null): string | null {
  const match = /\/\*replayPath="([^"]*)"\*\//.exec(String(counterexample?.[0] ?? ''));
  return match ? match[1] : null;
}
