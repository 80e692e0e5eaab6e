import { randomBytes } from 'node:crypto';

import type {
  GatewayOutcome,
  GatewayQueryOutcome,
  GatewayRefundQuery,
  GatewayRefundRequest,
  UnknownOutcome,
} from '@refundhub/core';
import {
  answerMismatch,
  fenToWire,
  parseChinaTime,
  unknownOutcome,
  unlistedCodeOutcome,
  type AnswerContext,
  type ErrorCodes,
} from '@refundhub/gateway-kit';

import {
  __ID_UPPER___OK,
  __ID_UPPER___STATUS,
  type __Id__Answer,
  type __Id__Fields,
  type __Id__QueryParams,
  type __Id__RefundParams,
} from './__ID__.types';

/** 32 hex chars. */
export function new__Id__Nonce(): string {
  return randomBytes(16).toString('hex');
}

export function to__Id__RefundParams(request: GatewayRefundRequest, nonce: string): __Id__RefundParams {
  return {
    merchant_id: request.merchantId,
    ...orderRef(request.order),
    refund_no: request.refundNo,
    amount: fenToWire(request.amount),
    ...(request.reason ? { reason: request.reason } : {}),
    ...(request.gatewayNotifyUrl ? { notify_url: request.gatewayNotifyUrl } : {}),
    nonce,
  };
}

export function to__Id__QueryParams(query: GatewayRefundQuery, nonce: string): __Id__QueryParams {
  return {
    merchant_id: query.merchantId,
    ...orderRef(query.order),
    refund_no: query.refundNo,
    ...(query.gatewayRefundNo ? { gateway_refund_no: query.gatewayRefundNo } : {}),
    nonce,
  };
}

function orderRef(order: GatewayRefundRequest['order']): { order_no?: string; gateway_order_no?: string } {
  return {
    ...(order.merchantOrderNo ? { order_no: order.merchantOrderNo } : {}),
    ...(order.gatewayOrderNo ? { gateway_order_no: order.gatewayOrderNo } : {}),
  };
}

/** What the mapper needs besides the answer; the codes are the documented ones plus the operator's. */
export type __Id__AnswerContext = AnswerContext;

export function map__Id__RefundAnswer(fields: __Id__Fields, context: __Id__AnswerContext): GatewayOutcome {
  const answer: __Id__Answer = fields;
  const early = unreadable(answer, context);
  if (early) return early;
  if (answer.code !== __ID_UPPER___OK) {
    const code = answer.code ?? '';
    if (context.codes.failed.has(code)) {
      return { kind: 'failed', code, message: answer.message || '__Id__ refused the refund' };
    }
    return refusalOfUnknownMeaning(answer, code, context.codes);
  }
  return mismatchOf(answer, context) ?? map__Id__RefundStatus(answer);
}

export function map__Id__QueryAnswer(fields: __Id__Fields, context: __Id__AnswerContext): GatewayQueryOutcome {
  const answer: __Id__Answer = fields;
  const early = unreadable(answer, context);
  if (early) return early;
  if (answer.code !== __ID_UPPER___OK) {
    const code = answer.code ?? '';
    if (context.codes.notFound.has(code)) {
      return { kind: 'not_found', code, message: answer.message || 'refund not found' };
    }
    // A refused *query* says nothing about the refund itself, so it never fails the refund.
    return refusalOfUnknownMeaning(answer, code, context.codes);
  }
  return mismatchOf(answer, context) ?? map__Id__RefundStatus(answer);
}

/** The refund states of a signed answer that carries a refund. TODO: __Id__'s real states. */
export function map__Id__RefundStatus(answer: __Id__Answer): GatewayOutcome {
  const gatewayRefundNo = answer.gateway_refund_no || undefined;
  const rawStatus = answer.status ?? '';
  switch (rawStatus) {
    case __ID_UPPER___STATUS.processing:
      return { kind: 'processing', rawStatus, gatewayRefundNo };
    case __ID_UPPER___STATUS.succeeded:
      return { kind: 'succeeded', rawStatus, gatewayRefundNo, finishedAt: parseChinaTime(answer.finished_at) };
    case __ID_UPPER___STATUS.failed:
      return {
        kind: 'failed',
        rawStatus,
        gatewayRefundNo,
        code: answer.fail_code || '__ID_UPPER___REFUND_FAILED',
        message: answer.fail_reason || 'refund failed',
      };
    default:
      return unknownOutcome('unrecognized', `__Id__ status '${rawStatus}' is not a refund state`, { rawStatus });
  }
}

/** The signature comes before any field is believed; an unsigned answer is not an answer. */
function unreadable(answer: __Id__Answer, context: __Id__AnswerContext): UnknownOutcome | undefined {
  if (!context.signatureValid) return unknownOutcome('bad_signature', '__Id__ answer is unsigned or wrongly signed');
  if (answer.code === undefined || answer.code === '') return unknownOutcome('malformed', '__Id__ answer has no code');
  return undefined;
}

/** A code the operator has not named: whether the refund happened stays unknown. */
function refusalOfUnknownMeaning(answer: __Id__Answer, code: string, codes: ErrorCodes): UnknownOutcome {
  return unlistedCodeOutcome({ gateway: '__Id__', code, message: answer.message, codes });
}

function mismatchOf(answer: __Id__Answer, context: __Id__AnswerContext): UnknownOutcome | undefined {
  return answerMismatch({
    gateway: '__Id__',
    expected: { refundNo: context.refundNo, amount: context.amount },
    answered: { refundNo: answer.refund_no, amount: answer.amount },
    rawStatus: answer.status,
  });
}
