import { REFUND_STATUSES, RefundListFilter, RefundStatus } from '@refundhub/core';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

import { parseRfc3339 } from './rfc3339';
import { IsRfc3339DateTime, NotBefore, OptionalText } from './validators';

/** Query of `GET /refunds`. Query values arrive as strings; only `limit` is converted, explicitly. */
export class ListRefundsQuery {
  @OptionalText(32)
  gateway?: string;

  @OptionalText(64)
  merchantId?: string;

  @IsOptional()
  @IsIn(REFUND_STATUSES, { message: `must be one of ${REFUND_STATUSES.join(', ')}` })
  status?: RefundStatus;

  @OptionalText(64)
  merchantOrderNo?: string;

  /** `true`: only refunds that need a person; `false`: only those that do not. */
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  needsAttention?: 'true' | 'false';

  @IsOptional()
  @IsRfc3339DateTime()
  createdFrom?: string;

  @IsOptional()
  @IsRfc3339DateTime()
  @NotBefore('createdFrom')
  createdTo?: string;

  @OptionalText(512)
  cursor?: string;

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
    needsAttention: query.needsAttention === undefined ? undefined : query.needsAttention === 'true',
    createdFrom: (query.createdFrom && parseRfc3339(query.createdFrom)) || undefined,
    createdTo: (query.createdTo && parseRfc3339(query.createdTo)) || undefined,
    cursor: query.cursor,
    limit: query.limit,
  };
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined));
}
