import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RefundService, WebhookDeliveryView, WebhookService } from '@refundhub/core';

import type { ApiKeyRecord } from './api-keys';
import { visibleRefund } from './visible-refund';
import { Caller } from './caller.decorator';
import {
  API_KEY_SECURITY,
  ApiErrors,
  REFUND_EXAMPLE,
  WEBHOOK_DELIVERY_EXAMPLE,
  WebhookDeliveryPageSchema,
  WebhookDeliverySchema,
} from './openapi';

export interface WebhookDeliveryPage {
  items: WebhookDeliveryView[];
}

/** A refund's webhooks (the POSTs to its `notifyUrl`): the deliveries with their attempts, and a retry. */
@ApiTags('webhooks')
@ApiBearerAuth(API_KEY_SECURITY)
@ApiParam({ name: 'id', description: 'The refund id (`rf_...`).', example: REFUND_EXAMPLE.id })
@ApiErrors('MISSING_API_KEY', 'INVALID_API_KEY', 'RATE_LIMITED_KEY', 'RATE_LIMITED_ADDRESS')
@Controller('refunds/:id/webhooks')
export class RefundWebhooksController {
  constructor(
    private readonly refunds: RefundService,
    private readonly webhooks: WebhookService,
  ) {}

  @Get()
  @ApiOperation({
    summary: "A refund's webhooks, with their attempts",
    description: 'The signed POSTs to its `notifyUrl`.',
  })
  @ApiOkResponse({ type: WebhookDeliveryPageSchema, example: { items: [WEBHOOK_DELIVERY_EXAMPLE] } })
  @ApiErrors('PATH_INVALID', 'REFUND_NOT_FOUND')
  async list(@Param('id') id: string, @Caller() caller: ApiKeyRecord): Promise<WebhookDeliveryPage> {
    await visibleRefund(this.refunds, id, caller);
    return { items: await this.webhooks.deliveriesOf(id) };
  }

  /**
   * Makes a pending or given-up delivery due now; it is attempted at once, in the background. 202
   * with the delivery as it stands; 404 for a delivery the refund does not have; 409 for one already
   * delivered, or being sent at this moment.
   */
  @Post(':deliveryId/retry')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a pending or given-up webhook again now',
    description:
      'It is attempted at once, in the background; the answer is the delivery as it stands before that attempt.',
  })
  @ApiParam({ name: 'deliveryId', example: WEBHOOK_DELIVERY_EXAMPLE.id })
  @ApiAcceptedResponse({
    type: WebhookDeliverySchema,
    example: {
      ...WEBHOOK_DELIVERY_EXAMPLE,
      status: 'failed',
      finishedAt: '2025-01-02T08:00:05.000Z',
      attempts: [
        { at: '2025-01-02T08:00:05.000Z', durationMs: 10000, httpStatus: null, error: 'timeout after 10000 ms' },
      ],
    },
  })
  @ApiErrors(
    'PATH_INVALID',
    'REFUND_NOT_FOUND',
    'WEBHOOK_DELIVERY_NOT_FOUND',
    'WEBHOOK_ALREADY_DELIVERED',
    'WEBHOOK_DELIVERY_IN_FLIGHT',
    'DATABASE_BUSY',
  )
  async retry(
    @Param('id') id: string,
    @Param('deliveryId') deliveryId: string,
    @Caller() caller: ApiKeyRecord,
  ): Promise<WebhookDeliveryView> {
    await visibleRefund(this.refunds, id, caller);
    return this.webhooks.retry({ refundId: id, deliveryId });
  }
}
