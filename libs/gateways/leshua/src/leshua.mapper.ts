import { randomBytes } from 'node:crypto';

import type {
  GatewayOrderFacts,
  GatewayOutcome,
  GatewayQueryOutcome,
  GatewayRefundQuery,
  GatewayRefundRequest,
  UnknownOutcome,
} from '@refundhub/core';
import {
  AmountError,
  answerMismatch,
  fenToWire,
  parseChinaTime,
  unknownOutcome,
  unlistedCodeOutcome,
  wireToFen,
  type AnswerContext,
} from '@refundhub/gateway-kit';

import {
  LESHUA_STATUS,
  type LeshuaFields,
  type LeshuaRefundParams,
  type LeshuaRefundQueryParams,
  type LeshuaResponse,
} from './leshua.types';

/** 32 hex chars: the doc's limit for `nonce_str`. */
export function newLeshuaNonce(): string {
  return randomBytes(16).toString('hex');
}

/** The value sent as `notify_url` (see the `notifyUrlEncoding` option). */
export function encodeLeshuaNotifyUrl(url: string, encoding: 'encoded' | 'raw'): string {
  return encoding === 'encoded' ? encodeURIComponent(url) : url;
}

export function toLeshuaRefundParams(
  request: GatewayRefundRequest,
  options: { nonce: string; notifyUrlEncoding: 'encoded' | 'raw' },
): LeshuaRefundParams {
  return {
    service: 'unified_refund',
    merchant_id: request.merchantId,
    ...orderRef(request.order),
    merchant_refund_id: request.refundNo,
    refund_amount: fenToWire(request.amount),
    nonce_str: options.nonce,
    ...(request.gatewayNotifyUrl
      ? { notify_url: encodeLeshuaNotifyUrl(request.gatewayNotifyUrl, options.notifyUrlEncoding) }
      : {}),
  };
}

export function toLeshuaQueryParams(query: GatewayRefundQuery, nonce: string): LeshuaRefundQueryParams {
  return {
    service: 'unified_query_refund',
    merchant_id: query.merchantId,
    ...orderRef(query.order),
    merchant_refund_id: query.refundNo,
    ...(query.gatewayRefundNo ? { leshua_refund_id: query.gatewayRefundNo } : {}),
    nonce_str: nonce,
  };
}

/** Both refs when we have both; Leshua uses leshua_order_id first (doc 1099885). */
function orderRef(order: GatewayRefundRequest['order']): { third_order_id?: string; leshua_order_id?: string } {
  return {
    ...(order.merchantOrderNo ? { third_order_id: order.merchantOrderNo } : {}),
    ...(order.gatewayOrderNo ? { leshua_order_id: order.gatewayOrderNo } : {}),
  };
}

/** What the mapper needs besides the answer; the codes are the operator's (Leshua's own table was not available). */
export type LeshuaAnswerContext = AnswerContext;

export function mapLeshuaRefundAnswer(fields: LeshuaFields, context: LeshuaAnswerContext): GatewayOutcome {
  const answer: LeshuaResponse = fields;
  const early = communicationOutcome(answer, context);
  if (early) return early;
  if (answer.result_code !== '0') {
    const code = errorCode(answer);
    if (context.codes.failed.has(code)) {
      return { kind: 'failed', code, message: answer.error_msg || answer.resp_msg || '乐刷拒绝退款' };
    }
    return refusalOfUnknownMeaning(answer, code, context.codes);
  }
  return mismatchOf(answer, context) ?? mapLeshuaRefundStatus(answer);
}

export function mapLeshuaQueryAnswer(fields: LeshuaFields, context: LeshuaAnswerContext): GatewayQueryOutcome {
  const answer: LeshuaResponse = fields;
  const early = communicationOutcome(answer, context);
  if (early) return early;
  if (answer.result_code !== '0') {
    const code = errorCode(answer);
    if (context.codes.notFound.has(code)) {
      return { kind: 'not_found', code, message: answer.error_msg || 'refund not found' };
    }
    // A refused *query* says nothing about the refund itself, so it never fails the refund.
    return refusalOfUnknownMeaning(answer, code, context.codes);
  }
  return mismatchOf(answer, context) ?? mapLeshuaRefundStatus(answer);
}

