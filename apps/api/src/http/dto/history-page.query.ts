import { ApiPropertyOptional } from '@nestjs/swagger';
import type { RefundHistoryPageQuery } from '@refundhub/core';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

import { OptionalText } from './validators';

const LIMIT = 'must be an integer from 1 to 200';

/** Query of `GET /refunds/:id/history`: pages as `GET /refunds` does. Query values arrive as strings. */
export class HistoryPageQuery {
  @ApiPropertyOptional({ maxLength: 512, description: "The previous page's `nextCursor`." })
  @OptionalText(512)
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  // Digits only: Number('') is 0 and Number('1e2') is 100, neither is what the caller typed.
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value,
  )
  @IsInt({ message: LIMIT })
  @Min(1, { message: LIMIT })
  @Max(200, { message: LIMIT })
  limit?: number;
}

export function toHistoryPageQuery(query: HistoryPageQuery): RefundHistoryPageQuery {
  return {
    ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    ...(query.limit === undefined ? {} : { limit: query.limit }),
  };
}
