import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { REFUND_STATUSES } from '@refundhub/core';
import type { FieldProblem, RefundStatus } from '@refundhub/core';

@ApiSchema({ name: 'FieldProblem' })
export class FieldProblemSchema implements FieldProblem {
  @ApiProperty({
    description: 'Dotted path of the field (`order.totalAmount`), or `body` / `path` for the request itself.',
  })
  field!: string;

  @ApiProperty({ example: 'must be a JSON number of fen, not a string' })
  message!: string;
}

/** Every error the API answers has these four; some add details of their own (the schemas below). */
@ApiSchema({ name: 'Error', description: 'Every error body: a stable `code` for scripts, a `message` for people.' })
export class ErrorSchema {
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, description: 'The HTTP status again.' })
  statusCode!: number;

  @ApiProperty({ description: "The status's reason phrase.", example: 'Not Found' })
  error!: string;

  @ApiProperty({ description: 'Stable, upper case.', example: 'REFUND_NOT_FOUND' })
  code!: string;

  @ApiProperty()
  message!: string;
}

@ApiSchema({ name: 'ValidationError', description: 'Bad input: every problem found, one per field.' })
export class ValidationErrorSchema extends ErrorSchema {
  @ApiProperty({ enum: ['VALIDATION_FAILED', 'REFUND_INVALID'] })
  declare code: string;

  @ApiProperty({ type: () => [FieldProblemSchema] })
  errors!: FieldProblemSchema[];
}

@ApiSchema({
  name: 'NotConfiguredError',
  description: 'The gateway or merchant named in the request is not configured here; `errors` names the field.',
})
export class NotConfiguredErrorSchema extends ErrorSchema {
  @ApiProperty({ enum: ['GATEWAY_UNKNOWN', 'MERCHANT_UNKNOWN'] })
  declare code: string;

  @ApiProperty({ type: () => [FieldProblemSchema] })
  errors!: FieldProblemSchema[];
}

@ApiSchema({
  name: 'RefundConflictError',
  description: 'The refund number was used before with other parameters: same number, same request, or a new number.',
})
export class RefundConflictErrorSchema extends ErrorSchema {
  @ApiProperty({ enum: ['REFUND_CONFLICT'] })
  declare code: string;

  @ApiProperty({ description: 'The refund that already has this number.' })
  refundId!: string;

  @ApiProperty({ type: [String], description: 'The fields that differ from it.', example: ['amount'] })
  differences!: string[];
}

@ApiSchema({ name: 'OrderConflictError', description: 'The order was first recorded with another total.' })
export class OrderConflictErrorSchema extends ErrorSchema {
  @ApiProperty({ enum: ['ORDER_CONFLICT'] })
  declare code: string;

  @ApiProperty({ type: 'integer', format: 'int64', description: 'The total the order is recorded with, in fen.' })
  recordedTotalAmount!: number;
}

@ApiSchema({ name: 'RecordedOrder' })
export class RecordedOrderSchema {
  @ApiProperty({ type: String, nullable: true })
  merchantOrderNo!: string | null;

  @ApiProperty({ type: String, nullable: true })
  gatewayOrderNo!: string | null;

  @ApiProperty({ type: 'integer', format: 'int64' })
  totalAmount!: number;
}

@ApiSchema({ name: 'OrderReferenceOwner' })
export class OrderReferenceOwnerSchema {
  @ApiProperty({ enum: ['order.merchantOrderNo', 'order.gatewayOrderNo'] })
  field!: string;

  @ApiProperty()
  value!: string;

  @ApiProperty({ type: () => RecordedOrderSchema })
  order!: RecordedOrderSchema;
}

@ApiSchema({
  name: 'OrderReferenceConflictError',
  description: "The request's merchant and gateway order numbers belong to two different recorded orders.",
})
export class OrderReferenceConflictErrorSchema extends ErrorSchema {
  @ApiProperty({ enum: ['ORDER_REFERENCE_CONFLICT'] })
  declare code: string;

  @ApiProperty({ type: () => [OrderReferenceOwnerSchema] })
  references!: OrderReferenceOwnerSchema[];
}

@ApiSchema({ name: 'RefundAlreadyFinalError', description: 'A final refund does not change.' })
export class RefundAlreadyFinalErrorSchema extends ErrorSchema {
  @ApiProperty({ enum: ['REFUND_ALREADY_FINAL'] })
  declare code: string;

  @ApiProperty()
  refundId!: string;

  @ApiProperty({ enum: REFUND_STATUSES, enumName: 'RefundStatus' })
  status!: RefundStatus;
}

@ApiSchema({
  name: 'BalanceExceededError',
  description: "The order's refundable balance is smaller than the amount asked for; it says what is left.",
})
export class BalanceExceededErrorSchema extends ErrorSchema {
  @ApiProperty({ enum: ['REFUND_EXCEEDS_BALANCE'] })
  declare code: string;

  @ApiProperty({ type: 'integer', format: 'int64', description: 'Fen.' })
  requestedAmount!: number;

  @ApiProperty({ type: 'integer', format: 'int64', minimum: 0, description: 'Fen that can still be refunded.' })
  refundableAmount!: number;
}

@ApiSchema({ name: 'GatewayRuleRefusal' })
export class GatewayRuleRefusalSchema {
  @ApiProperty({ example: 'REFUND_WINDOW_CLOSED' })
  code!: string;

  @ApiProperty()
  message!: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  details!: Record<string, unknown>;
}

@ApiSchema({
  name: 'GatewayRuleRefusalError',
  description:
    "A rule of the gateway refuses the request as it stands (`REFUND_WINDOW_CLOSED`: the order was paid too long ago). `code` and the details beside it are the first refusal's; `refusals` lists them all.",
})
export class GatewayRuleRefusalErrorSchema extends ErrorSchema {
  @ApiProperty({ example: 'REFUND_WINDOW_CLOSED' })
  declare code: string;

  @ApiProperty({ type: () => [GatewayRuleRefusalSchema] })
  refusals!: GatewayRuleRefusalSchema[];

  @ApiPropertyOptional({ description: 'REFUND_WINDOW_CLOSED: the gateway.' })
  gateway?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'REFUND_WINDOW_CLOSED: when the order was paid.' })
  paidAt?: string;

  @ApiPropertyOptional({ type: 'integer', description: 'REFUND_WINDOW_CLOSED: the window, in days.' })
  windowDays?: number;
}

@ApiSchema({
  name: 'RateLimitedError',
  description:
    'Over the rate limit of the key (or of the address, for requests without a valid key); `Retry-After` says when to try again.',
})
export class RateLimitedErrorSchema extends ErrorSchema {
  @ApiProperty({ enum: ['RATE_LIMITED'] })
  declare code: string;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'Seconds until a request is accepted again; also sent as `Retry-After`.',
  })
  retryAfterSeconds!: number;
}
