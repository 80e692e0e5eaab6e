import { Controller, Get, NotFoundException, Res, UseGuards } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { RefundMetrics } from '@refundhub/host';
import type { FastifyReply } from 'fastify';

import { API_KEY_SECURITY, ApiErrors } from '../openapi';
import { Public } from '../public.decorator';
import { MetricsAccessGuard } from './metrics-access.guard';

/** Prometheus scrapes: any valid API key, or anyone when `api.metrics.public` is set. */
@ApiTags('operations')
@ApiBearerAuth(API_KEY_SECURITY)
@ApiErrors('MISSING_API_KEY', 'INVALID_API_KEY', 'RATE_LIMITED_KEY', 'RATE_LIMITED_ADDRESS')
@Public()
@UseGuards(MetricsAccessGuard)
@Controller('metrics')
export class MetricsController {
  constructor(private readonly moduleRef: ModuleRef) {}

  @Get()
  @ApiOperation({
    summary: 'Prometheus metrics',
    description:
      'Counters, histograms and gauges in the Prometheus text format (see the README, "Metrics"). Any valid API key, ' +
      'or no key when `api.metrics.public: true`. Labels carry the gateway, never a merchant or a refund.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'The Prometheus text format, version 0.0.4', schema: { type: 'string' } })
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const scrape = await this.metrics().scrape();
    void reply.header('content-type', scrape.contentType);
    return scrape.body;
  }

  /** Provided by the refund host; an app that embeds the REST surface without it has no metrics. */
  private metrics(): RefundMetrics {
    try {
      return this.moduleRef.get(RefundMetrics, { strict: false });
    } catch {
      throw new NotFoundException({
        statusCode: 404,
        error: 'Not Found',
        code: 'NOT_FOUND',
        message: 'No metrics here',
      });
    }
  }
}