/** The refund states of a signed, successful answer (or a notification). */
export function mapLeshuaRefundStatus(answer: LeshuaResponse & { failure_reason?: string }): GatewayOutcome {
  const gatewayRefundNo = answer.leshua_refund_id || undefined;
  const rawStatus = answer.status ?? '';
  const order = leshuaOrderFacts(answer);
  switch (rawStatus) {
    case LESHUA_STATUS.refunding:
      return { kind: 'processing', rawStatus, gatewayRefundNo, order };
    case LESHUA_STATUS.refunded:
      return { kind: 'succeeded', rawStatus, gatewayRefundNo, finishedAt: parseChinaTime(answer.refund_time), order };
    case LESHUA_STATUS.refundFailed:
      return {
        kind: 'failed',
        rawStatus,
        gatewayRefundNo,
        code: hasError(answer.error_code) ? answer.error_code : 'LESHUA_STATUS_12',
        message: answer.failure_reason || answer.error_msg || '退款失败',
        order,
      };
    default:
      // The raw status is kept even when empty: support reads "Leshua said ''" as an answer of its own.
      return {
        kind: 'unknown',
        reason: 'unrecognized',
        detail: `Leshua status '${rawStatus}' is not a refund state`,
        rawStatus,
      };
  }
}

/**
 * The order as a signed answer about a refund names it: `third_order_id`, `leshua_order_id` and
 * `total_amount` (docs 1099885, 1099886, 1099889). Only what is there; an unreadable total, or one
 * below 1 fen (no paid order has it: an answer that leaves the field at 0 says nothing), is left out
 * rather than guessed. Refusals (`result_code` ≠ 0) echo the request and never reach here.
 */
export function leshuaOrderFacts(answer: LeshuaResponse): GatewayOrderFacts | undefined {
  const facts: GatewayOrderFacts = {
    ...(answer.third_order_id ? { merchantOrderNo: answer.third_order_id } : {}),
    ...(answer.leshua_order_id ? { gatewayOrderNo: answer.leshua_order_id } : {}),
    ...totalOf(answer.total_amount),
  };
  return Object.keys(facts).length ? facts : undefined;
}

function totalOf(wire: string | undefined): { totalAmount?: number } {
  if (!wire) return {};
  try {
    const totalAmount = wireToFen(wire);
    return totalAmount >= 1 ? { totalAmount } : {};
  } catch (error) {
    if (error instanceof AmountError) return {};
    throw error;
  }
}

/** resp_code and signature come before any business field (doc: resp_code is the communication flag). */
function communicationOutcome(answer: LeshuaResponse, context: LeshuaAnswerContext): UnknownOutcome | undefined {
  if (answer.resp_code !== '0') {
    return unknownOutcome('unrecognized', `Leshua communication error resp_code=${answer.resp_code ?? '(missing)'}`, {
      code: answer.resp_code,
      message: answer.resp_msg,
    });
  }
  // Unsigned answers are not answers: a missing sign fails verification like a wrong one.
  if (!context.signatureValid) return unknownOutcome('bad_signature', 'Leshua answer is unsigned or wrongly signed');
  if (answer.result_code === undefined || answer.result_code === '') {
    return unknownOutcome('malformed', 'Leshua answer has no result_code');
  }
  return undefined;
}

/** An error code the operator has not named: whether the refund happened stays unknown. */
function refusalOfUnknownMeaning(answer: LeshuaResponse, code: string, codes: AnswerContext['codes']): UnknownOutcome {
  return unlistedCodeOutcome({ gateway: 'Leshua', code, message: answer.error_msg, codes });
}

function mismatchOf(answer: LeshuaResponse, context: LeshuaAnswerContext): UnknownOutcome | undefined {
  return answerMismatch({
    gateway: 'Leshua',
    expected: { refundNo: context.refundNo, amount: context.amount },
    answered: { refundNo: answer.merchant_refund_id, amount: answer.refund_amount },
    rawStatus: answer.status,
  });
}

function errorCode(answer: LeshuaResponse): string {
  return answer.error_code || `LESHUA_RESULT_${answer.result_code ?? ''}`;
}

function hasError(code: string | undefined): code is string {
  return code !== undefined && code !== '' && code !== '0';
}
