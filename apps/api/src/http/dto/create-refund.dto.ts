import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { FieldProblem, RequestRefundCommand } from '@refundhub/core';
import { Type } from 'class-transformer';
import { IsDefined, IsObject, IsOptional, IsUrl, ValidateNested } from 'class-validator';

import { parseRfc3339 } from './rfc3339';
import {
  HasOrderReference,
  HTTP_URL_MESSAGE,
  HTTP_URL_OPTIONS,
  IsFen,
  MAX_FEN,
  IsRfc3339DateTime,
  MaxCodePoints,
  NOT_AN_OBJECT_MESSAGE,
  NotAboveOrderTotal,
  OptionalText,
  REQUIRED_MESSAGE,
  RequiredText,
} from './validators';

/**
 * The longest text of each field, in characters (code points): the OpenAPI schema, the decorators
 * and the route's own check (create-refund.check.ts) all read them here.
 */
export const CREATE_REFUND_MAX_LENGTH = {
  gateway: 32,
  merchantId: 64,
  refundNo: 64,
  reason: 256,
  notifyUrl: 512,
  merchantOrderNo: 64,
  gatewayOrderNo: 64,
  payMethod: 32,
} as const;
const MAX = CREATE_REFUND_MAX_LENGTH;

/** The paid order a refund draws on. */
@ApiSchema({
  name: 'CreateRefundOrder',
  description: "The paid order: the merchant's order number, the gateway's, or both (never neither).",
})
export class RefundOrderDto {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    minLength: 1,
    maxLength: MAX.merchantOrderNo,
    example: 'T20250101000001',
  })
  @OptionalText(MAX.merchantOrderNo)
  merchantOrderNo?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    minLength: 1,
    maxLength: MAX.gatewayOrderNo,
    example: '8001122165823107',
  })
  @OptionalText(MAX.gatewayOrderNo)
  gatewayOrderNo?: string | null;

  @ApiProperty({
    type: 'integer',
    format: 'int64',
    minimum: 1,
    maximum: MAX_FEN,
    example: 300,
    description: 'What the customer paid, in fen. Every refund of the order must name the same total.',
  })
  @IsFen()
  totalAmount!: number;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    format: 'date-time',
    example: '2025-01-01T10:00:00+08:00',
    description: 'RFC 3339 with an offset. UMF and Baofoo need it (their refund windows, their order dates).',
  })
  @IsOptional()
  @IsRfc3339DateTime()
  paidAt?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: MAX.payMethod,
    example: 'WECHAT',
    description: 'How the order was paid; ChaoYing and UMF refund by pay type.',
  })
  @OptionalText(MAX.payMethod)
  payMethod?: string | null;
}

/**
 * Body of `POST /refunds`. Shape and length checks only: the money rules and the gateway's own
 * limits (refund number format, amount range) come from the core, and are answered in the same 400
 * as these ({@link toRefundCommandDraft}); the balance comes from the core too.
 */
@ApiSchema({ name: 'CreateRefund' })
export class CreateRefundDto {
  @ApiProperty({ minLength: 1, maxLength: MAX.gateway, example: 'leshua', description: 'A configured gateway id.' })
  @RequiredText(MAX.gateway)
  gateway!: string;

  @ApiProperty({ minLength: 1, maxLength: MAX.merchantId, example: '0000000018' })
  @RequiredText(MAX.merchantId)
  merchantId!: string;

  @ApiProperty({
    minLength: 1,
    maxLength: MAX.refundNo,
    example: 'R20250101000001',
    description:
      "The merchant's own refund number: the same number with the same parameters returns the same refund (200), with other parameters a 409. The gateway may allow fewer characters.",
  })
  @RequiredText(MAX.refundNo)
  refundNo!: string;

  // Stacked constraints run bottom-up and stopAtFirstError keeps one: shape before the cross-field rule.
  @ApiProperty({
    type: 'integer',
    format: 'int64',
    minimum: 1,
    maximum: MAX_FEN,
    example: 100,
    description: "Fen, at most `order.totalAmount` and the order's refundable balance (422 beyond it).",
  })
  @NotAboveOrderTotal()
  @IsFen()
  amount!: number;

