import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { MikroORM } from '@mikro-orm/core';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { InjectRefundOrm, OutboxRelay, describeError } from '@refundhub/core';
import { GracefulShutdown, RefundSyncLoop } from '@refundhub/host';

import { HTTP_API_OPTIONS, HttpApiModuleOptions } from '../http-api.module-definition';

/** A probe must answer even when the database hangs: past this, the database counts as down. */
const DATABASE_CHECK_TIMEOUT_MS = 2_000;
/** The outbox backlog past which the instance is not ready, unless the options say otherwise. */
export const DEFAULT_OUTBOX_READY_BACKLOG = 1_000;
/**
 * A sync loop whose last round ended longer ago than this is stuck. A round may legitimately take
 * many gateway timeouts (a batch of slow gateways), hence the floor.
 */
export const SCHEDULER_STALE_FLOOR_MS = 120_000;
const SCHEDULER_STALE_INTERVALS = 3;

/**
 * What `/health/ready` checks: the database answers, the outbox is not backed up, and the sync
 * loop, when it runs in this process, still finishes rounds. Details are for callers with a key.
 */
@Injectable()
export class ReadinessIndicators {
  private readonly logger = new Logger(ReadinessIndicators.name);

  constructor(
    private readonly indicators: HealthIndicatorService,
    @InjectRefundOrm() private readonly orm: MikroORM,
    private readonly moduleRef: ModuleRef,
    @Inject(HTTP_API_OPTIONS) private readonly options: HttpApiModuleOptions,
    @Optional() private readonly outbox?: OutboxRelay,
  ) {}

  async database(): Promise<HealthIndicatorResult<'database'>> {
    const check = this.indicators.check('database');
    return (await this.databaseIsUp()) ? check.up() : check.down();
  }

  async outboxBacklog(): Promise<HealthIndicatorResult<'outbox'>> {
    const check = this.indicators.check('outbox');
    if (!this.outbox) return check.up();
    const limit = this.options.health?.outboxReadyBacklog ?? DEFAULT_OUTBOX_READY_BACKLOG;
    try {
      const backlog = await this.outbox.backlog();
      return backlog <= limit ? check.up({ backlog, limit }) : check.down({ backlog, limit });
    } catch (error) {
      // The database check says why; this one only must not pass.
      this.logger.warn(`Outbox backlog check failed: ${describeError(error)}`);
      return check.down();
    }
  }

  scheduler(now: Date = new Date()): HealthIndicatorResult<'scheduler'> {
    const check = this.indicators.check('scheduler');
    const loop = this.syncLoop();
    const beat = loop?.heartbeat();
    if (!beat?.enabled) return check.up({ running: false });
    const last = beat.lastRoundAt ?? beat.startedAt;
    const staleAfterMs = Math.max(SCHEDULER_STALE_INTERVALS * beat.intervalMs, SCHEDULER_STALE_FLOOR_MS);
    const details = { running: true, lastRoundAt: beat.lastRoundAt?.toISOString() ?? null, staleAfterMs };
    // Before the interval is installed (start-up) there is nothing to judge yet.
    if (last === null || now.getTime() - last.getTime() <= staleAfterMs) return check.up(details);
    return check.down(details);
  }

  /** Down once the process has begun to shut down: it finishes its work, and takes no more. */
  shutdown(): HealthIndicatorResult<'shutdown'> {
    const check = this.indicators.check('shutdown');
    return this.hostPart(GracefulShutdown)?.stopping ? check.down({ stopping: true }) : check.up({ stopping: false });
  }

  /** The sync loop of this process's host, when there is one (an embedding app may have none). */
  private syncLoop(): RefundSyncLoop | null {
    return this.hostPart(RefundSyncLoop);
  }

  private hostPart<T>(type: abstract new (...args: never[]) => T): T | null {
    try {
      return this.moduleRef.get(type, { strict: false });
    } catch {
      return null;
    }
  }

  private async databaseIsUp(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), DATABASE_CHECK_TIMEOUT_MS);
    });
    try {
      return await Promise.race([this.orm.isConnected(), timeout]);
    } catch (error) {
      this.logger.warn(`Database check failed: ${describeError(error)}`);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
