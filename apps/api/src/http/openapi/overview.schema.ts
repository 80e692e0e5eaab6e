import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { AttentionReason, RefundGatewayOverview, RefundOverview, RefundStatus } from '@refundhub/core';

export const OVERVIEW_EXAMPLE = {
  at: '2025-01-02T08:00:00.000Z',
  gateways: [
    {
      gateway: 'leshua',
      total: 1250,
      byStatus: { REQUESTED: 2, PROCESSING: 31, UNKNOWN: 1, SUCCEEDED: 1198, FAILED: 18 },
      needsAttention: {
        total: 2,
        byReason: { gateway_change: 0, sync_exhausted: 1, gateway_lost_refund: 1, order_reference_conflict: 0 },
      },
      oldestUnfinished: {
        id: 'rf_0192f4c1a7b3e5d6f8091a2b3c4d5e6f',
        createdAt: '2025-01-01T08:00:00.000Z',
        ageSeconds: 86400,
      },
    },
  ],
  webhooks: { givenUp: 1, failing: 3 },
  outbox: { pending: 4, failing: 0, poisoned: 0 },
} satisfies RefundOverview;

const COUNT = { type: 'integer', minimum: 0 } as const;

@ApiSchema({ name: 'OverviewByStatus', description: 'Refunds by status; every status is present.' })
export class OverviewByStatusSchema implements Record<RefundStatus, number> {
  @ApiProperty(COUNT)
  REQUESTED!: number;

  @ApiProperty(COUNT)
  PROCESSING!: number;

  @ApiProperty(COUNT)
  UNKNOWN!: number;

  @ApiProperty(COUNT)
  SUCCEEDED!: number;

  @ApiProperty(COUNT)
  FAILED!: number;
}

@ApiSchema({
  name: 'OverviewByAttentionReason',
  description: 'Refunds that need a person, by reason; every reason is present.',
})
export class OverviewByAttentionReasonSchema implements Record<AttentionReason, number> {
  @ApiProperty(COUNT)
  gateway_change!: number;

  @ApiProperty(COUNT)
  sync_exhausted!: number;

  @ApiProperty(COUNT)
  gateway_lost_refund!: number;

  @ApiProperty(COUNT)
  order_reference_conflict!: number;
}

@ApiSchema({ name: 'OverviewOldestUnfinished' })
export class OverviewOldestUnfinishedSchema {
  @ApiProperty({ description: 'The refund id.' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Seconds since it was created.' })
  ageSeconds!: number;
}

@ApiSchema({ name: 'OverviewNeedsAttention' })
export class OverviewNeedsAttentionSchema {
  @ApiProperty({ type: 'integer', minimum: 0 })
  total!: number;

  @ApiProperty({ type: () => OverviewByAttentionReasonSchema })
  byReason!: OverviewByAttentionReasonSchema;
}

@ApiSchema({ name: 'OverviewGateway', description: "One gateway's refunds, over the merchants the key may see." })
export class OverviewGatewaySchema implements RefundGatewayOverview {
  @ApiProperty({ example: 'leshua' })
  gateway!: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  total!: number;

  @ApiProperty({ type: () => OverviewByStatusSchema })
  byStatus!: OverviewByStatusSchema;

  @ApiProperty({ type: () => OverviewNeedsAttentionSchema })
  needsAttention!: OverviewNeedsAttentionSchema;

  @ApiProperty({
    type: () => OverviewOldestUnfinishedSchema,
    nullable: true,
    description: 'The oldest refund not yet final (REQUESTED, PROCESSING or UNKNOWN); null when there is none.',
  })
  oldestUnfinished!: OverviewOldestUnfinishedSchema | null;
}

@ApiSchema({ name: 'OverviewWebhooks', description: "The webhooks of the key's refunds." })
export class OverviewWebhooksSchema {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Given up after the retry schedule ran out.' })
  givenUp!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Still retried after at least one failed attempt.' })
  failing!: number;
}

@ApiSchema({ name: 'OverviewOutbox', description: 'The event outbox, shared by every merchant.' })
export class OverviewOutboxSchema {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Events waiting to be relayed.' })
  pending!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Of those, the ones whose last relay failed.' })
  failing!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Set aside after too many failures.' })
  poisoned!: number;
}

@ApiSchema({
  name: 'Overview',
  description: 'Counts for an operations page, over the merchants the key may see. Read from indexes.',
})
export class OverviewSchema implements RefundOverview {
  @ApiProperty({ format: 'date-time', description: 'When the figures were read.' })
  at!: string;

  @ApiProperty({ type: () => [OverviewGatewaySchema], description: 'Only gateways with refunds the key may see.' })
  gateways!: OverviewGatewaySchema[];

  @ApiProperty({ type: () => OverviewWebhooksSchema })
  webhooks!: OverviewWebhooksSchema;

  @ApiProperty({
    type: () => OverviewOutboxSchema,
    nullable: true,
    description:
      'Only for a key for every merchant or with the `operator` scope (the outbox is shared by every merchant); null for any other.',
  })
  outbox!: OverviewOutboxSchema | null;
}
