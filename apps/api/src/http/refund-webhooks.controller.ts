import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { RefundNotFoundError, RefundService, WebhookDeliveryView, WebhookService, scopeAllows } from '@refundhub/core';

import type { ApiKeyRecord } from './api-keys';
import { Caller } from './caller.decorator';

export interface WebhookDeliveryPage {
  items: WebhookDeliveryView[];
}

/** A refund's webhooks (the POSTs to its `notifyUrl`): the deliveries with their attempts, and a retry. */
@Controller('refunds/:id/webhooks')
export class RefundWebhooksController {
  constructor(
    private readonly refunds: RefundService,
    private readonly webhooks: WebhookService,
  ) {}

  @Get()
  async list(@Param('id') id: string, @Caller() caller: ApiKeyRecord): Promise<WebhookDeliveryPage> {
    await this.assertVisible(id, caller);
    return { items: await this.webhooks.deliveriesOf(id) };
  }

  /**
   * Makes a pending or given-up delivery due now; it is attempted at once, in the background. 202
   * with the delivery as it stands; 404 for a delivery the refund does not have; 409 for one already
   * delivered, or being sent at this moment.
   */
  @Post(':deliveryId/retry')
  @HttpCode(202)
  async retry(
    @Param('id') id: string,
    @Param('deliveryId') deliveryId: string,
    @Caller() caller: ApiKeyRecord,
  ): Promise<WebhookDeliveryView> {
    await this.assertVisible(id, caller);
    return this.webhooks.retry({ refundId: id, deliveryId });
  }

  /** Same scoping as GET /refunds/:id: another merchant's refund reads as missing. */
  private async assertVisible(id: string, caller: ApiKeyRecord): Promise<void> {
    const refund = await this.refunds.get(id);
    if (!scopeAllows(caller.scope, refund.gateway, refund.merchantId)) throw new RefundNotFoundError(id);
  }
}
