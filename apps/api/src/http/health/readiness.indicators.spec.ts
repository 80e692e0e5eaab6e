import type { MikroORM } from '@mikro-orm/core';
import type { ModuleRef } from '@nestjs/core';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { OutboxRelay } from '@refundhub/core';
import type { LoopHeartbeat } from '@refundhub/host';

import { ReadinessIndicators, SCHEDULER_STALE_FLOOR_MS } from './readiness.indicators';

const NOW = new Date('2026-11-30T08:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);

function indicators(opts: { heartbeat?: LoopHeartbeat; backlog?: number; limit?: number }): ReadinessIndicators {
  const orm = { isConnected: async () => true } as unknown as MikroORM;
  const loop = opts.heartbeat ? { heartbeat: () => opts.heartbeat } : undefined;
  const moduleRef = {
    get: () => {
      if (!loop) throw new Error('no sync loop in this app');
      return loop;
    },
  } as unknown as ModuleRef;
  const outbox = { backlog: async () => opts.backlog ?? 0 } as unknown as OutboxRelay;
  const options = { apiKeys: [], health: opts.limit === undefined ? undefined : { outboxReadyBacklog: opts.limit } };
  return new ReadinessIndicators(new HealthIndicatorService(), orm, moduleRef, options, outbox);
}

describe(ReadinessIndicators.name, () => {
  describe('scheduler', () => {
    const beat = (over: Partial<LoopHeartbeat>): LoopHeartbeat => ({
      enabled: true,
      intervalMs: 5_000,
      startedAt: ago(600_000),
      lastRoundAt: null,
      ...over,
    });

    it('is up when no sync loop runs in this process', () => {
      expect(indicators({}).scheduler(NOW).scheduler.status).toBe('up');
      expect(indicators({ heartbeat: beat({ enabled: false }) }).scheduler(NOW).scheduler.status).toBe('up');
    });

    it('is up while rounds end within the stale limit, down once the last is older', () => {
      const fresh = beat({ lastRoundAt: ago(SCHEDULER_STALE_FLOOR_MS) });
      expect(indicators({ heartbeat: fresh }).scheduler(NOW).scheduler.status).toBe('up');
      const stale = beat({ lastRoundAt: ago(SCHEDULER_STALE_FLOOR_MS + 1) });
      expect(indicators({ heartbeat: stale }).scheduler(NOW).scheduler).toMatchObject({
        status: 'down',
        lastRoundAt: ago(SCHEDULER_STALE_FLOOR_MS + 1).toISOString(),
      });
    });

    it('allows three intervals of a slow loop, and judges a loop that never finished a round by its start', () => {
      const slow = beat({ intervalMs: 100_000, lastRoundAt: ago(299_000) });
      expect(indicators({ heartbeat: slow }).scheduler(NOW).scheduler.status).toBe('up');
      const hung = beat({ startedAt: ago(SCHEDULER_STALE_FLOOR_MS + 1) });
      expect(indicators({ heartbeat: hung }).scheduler(NOW).scheduler.status).toBe('down');
    });
  });

  describe('outbox', () => {
    it('is up up to the limit, down past it; 1000 by default', async () => {
      expect((await indicators({ backlog: 1_000 }).outboxBacklog()).outbox).toEqual({
        status: 'up',
        backlog: 1_000,
        limit: 1_000,
      });
      expect((await indicators({ backlog: 6, limit: 5 }).outboxBacklog()).outbox.status).toBe('down');
    });
  });
});
