import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { WebhookAttemptView, WebhookDeliveryStatus, WebhookDeliveryView } from '@refundhub/core';

import type { WebhookDeliveryPage } from '../refund-webhooks.controller';

const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const satisfies readonly WebhookDeliveryStatus[];

export const WEBHOOK_DELIVERY_EXAMPLE = {
  id: 'wd_0192f4c1a7b3e5d6f8091a2b3c4d5e70',
  eventId: 'evt_0192f4c1a7b3e5d6f8091a2b3c4d5e71',
  type: 'refund.succeeded',
  url: 'https://shop.example.com/refundhub/webhooks',
  status: 'delivered',
  nextAttemptAt: null,
  createdAt: '2025-01-01T08:00:05.000Z',
  finishedAt: '2025-01-01T08:00:05.230Z',
  attempts: [{ at: '2025-01-01T08:00:05.001Z', durationMs: 229, httpStatus: 200, error: null }],
} satisfies WebhookDeliveryView;

@ApiSchema({ name: 'WebhookAttempt' })
export class WebhookAttemptSchema implements WebhookAttemptView {
  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  durationMs!: number;

  @ApiProperty({ type: 'integer', nullable: true, description: "The receiver's status; null when it never answered." })
  httpStatus!: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'What went wrong without an answer (a timeout, a refused target).',
  })
  error!: string | null;
}

@ApiSchema({
  name: 'WebhookDelivery',
  description: "One signed POST of an event to a refund's `notifyUrl`, with its attempts.",
})
export class WebhookDeliverySchema implements WebhookDeliveryView {
  @ApiProperty()
  id!: string;

  @ApiProperty({ description: 'Sent as the `webhook-id` header.' })
  eventId!: string;

  @ApiProperty({ example: 'refund.succeeded', description: "The event key, the body's `type`." })
  type!: string;

  @ApiProperty({ format: 'uri' })
  url!: string;

  @ApiProperty({
    enum: DELIVERY_STATUSES,
    description: '`pending` (due at `nextAttemptAt`), `delivered`, or `failed` (given up).',
  })
  status!: WebhookDeliveryStatus;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  nextAttemptAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  finishedAt!: string | null;

  @ApiProperty({ type: () => [WebhookAttemptSchema] })
  attempts!: WebhookAttemptSchema[];
}

@ApiSchema({ name: 'WebhookDeliveryPage' })
export class WebhookDeliveryPageSchema implements WebhookDeliveryPage {
  @ApiProperty({ type: () => [WebhookDeliverySchema] })
  items!: WebhookDeliverySchema[];
}
