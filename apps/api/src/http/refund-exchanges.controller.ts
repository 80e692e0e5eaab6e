import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RefundExchangePage, RefundService } from '@refundhub/core';

import type { ApiKeyRecord } from './api-keys';
import { visibleRefund } from './visible-refund';
import { Caller } from './caller.decorator';
import { HistoryPageQuery, toHistoryPageQuery } from './dto/history-page.query';
import {
  API_KEY_SECURITY,
  ApiErrors,
  REFUND_EXAMPLE,
  REFUND_EXCHANGE_PAGE_EXAMPLE,
  RefundExchangePageSchema,
} from './openapi';

/** A refund's gateway exchange log: every submission, query and notification, for support. */
@ApiTags('refunds')
@ApiBearerAuth(API_KEY_SECURITY)
@ApiParam({ name: 'id', description: 'The refund id (`rf_...`).', example: REFUND_EXAMPLE.id })
@ApiErrors('MISSING_API_KEY', 'INVALID_API_KEY', 'RATE_LIMITED_KEY', 'RATE_LIMITED_ADDRESS')
@Controller('refunds/:id/exchanges')
export class RefundExchangesController {
  constructor(private readonly refunds: RefundService) {}

  /** Oldest first, a page at a time (`limit`, `cursor`), exactly as `GET /refunds/:id/history` pages. */
  @Get()
  @ApiOperation({
    summary: "A refund's gateway exchanges, oldest first",
    description:
      'Every submission, query and notification, with what the gateway said (keys, signatures and customer data redacted) and what it did to the refund; the same notification heard again counts on its row (`repeats`). A page at a time, as the history.',
  })
  @ApiOkResponse({ type: RefundExchangePageSchema, example: REFUND_EXCHANGE_PAGE_EXAMPLE })
  @ApiErrors('QUERY_INVALID', 'CURSOR_INVALID', 'PATH_INVALID', 'REFUND_NOT_FOUND')
  async list(
    @Param('id') id: string,
    @Query() query: HistoryPageQuery,
    @Caller() caller: ApiKeyRecord,
  ): Promise<RefundExchangePage> {
    await visibleRefund(this.refunds, id, caller);
    return this.refunds.exchangesPage(id, toHistoryPageQuery(query));
  }
}
