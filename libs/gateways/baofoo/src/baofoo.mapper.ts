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
  BAOFOO_OK,
  BAOFOO_STATUS,
  type BaofooAnswer,
  type BaofooFields,
  type BaofooQueryParams,
  type BaofooRefundParams,
} from './baofoo.types';

/** 32 hex chars. */
export function newBaofooNonce(): string {
  return randomBytes(16).toString('hex');
}

export function toBaofooRefundParams(request: GatewayRefundRequest, nonce: string): BaofooRefundParams {
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

export function toBaofooQueryParams(query: GatewayRefundQuery, nonce: string): BaofooQueryParams {
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
export type BaofooAnswerContext = AnswerContext;

export function mapBaofooRefundAnswer(fields: BaofooFields, context: BaofooAnswerContext): GatewayOutcome {
  const answer: BaofooAnswer = fields;
  const early = unreadable(answer, context);
  if (early) return early;
  if (answer.code !== BAOFOO_OK) {
    const code = answer.code ?? '';
    if (context.codes.failed.has(code)) {
      return { kind: 'failed', code, message: answer.message || 'Baofoo refused the refund' };
    }
    return refusalOfUnknownMeaning(answer, code, context.codes);
  }
  return mismatchOf(answer, context) ?? mapBaofooRefundStatus(answer);
}

export function mapBaofooQueryAnswer(fields: BaofooFields, context: BaofooAnswerContext): GatewayQueryOutcome {
  const answer: BaofooAnswer = fields;
  const early = unreadable(answer, context);
  if (early) return early;
  if (answer.code !== BAOFOO_OK) {
    const code = answer.code ?? '';
    if (context.codes.notFound.has(code)) {
      return { kind: 'not_found', code, message: answer.message || 'refund not found' };
    }
    // A refused *query* says nothing about the refund itself, so it never fails the refund.
    return refusalOfUnknownMeaning(answer, code, context.codes);
  }
  return mismatchOf(answer, context) ?? mapBaofooRefundStatus(answer);
}

/** The refund states of a signed answer that carries a refund. TODO: Baofoo's real states. */
export function mapBaofooRefundStatus(answer: BaofooAnswer): GatewayOutcome {
  const gatewayRefundNo = answer.gateway_refund_no || undefined;
  const rawStatus = answer.status ?? '';
  switch (rawStatus) {
    case BAOFOO_STATUS.processing:
      return { kind: 'processing', rawStatus, gatewayRefundNo };
    case BAOFOO_STATUS.succeeded:
      return { kind: 'succeeded', rawStatus, gatewayRefundNo, finishedAt: parseChinaTime(answer.finished_at) };
    case BAOFOO_STATUS.failed:
      return {
        kind: 'failed',
        rawStatus,
        gatewayRefundNo,
        code: answer.fail_code || 'BAOFOO_REFUND_FAILED',
        message: answer.fail_reason || 'refund failed',
      };
    default:
      return unknownOutcome('unrecognized', `Baofoo status '${rawStatus}' is not a refund state`, { rawStatus });
  }
}

/** The signature comes before any field is believed; an unsigned answer is not an answer. */
function unreadable(answer: BaofooAnswer, context: BaofooAnswerContext): UnknownOutcome | undefined {
  if (!context.signatureValid) return unknownOutcome('bad_signature', 'Baofoo answer is unsigned or wrongly signed');
  if (answer.code === undefined || answer.code === '') return unknownOutcome('malformed', 'Baofoo answer has no code');
  return undefined;
}

/** A code the operator has not named: whether the refund happened stays unknown. */
function refusalOfUnknownMeaning(answer: BaofooAnswer, code: string, codes: ErrorCodes): UnknownOutcome {
  return unlistedCodeOutcome({ gateway: 'Baofoo', code, message: answer.message, codes });
}

function mismatchOf(answer: BaofooAnswer, context: BaofooAnswerContext): UnknownOutcome | undefined {
  return answerMismatch({
    gateway: 'Baofoo',
    expected: { refundNo: context.refundNo, amount: context.amount },
    answered: { refundNo: answer.refund_no, amount: answer.amount },
    rawStatus: answer.status,
  });
}
