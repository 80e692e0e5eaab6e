import { Controller, Get, Logger, Optional, Res } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import { GatewayRegistry } from '@refundhub/core';
import type { FastifyReply } from 'fastify';

import { Public } from './public.decorator';

export interface HealthBody {
  status: 'ok' | 'error';
  checks: { database: 'up' | 'down' };
  gateways: string[];
}

/** A probe must answer even when the database hangs: past this, the database counts as down. */
const DATABASE_CHECK_TIMEOUT_MS = 2_000;

@Public()
@Controller('health')
export class HealthController {
  private readonly logger = new Logger(HealthController.name);

  constructor(
    private readonly orm: MikroORM,
    @Optional() private readonly gateways?: GatewayRegistry,
  ) {}

  /** 200 when the database answers, 503 otherwise, so load balancers take the instance out. */
  @Get()
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthBody> {
    const database = (await this.databaseIsUp()) ? 'up' : 'down';
    const body: HealthBody = {
      status: database === 'up' ? 'ok' : 'error',
      checks: { database },
      gateways: this.gateways?.ids() ?? [],
    };
    void reply.status(database === 'up' ? 200 : 503);
    return body;
  }

  private async databaseIsUp(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), DATABASE_CHECK_TIMEOUT_MS);
    });
    try {
      return await Promise.race([this.orm.isConnected(), timeout]);
    } catch (error) {
      this.logger.warn(`Database check failed: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
