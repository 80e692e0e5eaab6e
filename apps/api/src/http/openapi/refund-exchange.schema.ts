import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type {
  RefundExchangeOperation,
  RefundExchangeOutcome,
  RefundExchangePage,
  RefundExchangeView,
} from '@refundhub/core';

const OPERATIONS = ['submit', 'query', 'notification'] as const satisfies readonly RefundExchangeOperation[];
const OUTCOMES = [
  'applied',
  'unchanged',
  'rejected_forged',
  'mismatched',
  'unknown',
] as const satisfies readonly RefundExchangeOutcome[];

export const REFUND_EXCHANGE_PAGE_EXAMPLE = {
  items: [
    {
      id: '1',
      operation: 'submit',
      at: '2025-01-01T08:00:00.000Z',
      durationMs: 412,
      gatewayStatus: '10',
      code: null,
      message: null,
      fields: { kind: 'processing', rawStatus: '10', gatewayRefundNo: '9001122165823107' },
      outcome: 'applied',
      changed: true,
      repeats: 0,
      lastAt: null,
    },
    {
      id: '7',
      operation: 'notification',
      at: '2025-01-01T08:03:10.000Z',
      durationMs: null,
      gatewayStatus: '11',
      code: null,
      message: null,
      fields: {
        kind: 'succeeded',
        rawStatus: '11',
        merchantId: '0000000018',
        refundNo: 'R20250101000001',
        amount: 100,
        'echo.sign': '[redacted]',
      },
      outcome: 'applied',
      changed: true,
      repeats: 2,
      lastAt: '2025-01-01T08:05:10.000Z',
    },
  ],
  nextCursor: null,
} satisfies RefundExchangePage;

@ApiSchema({
  name: 'RefundExchange',
  description:
    'One exchange with the gateway: a submission, a query, or a notification it sent. Keys, signatures and customer data are never kept.',
})
export class RefundExchangeSchema implements RefundExchangeView {
  @ApiProperty({ description: 'Increases in the order exchanges were recorded.', example: '7' })
  id!: string;

  @ApiProperty({ enum: OPERATIONS })
  operation!: RefundExchangeOperation;

  @ApiProperty({ format: 'date-time', description: 'When the request was sent, or the notification heard.' })
  at!: string;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    nullable: true,
    description: 'How long the gateway took; null for a notification.',
  })
  durationMs!: number | null;

  @ApiProperty({ type: String, nullable: true, description: "The gateway's own status." })
  gatewayStatus!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      "The gateway's code, the typed reason of an unknown outcome (`TIMEOUT`), or why a notification was refused.",
  })
  code!: string | null;

  @ApiProperty({ type: String, nullable: true })
  message!: string | null;

  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
    description:
      'The parsed answer, flat. A field named like a key, signature or customer datum (sign, key, secret, token, card, name, phone, account, id card, bank, ...) has the value `[redacted]`. Null for a notification that failed verification: nothing of it is kept.',
  })
  fields!: Record<string, string | number | boolean> | null;

  @ApiProperty({
    enum: OUTCOMES,
    description:
      '`applied`: it changed the refund; `unchanged`: it agreed with it; `rejected_forged`: a notification that failed verification; `mismatched`: another amount or order, or a conflict with a final refund; `unknown`: no readable answer (timeout, 5xx, unreadable).',
  })
  outcome!: RefundExchangeOutcome;

  @ApiProperty({ description: 'It changed the refund: its status, or a flag for a person.' })
  changed!: boolean;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'How many more times the same notification was heard.' })
  repeats!: number;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'When it was heard last.' })
  lastAt!: string | null;
}

@ApiSchema({ name: 'RefundExchangePage', description: 'Oldest first.' })
export class RefundExchangePageSchema implements RefundExchangePage {
  @ApiProperty({ type: () => [RefundExchangeSchema] })
  items!: RefundExchangeSchema[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last one.',
  })
  nextCursor!: string | null;
}
