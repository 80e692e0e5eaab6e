import { Controller, Get, Logger, Optional, Req, Res } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import { GatewayRegistry, describeError } from '@refundhub/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

import type { AuthenticatedRequest } from './caller.decorator';
import { Public } from './public.decorator';

/**
 * Up or down, for anyone (a load balancer has no key). A caller with a valid API key also sees
 * which check failed and the configured gateways: a stranger learns nothing about the deployment.
 */
export type HealthBody =
  { status: 'ok' | 'error' } | { status: 'ok' | 'error'; checks: { database: 'up' | 'down' }; gateways: string[] };

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
  async check(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<HealthBody> {
    const database = (await this.databaseIsUp()) ? 'up' : 'down';
    const status = database === 'up' ? 'ok' : 'error';
    void reply.status(database === 'up' ? 200 : 503);
    if (!(request as Partial<AuthenticatedRequest>).caller) return { status };
    return { status, checks: { database }, gateways: this.gateways?.ids() ?? [] };
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
