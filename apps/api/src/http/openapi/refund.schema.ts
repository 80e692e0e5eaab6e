import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ATTENTION_REASONS, REFUND_STATUSES } from '@refundhub/core';
import type { AttentionReason, RefundPage, RefundStatus, RefundView } from '@refundhub/core';

type RefundOrderView = RefundView['order'];

/** One refund as the API answers it; the example of every answer that carries one. */
export const REFUND_EXAMPLE = {
  id: 'rf_0192f4c1a7b3e5d6f8091a2b3c4d5e6f',
  gateway: 'leshua',
  merchantId: '0000000018',
  refundNo: 'R20250101000001',
  amount: 100,
  status: 'PROCESSING',
  gatewayRefundNo: '13102620250101000001',
  order: {
    merchantOrderNo: 'T20250101000001',
    gatewayOrderNo: '8001122165823107',
    totalAmount: 300,
    refundedAmount: 0,
    reservedAmount: 100,
  },
  reason: 'customer returned the goods',
  notifyUrl: null,
  failure: null,
  needsAttention: null,
  deferredAt: null,
  gatewayStatus: '10',
  attempts: 1,
  createdAt: '2025-01-01T08:00:00.000Z',
  updatedAt: '2025-01-01T08:00:00.412Z',
  finishedAt: null,
} satisfies RefundView;

@ApiSchema({ name: 'RefundOrder', description: 'The paid order a refund draws on, and its balance (fen).' })
export class RefundOrderSchema implements RefundOrderView {
  @ApiProperty({ type: String, nullable: true, maxLength: 64, example: 'T20250101000001' })
  merchantOrderNo!: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: 64, example: '8001122165823107' })
  gatewayOrderNo!: string | null;

  @ApiProperty({ type: 'integer', format: 'int64', minimum: 1, description: 'What the customer paid, in fen.' })
  totalAmount!: number;

  @ApiProperty({ type: 'integer', format: 'int64', minimum: 0, description: 'Refunded (SUCCEEDED), in fen.' })
  refundedAmount!: number;

  @ApiProperty({
    type: 'integer',
    format: 'int64',
    minimum: 0,
    description:
      'Held by refunds that are not FAILED, succeeded ones included; `totalAmount - reservedAmount` can still be refunded.',
  })
  reservedAmount!: number;
}

@ApiSchema({ name: 'RefundFailure' })
export class RefundFailureSchema {
  @ApiProperty({ example: 'TIMEOUT' })
  code!: string;

  @ApiProperty({ example: 'no answer from the gateway within 10000 ms' })
  message!: string;
}

@ApiSchema({ name: 'RefundNeedsAttention' })
export class RefundNeedsAttentionSchema {
  @ApiProperty({ enum: ATTENTION_REASONS, enumName: 'AttentionReason' })
  reason!: AttentionReason;

  @ApiProperty({ format: 'date-time' })
  since!: string;
}

@ApiSchema({
  name: 'Refund',
  description:
    'One refund. Amounts are integer fen. `status` is final once SUCCEEDED or FAILED; UNKNOWN means the outcome is not known yet (never a failure).',
})
export class RefundSchema implements RefundView {
  @ApiProperty({ example: REFUND_EXAMPLE.id, pattern: '^rf_[0-9a-f]{32}$' })
  id!: string;

  @ApiProperty({ example: 'leshua' })
  gateway!: string;

  @ApiProperty({ example: '0000000018' })
  merchantId!: string;

  @ApiProperty({ example: 'R20250101000001', description: "The merchant's own refund number." })
  refundNo!: string;

  @ApiProperty({ type: 'integer', format: 'int64', minimum: 1, example: 100 })
  amount!: number;

  @ApiProperty({ enum: REFUND_STATUSES, enumName: 'RefundStatus' })
  status!: RefundStatus;

  @ApiProperty({ type: String, nullable: true, description: "The gateway's id of the refund, once it gave one." })
  gatewayRefundNo!: string | null;

  @ApiProperty({ type: () => RefundOrderSchema })
  order!: RefundOrderSchema;

  @ApiProperty({ type: String, nullable: true })
  reason!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    format: 'uri',
    description: 'Where the signed webhooks of this refund go.',
  })
  notifyUrl!: string | null;

  @ApiProperty({
    type: () => RefundFailureSchema,
    nullable: true,
    description:
      "The gateway's definite reason for FAILED; the reason (`TIMEOUT`, `HTTP_5XX`, ...) the last outcome was UNKNOWN; or why a REQUESTED refund waits.",
  })
  failure!: RefundFailureSchema | null;

  @ApiProperty({
    type: () => RefundNeedsAttentionSchema,
    nullable: true,
    description: 'Set when a person must settle the refund (`POST /refunds/{id}/resolve`); the money stays reserved.',
  })
  needsAttention!: RefundNeedsAttentionSchema | null;

  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date-time',
    description:
      'Set while the gateway has not got the refund and it waits to be submitted again with the same refund number.',
  })
  deferredAt!: string | null;

  @ApiProperty({ type: String, nullable: true, description: "The gateway's last raw status." })
  gatewayStatus!: string | null;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Submissions to the gateway so far.' })
  attempts!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  finishedAt!: string | null;
}

@ApiSchema({ name: 'RefundPage', description: 'Newest first, or oldest first with `order=asc`.' })
export class RefundPageSchema implements RefundPage {
  @ApiProperty({ type: () => [RefundSchema] })
  items!: RefundSchema[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last one.',
    example: 'cmZfMDE5MmY0YzFhN2IzZTVkNmY4MDkxYTJiM2M0ZDVlNmY',
  })
  nextCursor!: string | null;
}
