import type { FieldProblem, RequestRefundCommand } from '@refundhub/core';
import { Type } from 'class-transformer';
import { IsDefined, IsObject, IsOptional, IsUrl, ValidateNested } from 'class-validator';

import { parseRfc3339 } from './rfc3339';
import {
  HasOrderReference,
  IsFen,
  IsRfc3339DateTime,
  MaxCodePoints,
  NotAboveOrderTotal,
  OptionalText,
  RequiredText,
} from './validators';

/** The paid order a refund draws on. */
export class RefundOrderDto {
  @OptionalText(64)
  merchantOrderNo?: string | null;

  @OptionalText(64)
  gatewayOrderNo?: string | null;

  @IsFen()
  totalAmount!: number;

  @IsOptional()
  @IsRfc3339DateTime()
  paidAt?: string | null;

  @OptionalText(32)
  payMethod?: string | null;
}

/**
 * Body of `POST /refunds`. Shape and length checks only: the money rules and the gateway's own
 * limits (refund number format, amount range) come from the core, and are answered in the same 400
 * as these ({@link toRefundCommandDraft}); the balance comes from the core too.
 */
export class CreateRefundDto {
  @RequiredText(32)
  gateway!: string;

  @RequiredText(64)
  merchantId!: string;

  @RequiredText(64)
  refundNo!: string;

  // Stacked constraints run bottom-up and stopAtFirstError keeps one: shape before the cross-field rule.
  @NotAboveOrderTotal()
  @IsFen()
  amount!: number;

  @IsDefined({ message: 'is required' })
  @HasOrderReference()
  @IsObject({ message: 'must be an object' })
  @ValidateNested()
  @Type(() => RefundOrderDto)
  order!: RefundOrderDto;

  @OptionalText(256)
  reason?: string | null;

  @IsOptional()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'must be an http(s) URL' },
  )
  @MaxCodePoints(512)
  notifyUrl?: string | null;

  @IsOptional()
  @IsObject({ message: 'must be an object' })
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
