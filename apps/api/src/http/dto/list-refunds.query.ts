import { ApiPropertyOptional } from '@nestjs/swagger';
import { REFUND_STATUSES, RefundListFilter, RefundStatus } from '@refundhub/core';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

import { parseRfc3339 } from './rfc3339';
import { IsRfc3339DateTime, NotBefore, OptionalText } from './validators';

/** Query of `GET /refunds`. Query values arrive as strings; only `limit` is converted, explicitly. */
export class ListRefundsQuery {
  @ApiPropertyOptional({ minLength: 1, maxLength: 32, example: 'leshua' })
  @OptionalText(32)
  gateway?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 64, example: '0000000018' })
  @OptionalText(64)
  merchantId?: string;

  @ApiPropertyOptional({ enum: REFUND_STATUSES, enumName: 'RefundStatus' })
  @IsOptional()
  @IsIn(REFUND_STATUSES, { message: `must be one of ${REFUND_STATUSES.join(', ')}` })
  status?: RefundStatus;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 64,
    example: 'T20250101000001',
    description: 'Refunds of this order.',
  })
  @OptionalText(64)
  merchantOrderNo?: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 64,
    example: 'R20250101000001',
    description: 'Refunds with this refund number.',
  })
  @OptionalText(64)
  refundNo?: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 64,
    example: '8001122165823107',
    description: "Refunds of the order with this gateway's order number.",
  })
  @OptionalText(64)
  gatewayOrderNo?: string;

  /** `true`: only refunds that need a person; `false`: only those that do not. */
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: '`true`: only refunds a person must settle; `false`: only the others.',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  needsAttention?: 'true' | 'false';

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2025-01-01T00:00:00+08:00',
    description: 'Created at or after (RFC 3339 with an offset).',
  })
  @IsOptional()
  @IsRfc3339DateTime()
  createdFrom?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2025-01-31T23:59:59+08:00',
    description: 'Created at or before; not before `createdFrom`.',
  })
  @IsOptional()
  @IsRfc3339DateTime()
  @NotBefore('createdFrom')
  createdTo?: string;

  @ApiPropertyOptional({
    enum: ['desc', 'asc'],
    default: 'desc',
    description: '`desc`: newest first; `asc`: oldest first (the longest waiting). A cursor pages in its own order.',
  })
  @IsOptional()
  @IsIn(['asc', 'desc'], { message: 'must be asc or desc' })
  order?: 'asc' | 'desc';

  @ApiPropertyOptional({ maxLength: 512, description: "The previous page's `nextCursor`." })
  @OptionalText(512)
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  // Digits only: Number('') is 0 and Number('1e2') is 100, neither is what the caller typed.
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value,
  )
  @IsInt({ message: 'must be an integer from 1 to 200' })
  @Min(1, { message: 'must be an integer from 1 to 200' })
  @Max(200, { message: 'must be an integer from 1 to 200' })
  limit?: number;
}

export function toRefundListFilter(query: ListRefundsQuery): RefundListFilter {
  const filter: RefundListFilter = {
    gateway: query.gateway,
    merchantId: query.merchantId,
    status: query.status,
    merchantOrderNo: query.merchantOrderNo,
    refundNo: query.refundNo,
    gatewayOrderNo: query.gatewayOrderNo,
    order: query.order,
    needsAttention: query.needsAttention === undefined ? undefined : query.needsAttention === 'true',
    createdFrom: (query.createdFrom && parseRfc3339(query.createdFrom)) || undefined,
    createdTo: (query.createdTo && parseRfc3339(query.createdTo)) || undefined,
    cursor: query.cursor,
    limit: query.limit,
  };
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined));
}
