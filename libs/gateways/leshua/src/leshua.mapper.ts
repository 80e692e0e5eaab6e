import { randomBytes } from 'node:crypto';

import type {
  GatewayOutcome,
  GatewayQueryOutcome,
  GatewayRefundQuery,
  GatewayRefundRequest,
} from '@refundhub/core';

import { fenToLeshuaAmount, LeshuaAmountError, leshuaAmountToFen, parseLeshuaTime } from './leshua.codec';
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
    refund_amount: fenToLeshuaAmount(request.amount),
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
function orderRef(order: GatewayRefundRequest['order'] | GatewayRefundQuery['order']): {
  third_order_id?: string;
  leshua_order_id?: string;
} {
  return {
    ...(order.merchantOrderNo ? { third_order_id: order.merchantOrderNo } : {}),
    ...(order.gatewayOrderNo ? { leshua_order_id: order.gatewayOrderNo } : {}),
  };
}

/** What the gateway needs to know besides the answer itself to judge it. */
export interface LeshuaAnswerContext {
  /** Whether `sign` verified with the trade key (any allowed variant). */
  signatureValid: boolean;
  refundNo: string;
  unknownErrorCodes: ReadonlySet<string>;
}

export function mapLeshuaRefundAnswer(
  fields: LeshuaFields,
  context: LeshuaAnswerContext & { amount: number },
): GatewayOutcome {
  const answer: LeshuaResponse = fields;
  const early = communicationOutcome(answer, context);
  if (early) return early;
  if (answer.result_code !== '0') {
    const code = errorCode(answer);
    if (context.unknownErrorCodes.has(code)) return unknownFromError(answer, code);
    return { kind: 'failed', code, message: answer.error_msg || answer.resp_msg || '乐刷拒绝退款' };
  }
  const mismatch = amountMismatch(answer, context.amount) ?? refundNoMismatch(answer, context.refundNo);
  return mismatch ?? mapLeshuaRefundStatus(answer);
}

export function mapLeshuaQueryAnswer(
  fields: LeshuaFields,
  context: LeshuaAnswerContext & { notFoundErrorCodes: ReadonlySet<string> },
): GatewayQueryOutcome {
  const answer: LeshuaResponse = fields;
  const early = communicationOutcome(answer, context);
  if (early) return early;
  if (answer.result_code !== '0') {
    const code = errorCode(answer);
    if (context.notFoundErrorCodes.has(code)) {
      return { kind: 'not_found', code, message: answer.error_msg || 'refund not found' };
    }
    // A refused *query* says nothing about the refund itself, so it never fails the refund.
    return unknownFromError(answer, code);
  }
  return refundNoMismatch(answer, context.refundNo) ?? mapLeshuaRefundStatus(answer);
}

/** The refund states of a signed, successful answer (or a notification). */
export function mapLeshuaRefundStatus(answer: LeshuaResponse & { failure_reason?: string }): GatewayOutcome {
  const gatewayRefundNo = answer.leshua_refund_id || undefined;
  const rawStatus = answer.status ?? '';
  switch (rawStatus) {
    case LESHUA_STATUS.refunding:
      return { kind: 'processing', rawStatus, gatewayRefundNo };
    case LESHUA_STATUS.refunded:
      return {
        kind: 'succeeded',
        rawStatus,
        gatewayRefundNo,
        finishedAt: parseLeshuaTime(answer.refund_time),
      };
    case LESHUA_STATUS.refundFailed:
      return {
        kind: 'failed',
        rawStatus,
        gatewayRefundNo,
        code: hasError(answer.error_code) ? answer.error_code : 'LESHUA_STATUS_12',
        message: answer.failure_reason || answer.error_msg || '退款失败',
      };
    default:
      return { kind: 'unknown', rawStatus, reason: `Leshua status '${rawStatus}' is not a refund state` };
  }
}

/** resp_code and signature come before any business field (doc: resp_code is the communication flag). */
function communicationOutcome(
  answer: LeshuaResponse,
  context: LeshuaAnswerContext,
): GatewayOutcome | undefined {
  if (answer.resp_code !== '0') {
    return {
      kind: 'unknown',
      reason: `Leshua communication error resp_code=${answer.resp_code ?? '(missing)'}`,
      code: answer.resp_code,
      message: answer.resp_msg,
    };
  }
  if (!context.signatureValid) return { kind: 'unknown', reason: 'Leshua answer has a wrong signature' };
  if (answer.result_code === undefined || answer.result_code === '') {
    return { kind: 'unknown', reason: 'Leshua answer has no result_code' };
  }
  return undefined;
}

function unknownFromError(answer: LeshuaResponse, code: string): GatewayOutcome {
  return {
    kind: 'unknown',
    reason: `Leshua error ${code} does not tell the refund's state`,
    code,
    message: answer.error_msg,
  };
}

function errorCode(answer: LeshuaResponse): string {
  return answer.error_code || `LESHUA_RESULT_${answer.result_code ?? ''}`;
}

function hasError(code: string | undefined): code is string {
  return code !== undefined && code !== '' && code !== '0';
}

function amountMismatch(answer: LeshuaResponse, asked: number): GatewayOutcome | undefined {
  if (answer.refund_amount === undefined) return undefined;
  let answered: number | undefined;
  try {
    answered = leshuaAmountToFen(answer.refund_amount);
  } catch (error) {
    if (!(error instanceof LeshuaAmountError)) throw error;
  }
  if (answered === asked) return undefined;
  return {
    kind: 'unknown',
    rawStatus: answer.status,
    reason: `Leshua answered refund_amount '${answer.refund_amount}' for a refund of ${asked} fen`,
  };
}

function refundNoMismatch(answer: LeshuaResponse, refundNo: string): GatewayOutcome | undefined {
  if (answer.merchant_refund_id === undefined || answer.merchant_refund_id === refundNo) return undefined;
  return {
    kind: 'unknown',
    rawStatus: answer.status,
    reason: `Leshua answered about merchant_refund_id '${answer.merchant_refund_id}', not '${refundNo}'`,
  };
}
