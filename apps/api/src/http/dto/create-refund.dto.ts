import type { RequestRefundCommand } from '@refundhub/core';
import { Type } from 'class-transformer';
import { IsDefined, IsISO8601, IsObject, IsOptional, IsUrl, MaxLength, ValidateNested } from 'class-validator';

import { HasOrderReference, IsFen, NotAboveOrderTotal, OptionalText, RequiredText } from './validators';

/** The paid order a refund draws on. */
export class RefundOrderDto {
  @OptionalText(64)
  merchantOrderNo?: string | null;

  @OptionalText(64)
  gatewayOrderNo?: string | null;

  @IsFen()
  totalAmount!: number;

  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO-8601 date-time, e.g. 2025-01-01T12:00:00+08:00' })
  paidAt?: string | null;

  @OptionalText(32)
  payMethod?: string | null;
}

/**
 * Body of `POST /refunds`. Shape and length checks only: the gateway's own limits (refund
 * number length, amount range) and the balance come from the core.
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
  @MaxLength(512, { message: 'must be at most 512 characters' })
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
      paidAt: order.paidAt ? new Date(order.paidAt) : null,
      payMethod: order.payMethod ?? null,
    },
    reason: dto.reason ?? null,
    notifyUrl: dto.notifyUrl ?? null,
    gatewayOptions: dto.gatewayOptions ?? {},
  };
}
