import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';

import { RepeatingRound } from './repeating-round';

/** The failed round's error line is expected here, not news. */
const SILENT = { log: () => undefined, error: () => undefined } as unknown as Logger;

class ScriptedRound extends RepeatingRound {
  constructor(
    private readonly work: () => Promise<unknown>,
    enabled = true,
  ) {
    super({ name: 'scripted', what: 'Scripted', enabled, intervalMs: 3_600_000 }, new SchedulerRegistry(), SILENT);
  }

  protected round(): Promise<unknown> {
    return this.work();
  }
}

describe(RepeatingRound.name, () => {
  it('records when its interval started and when its last round ended, a failed round included', async () => {
    const round = new ScriptedRound(() => Promise.reject(new Error('gateway down')));
    expect(round.heartbeat()).toEqual({ enabled: true, intervalMs: 3_600_000, startedAt: null, lastRoundAt: null });
    round.onApplicationBootstrap();
    try {
      expect(round.heartbeat().startedAt).toBeInstanceOf(Date);
      const before = Date.now();
      await round.tick();
      expect(round.heartbeat().lastRoundAt!.getTime()).toBeGreaterThanOrEqual(before);
    } finally {
      await round.onApplicationShutdown();
    }
  });

  it('says so when it does not run in this process', () => {
    const round = new ScriptedRound(async () => undefined, false);
    round.onApplicationBootstrap();
    expect(round.heartbeat()).toMatchObject({ enabled: false, startedAt: null });
  });
});