  @ApiProperty({ type: () => RefundOrderDto })
  @IsDefined({ message: REQUIRED_MESSAGE })
  @HasOrderReference()
  @IsObject({ message: NOT_AN_OBJECT_MESSAGE })
  @ValidateNested()
  @Type(() => RefundOrderDto)
  order!: RefundOrderDto;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: MAX.reason,
    example: 'customer returned the goods',
  })
  @OptionalText(MAX.reason)
  reason?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    format: 'uri',
    maxLength: MAX.notifyUrl,
    example: 'https://shop.example.com/refundhub/webhooks',
    description:
      'Where to POST a signed webhook (Standard Webhooks) on every final state. Must be public, and signable by a secret of the key.',
  })
  @IsOptional()
  @IsUrl(HTTP_URL_OPTIONS, { message: HTTP_URL_MESSAGE })
  @MaxCodePoints(MAX.notifyUrl)
  notifyUrl?: string | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: {},
    description: 'Gateway-specific fields (UMF: `shopNo`, `operator`), checked by the gateway.',
  })
  @IsOptional()
  @IsObject({ message: NOT_AN_OBJECT_MESSAGE })
  gatewayOptions?: Record<string, unknown>;
}

export function toRequestRefundCommand(dto: CreateRefundDto): RequestRefundCommand {
  const { order } = dto;
  return {
    gateway: dto.gateway,
    merchantId: dto.merchantId,
    refundNo: dto.refundNo,
    amount: dto.amount,
    order: {
      merchantOrderNo: order.merchantOrderNo ?? null,
      gatewayOrderNo: order.gatewayOrderNo ?? null,
      totalAmount: order.totalAmount,
      paidAt: order.paidAt ? parseRfc3339(order.paidAt) : null,
      payMethod: order.payMethod ?? null,
    },
    reason: dto.reason ?? null,
    notifyUrl: dto.notifyUrl ?? null,
    gatewayOptions: dto.gatewayOptions ?? {},
  };
}

/** The part of a body that failed its shape checks that the core can still check. */
export interface RefundCommandDraft {
  /** The command the body would have made; the values of `malformed` fields are stand-ins. */
  command: RequestRefundCommand;
  /** The fields the shape checks found wrong, for `RefundService.check` to leave alone. */
  malformed: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The command of a body that failed its shape checks, for the core to check the fields that
 * passed; null for a body that is not even an object. A problem on the order itself (it has no
 * order number) makes its order numbers malformed, not the whole order: its pay method and total
 * are still checked.
 */
export function toRefundCommandDraft(body: unknown, problems: readonly FieldProblem[]): RefundCommandDraft | null {
  if (!isRecord(body)) return null;
  const order = isRecord(body.order) ? body.order : {};
  const malformed = problems.flatMap(({ field }) =>
    field === 'order' && isRecord(body.order) ? ['order.merchantOrderNo', 'order.gatewayOrderNo'] : [field],
  );
  // A field that passed has its DTO type; anything else is malformed, and a stand-in will do.
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const optionalText = (value: unknown) => (typeof value === 'string' ? value : null);
  const fen = (value: unknown) => (typeof value === 'number' ? value : 0);
  return {
    command: {
      gateway: text(body.gateway),
      merchantId: text(body.merchantId),
      refundNo: text(body.refundNo),
      amount: fen(body.amount),
      order: {
        merchantOrderNo: optionalText(order.merchantOrderNo),
        gatewayOrderNo: optionalText(order.gatewayOrderNo),
        totalAmount: fen(order.totalAmount),
        paidAt: typeof order.paidAt === 'string' ? parseRfc3339(order.paidAt) : null,
        payMethod: optionalText(order.payMethod),
      },
      reason: optionalText(body.reason),
      notifyUrl: optionalText(body.notifyUrl),
      gatewayOptions: isRecord(body.gatewayOptions) ? body.gatewayOptions : {},
    },
    malformed,
  };
}
