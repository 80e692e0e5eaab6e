import { Controller, Get, Optional, Req, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { GatewayRegistry } from '@refundhub/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

import type { AuthenticatedRequest } from '../caller.decorator';
import { ApiErrors, HealthSchema } from '../openapi';
import { Public } from '../public.decorator';
import { ReadinessIndicators } from './readiness.indicators';

type CheckState = 'up' | 'down';

/**
 * Up or down, for anyone (a load balancer has no key). A caller with a valid API key also sees
 * each check, its details and the configured gateways: a stranger learns nothing about the deployment.
 */
export type HealthBody =
  | { status: 'ok' | 'error' }
  | {
      status: 'ok' | 'error';
      checks: Record<string, CheckState>;
      details: Record<string, Record<string, unknown>>;
      gateways: string[];
    };

const WITH_KEY = 'Send a valid API key (`Authorization: Bearer <key>`) to see each check and the gateways.';
const WITH_KEY_EXAMPLE = {
  status: 'ok',
  checks: { database: 'up', outbox: 'up', scheduler: 'up' },
  details: { database: {}, outbox: { backlog: 0, limit: 1000 }, scheduler: { running: false } },
  gateways: ['leshua'],
};

@ApiTags('health')
@ApiErrors('RATE_LIMITED_KEY', 'RATE_LIMITED_ADDRESS')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly readiness: ReadinessIndicators,
    @Optional() private readonly gateways?: GatewayRegistry,
  ) {}

  /** The process answers: 200 while it runs. Nothing it depends on is asked, so a restart fixes nothing here. */
  @Get(['live', ''])
  @ApiOperation({ summary: 'Liveness: 200 while the process runs', description: WITH_KEY })
  @ApiOkResponse({
    type: HealthSchema,
    examples: {
      anyone: { summary: 'Without a key', value: { status: 'ok' } },
      withKey: { summary: 'With a valid key', value: { status: 'ok', checks: {}, details: {}, gateways: ['leshua'] } },
    },
  })
  live(@Req() request: FastifyRequest): HealthBody {
    return this.answer(request, { status: 'ok', details: {} });
  }

  /**
   * 200 when the instance can take work: the database answers, the outbox backlog is under
   * `outbox.readyBacklog`, the sync loop running here (if any) still finishes rounds, and the process
   * is not shutting down; 503 otherwise, so load balancers send requests elsewhere.
   */
  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: 200 when this instance can take work, 503 otherwise',
    description: `The database answers, the outbox backlog is under \`outbox.readyBacklog\`, and the sync loop running here (if any) still finishes rounds. ${WITH_KEY}`,
  })
  @ApiOkResponse({
    type: HealthSchema,
    examples: {
      anyone: { summary: 'Without a key', value: { status: 'ok' } },
      withKey: { summary: 'With a valid key', value: WITH_KEY_EXAMPLE },
    },
  })
  @ApiServiceUnavailableResponse({
    description: 'Not ready: send requests elsewhere',
    type: HealthSchema,
    examples: {
      anyone: { summary: 'Without a key', value: { status: 'error' } },
      withKey: {
        summary: 'With a valid key',
        value: { ...WITH_KEY_EXAMPLE, status: 'error', checks: { ...WITH_KEY_EXAMPLE.checks, database: 'down' } },
      },
    },
  })
  async ready(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<HealthBody> {
    const result = await this.check();
    void reply.status(result.status === 'ok' ? 200 : 503);
    return this.answer(request, result);
  }

  private async check(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.readiness.database(),
        () => this.readiness.outboxBacklog(),
        () => this.readiness.scheduler(),
        () => this.readiness.shutdown(),
      ]);
    } catch (error) {
      // Terminus answers a failed check with a 503 carrying the same result.
      if (error instanceof ServiceUnavailableException) return error.getResponse() as HealthCheckResult;
      throw error;
    }
  }

  private answer(request: FastifyRequest, result: Pick<HealthCheckResult, 'status' | 'details'>): HealthBody {
    const status = result.status === 'ok' ? 'ok' : 'error';
    if (!(request as Partial<AuthenticatedRequest>).caller) return { status };
    const checks: Record<string, CheckState> = {};
    const details: Record<string, Record<string, unknown>> = {};
    for (const [name, { status: state, ...rest }] of Object.entries(result.details)) {
      checks[name] = state === 'up' ? 'up' : 'down';
      details[name] = rest;
    }
    return { status, checks, details, gateways: this.gateways?.ids() ?? [] };
  }
}
