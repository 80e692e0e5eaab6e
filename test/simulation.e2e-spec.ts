import { runCampaign } from './simulation/campaign';
import { PLANTED_BUGS, type PlantedBug } from './simulation/planted-bugs';

/**
 * The CI budget: the same seeds every run, a few seconds each on a 2-core machine. `npm run simulate`
 * runs longer campaigns; a seed it finds failing belongs here once fixed.
 */
const CLEAN_BUDGET = { firstSeed: 1, seeds: 10 } as const;
const PLANTED_BUDGET = { firstSeed: 1, seeds: 10 } as const;

/** What each planted defect must be caught as: the invariant it breaks, as the trace names it. */
const CAUGHT_AS: Record<PlantedBug, RegExp> = {
  'notification-overwrites-final': /final SUCCEEDED became|final FAILED became/,
  'unknown-releases-reservation': /reserved \d+, refunds not FAILED sum to/,
  'events-outside-transaction': /with 0 refund\.(succeeded|failed) outbox rows/,
  'unknown-resubmitted-blind': /submitted again while the gateway held it, without a query first/,
};

describe('simulation (Leshua, SQLite, faults, notifications, crashes)', () => {
  it('keeps every invariant over the budget of seeds', async () => {
    const result = await runCampaign(CLEAN_BUDGET);
    if (result.failure) {
      throw new Error(`seed ${result.failure.seed} (path ${result.failure.path}):\n${result.failure.message}`);
    }
    expect(result.seedsRun).toBe(CLEAN_BUDGET.seeds);
    expect(result.steps).toBeGreaterThan(CLEAN_BUDGET.seeds * 5);
  });

  it.each(Object.keys(CAUGHT_AS) as PlantedBug[])('finds the planted defect %s within the budget', async (bug) => {
    const result = await runCampaign({ ...PLANTED_BUDGET, overrides: PLANTED_BUGS[bug] });
    expect(result.failure?.message).toMatch(CAUGHT_AS[bug]);
    // The report is a trace a person can follow: numbered steps, each with what it led to.
    expect(result.failure?.message).toMatch(/trace:\n +1\. .+ -> /);
  });
});
