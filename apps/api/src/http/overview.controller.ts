import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RefundOverview, RefundOverviewService } from '@refundhub/core';

import type { ApiKeyRecord } from './api-keys';
import { Caller } from './caller.decorator';
import { API_KEY_SECURITY, ApiErrors, OVERVIEW_EXAMPLE, OverviewSchema } from './openapi';

/**
 * The operations page's first screen: counts by gateway and status, refunds that need a person, the
 * oldest unfinished refund, failing webhooks and the outbox backlog. `/overview` rather than
 * `/refunds/overview`: it covers webhooks and the outbox too, and stays clear of `/refunds/:id`.
 */
@ApiTags('overview')
@ApiBearerAuth(API_KEY_SECURITY)
@Controller('overview')
export class OverviewController {
  constructor(private readonly overviews: RefundOverviewService) {}

  @Get()
  @ApiOperation({
    summary: "Counts for an operations page, over the key's merchants",
    description:
      'Refunds by gateway and status, those that need a person (by reason), the oldest unfinished refund of each gateway, and the webhooks of these refunds that were given up or are failing. The outbox backlog, shared by every merchant, only for a key for every merchant or with the `operator` scope (else null).',
  })
  @ApiOkResponse({ type: OverviewSchema, example: OVERVIEW_EXAMPLE })
  @ApiErrors('MISSING_API_KEY', 'INVALID_API_KEY', 'RATE_LIMITED_KEY', 'RATE_LIMITED_ADDRESS')
  overview(@Caller() caller: ApiKeyRecord): Promise<RefundOverview> {
    const everyMerchant = caller.scope === '*' || caller.scope.includes('*');
    const outbox = everyMerchant || (caller.scopes ?? []).includes('operator');
    return this.overviews.overview(caller.scope, { outbox });
  }
}
