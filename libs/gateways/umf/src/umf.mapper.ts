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
  UMF_OK,
  UMF_STATUS,
  type UmfAnswer,
  type UmfFields,
  type UmfQueryParams,
  type UmfRefundParams,
} from './umf.types';

/** 32 hex chars. */
export function newUmfNonce(): string {
  return randomBytes(16).toString('hex');
}

export function toUmfRefundParams(request: GatewayRefundRequest, nonce: string): UmfRefundParams {
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

export function toUmfQueryParams(query: GatewayRefundQuery, nonce: string): UmfQueryParams {
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
export type UmfAnswerContext = AnswerContext;

export function mapUmfRefundAnswer(fields: UmfFields, context: UmfAnswerContext): GatewayOutcome {
  const answer: UmfAnswer = fields;
  const early = unreadable(answer, context);
  if (early) return early;
  if (answer.code !== UMF_OK) {
    const code = answer.code ?? '';
    if (context.codes.failed.has(code)) {
      return { kind: 'failed', code, message: answer.message || 'Umf refused the refund' };
    }
    return refusalOfUnknownMeaning(answer, code, context.codes);
  }
  return mismatchOf(answer, context) ?? mapUmfRefundStatus(answer);
}

export function mapUmfQueryAnswer(fields: UmfFields, context: UmfAnswerContext): GatewayQueryOutcome {
  const answer: UmfAnswer = fields;
  const early = unreadable(answer, context);
  if (early) return early;
  if (answer.code !== UMF_OK) {
    const code = answer.code ?? '';
    if (context.codes.notFound.has(code)) {
      return { kind: 'not_found', code, message: answer.message || 'refund not found' };
    }
    // A refused *query* says nothing about the refund itself, so it never fails the refund.
    return refusalOfUnknownMeaning(answer, code, context.codes);
  }
  return mismatchOf(answer, context) ?? mapUmfRefundStatus(answer);
}

/** The refund states of a signed answer that carries a refund. TODO: Umf's real states. */
export function mapUmfRefundStatus(answer: UmfAnswer): GatewayOutcome {
  const gatewayRefundNo = answer.gateway_refund_no || undefined;
  const rawStatus = answer.status ?? '';
  switch (rawStatus) {
    case UMF_STATUS.processing:
      return { kind: 'processing', rawStatus, gatewayRefundNo };
    case UMF_STATUS.succeeded:
      return { kind: 'succeeded', rawStatus, gatewayRefundNo, finishedAt: parseChinaTime(answer.finished_at) };
    case UMF_STATUS.failed:
      return {
        kind: 'failed',
        rawStatus,
        gatewayRefundNo,
        code: answer.fail_code || 'UMF_REFUND_FAILED',
        message: answer.fail_reason || 'refund failed',
      };
    default:
      return unknownOutcome('unrecognized', `Umf status '${rawStatus}' is not a refund state`, { rawStatus });
  }
}

/** The signature comes before any field is believed; an unsigned answer is not an answer. */
function unreadable(answer: UmfAnswer, context: UmfAnswerContext): UnknownOutcome | undefined {
  if (!context.signatureValid) return unknownOutcome('bad_signature', 'Umf answer is unsigned or wrongly signed');
  if (answer.code === undefined || answer.code === '') return unknownOutcome('malformed', 'Umf answer has no code');
  return undefined;
}

/** A code the operator has not named: whether the refund happened stays unknown. */
function refusalOfUnknownMeaning(answer: UmfAnswer, code: string, codes: ErrorCodes): UnknownOutcome {
  return unlistedCodeOutcome({ gateway: 'Umf', code, message: answer.message, codes });
}

function mismatchOf(answer: UmfAnswer, context: UmfAnswerContext): UnknownOutcome | undefined {
  return answerMismatch({
    gateway: 'Umf',
    expected: { refundNo: context.refundNo, amount: context.amount },
    answered: { refundNo: answer.refund_no, amount: answer.amount },
    rawStatus: answer.status,
  });
}
