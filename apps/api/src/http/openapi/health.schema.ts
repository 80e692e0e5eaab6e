import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

@ApiSchema({
  name: 'Health',
  description:
    'Up or down for anyone; a caller with a valid API key also sees each check, its details and the configured gateways.',
})
export class HealthSchema {
  @ApiProperty({ enum: ['ok', 'error'] })
  status!: 'ok' | 'error';

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', enum: ['up', 'down'] },
    example: { database: 'up', outbox: 'up', scheduler: 'up' },
  })
  checks?: Record<string, 'up' | 'down'>;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'object', additionalProperties: true },
    example: { database: {}, outbox: { backlog: 0, limit: 1000 }, scheduler: { running: false } },
  })
  details?: Record<string, Record<string, unknown>>;

  @ApiPropertyOptional({ type: [String], example: ['leshua', 'chaoying'] })
  gateways?: string[];
}
