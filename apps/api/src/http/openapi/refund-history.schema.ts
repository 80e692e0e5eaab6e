import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { REFUND_STATUSES } from '@refundhub/core';
import type { RefundHistoryPage, RefundHistorySource, RefundHistoryView, RefundStatus } from '@refundhub/core';

const HISTORY_SOURCES = [
  'request',
  'submit',
  'resubmit',
  'query',
  'notify',
  'operator',
] as const satisfies readonly RefundHistorySource[];

export const REFUND_HISTORY_PAGE_EXAMPLE = {
  items: [
    {
      at: '2025-01-01T08:00:00.000Z',
      from: null,
      to: 'REQUESTED',
      source: 'request',
      applied: true,
      gatewayStatus: null,
      code: null,
      message: null,
      repeats: 0,
      lastHeardAt: null,
      actor: null,
    },
    {
      at: '2025-01-01T08:00:00.412Z',
      from: 'REQUESTED',
      to: 'PROCESSING',
      source: 'submit',
      applied: true,
      gatewayStatus: '10',
      code: null,
      message: null,
      repeats: 0,
      lastHeardAt: null,
      actor: null,
    },
  ],
  nextCursor: null,
} satisfies RefundHistoryPage;

@ApiSchema({
  name: 'RefundHistoryEntry',
  description: 'One thing heard about a refund: a transition, or an answer that changed nothing (`applied: false`).',
})
export class RefundHistoryEntrySchema implements RefundHistoryView {
  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ enum: REFUND_STATUSES, enumName: 'RefundStatus', nullable: true })
  from!: RefundStatus | null;

  @ApiProperty({ enum: REFUND_STATUSES, enumName: 'RefundStatus' })
  to!: RefundStatus;

  @ApiProperty({
    enum: HISTORY_SOURCES,
    description: 'Who said it: the request, a gateway answer, a notification, an operator.',
  })
  source!: RefundHistorySource;

  @ApiProperty({
    description: 'false when it was heard and kept, but did not move the refund (a final refund stays final).',
  })
  applied!: boolean;

  @ApiProperty({ type: String, nullable: true })
  gatewayStatus!: string | null;

  @ApiProperty({ type: String, nullable: true })
  code!: string | null;

  @ApiProperty({ type: String, nullable: true })
  message!: string | null;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'How many more times the same was heard after `at` (a replayed notification).',
  })
  repeats!: number;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  lastHeardAt!: string | null;

  @ApiProperty({ type: String, nullable: true, description: "The API key's name for an operator's action." })
  actor!: string | null;
}

@ApiSchema({ name: 'RefundHistoryPage', description: 'Oldest first.' })
export class RefundHistoryPageSchema implements RefundHistoryPage {
  @ApiProperty({ type: () => [RefundHistoryEntrySchema] })
  items!: RefundHistoryEntrySchema[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last one.',
  })
  nextCursor!: string | null;
}
