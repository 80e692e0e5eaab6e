import { Injectable } from '@nestjs/common';

import { unstorableTextReason } from '../domain/text';
import type { FieldProblem } from '../errors';
import { WebhookDeliveries } from './webhook-deliveries';
import { WebhookDeliveryNotFoundError } from './webhook-errors';
import { WebhookDeliveryView, toWebhookDeliveryView } from './webhook-delivery.view';
import { WebhookSecrets } from './webhook-secrets';
import { WebhookSender } from './webhook-sender';
import { WebhookTargetPolicy } from './webhook-target-policy';

/**
 * What hosts ask about a refund's webhooks: whether a notify URL can be accepted, the deliveries
 * with their attempts, and a retry. The host checks first that the caller may see the refund.
 */
@Injectable()
export class WebhookService {
  constructor(
    private readonly deliveries: WebhookDeliveries,
    private readonly sender: WebhookSender,
    private readonly policy: WebhookTargetPolicy,
    private readonly secrets: WebhookSecrets,
  ) {}

  /**
   * Why a refund requested with this notify URL by `requestedBy` could not get its webhooks, as
   * field problems on `notifyUrl`: not http(s), a literal address that is not public (unless private
   * targets are allowed), or no secret to sign them with. A name is resolved only at delivery time.
   */
  notifyUrlProblems(input: { notifyUrl: string | null | undefined; requestedBy: string | null }): FieldProblem[] {
    if (input.notifyUrl === null || input.notifyUrl === undefined) return [];
    const problem = this.policy.problemOf(input.notifyUrl);
    if (problem) return [{ field: 'notifyUrl', message: problem }];
    if (!this.secrets.canSign(input.requestedBy)) {
      return [
        {
          field: 'notifyUrl',
          message:
            'cannot be used: no webhook secret is configured to sign webhooks for this caller, and they are never sent unsigned',
        },
      ];
    }
    return [];
  }

  /** The refund's webhooks, oldest first, each with its attempts. */
  async deliveriesOf(refundId: string): Promise<WebhookDeliveryView[]> {
    // No refund has such an id, and the database would refuse a NUL in the query.
    if (unstorableTextReason(refundId) !== null) return [];
    const found = await this.deliveries.ofRefund(refundId);
    return found.map(({ delivery, attempts }) => toWebhookDeliveryView(delivery, attempts));
  }

  /**
   * Makes a pending or given-up delivery due now and attempts it at once, in the background;
   * returns the delivery as it stands before that attempt.
   *
   * @throws WebhookDeliveryNotFoundError, WebhookAlreadyDeliveredError, WebhookDeliveryInFlightError
   */
  async retry(input: { refundId: string; deliveryId: string }): Promise<WebhookDeliveryView> {
    if (unstorableTextReason(input.refundId) !== null || unstorableTextReason(input.deliveryId) !== null) {
      throw new WebhookDeliveryNotFoundError(input.refundId, input.deliveryId);
    }
    await this.deliveries.retry(input.refundId, input.deliveryId);
    const view = (await this.deliveriesOf(input.refundId)).find((delivery) => delivery.id === input.deliveryId);
    if (!view) throw new WebhookDeliveryNotFoundError(input.refundId, input.deliveryId);
    this.sender.deliverSoon(input.deliveryId);
    return view;
  }
}
