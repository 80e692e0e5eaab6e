import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { RESOLVED_STATUSES, RESOLVE_REASON_MAX_LENGTH, type ResolvedStatus } from '@refundhub/core';
import { IsDefined, IsIn } from 'class-validator';

import { RequiredText } from './validators';

/** Body of `POST /refunds/:id/resolve`: the final status a person decided, and why. */
@ApiSchema({ name: 'ResolveRefund' })
export class ResolveRefundDto {
  @ApiProperty({ enum: RESOLVED_STATUSES, description: 'The final status a person decided.' })
  @IsIn(RESOLVED_STATUSES, { message: `must be one of ${RESOLVED_STATUSES.join(', ')}` })
  @IsDefined({ message: 'is required' })
  status!: ResolvedStatus;

  /** Kept in the refund's history with the key's name; a FAILED refund shows it as its failure message. */
  @ApiProperty({
    minLength: 1,
    maxLength: RESOLVE_REASON_MAX_LENGTH,
    example: 'confirmed with Leshua support: refunded on 2025-01-03',
  })
  @RequiredText(RESOLVE_REASON_MAX_LENGTH)
  reason!: string;
}
