import { runCampaign } from './simulation/campaign';

/** Seeds the CI budget runs: a few seconds on a 2-core machine, the same seeds every time. */
const BUDGET = { firstSeed: 1, seeds: 12 } as const;

describe('simulation (Leshua, SQLite, crashes and faults)', () => {
  it('keeps every invariant over the budget of seeds', async () => {
    const result = await runCampaign(BUDGET);
    if (result.failure) {
      throw new Error(`seed ${result.failure.seed} (path ${result.failure.path}):\n${result.failure.message}`);
    }
    expect(result.seedsRun).toBe(BUDGET.seeds);
    expect(result.steps).toBeGreaterThan(BUDGET.seeds * 5);
  });
});
