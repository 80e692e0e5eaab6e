import type {
  GatewayOutcome,
  GatewayQueryOutcome,
  GatewayRefundQuery,
  GatewayRefundRequest,
  GatewayRefundSnapshot,
  UnknownOutcome,
} from '@refundhub/core';
import {
  answerMismatch,
  fenToWire,
  formatChinaTime,
  unknownOutcome,
  unlistedCodeOutcome,
  type AnswerContext,
} from '@refundhub/gateway-kit';

import { umfPayTypeOf } from './umf.pay-type';
import {
  UMF_API_VERSION,
  UMF_QUERY_STATUS,
  UMF_RET_CODE,
  type UmfFields,
  type UmfQueryAnswer,
  type UmfQueryParams,
  type UmfRefundAnswer,
  type UmfRefundParams,
} from './umf.types';

/** What a request carries besides the refund: the merchant's 集成商ID and the notify URL UMF accepts. */
export interface UmfRequestExtras {
  proxyId: string;
  /** Already checked against UMF's rule; absent when there is none or UMF would refuse it. */
  notifyUrl?: string;
}

export function toUmfRefundParams(request: GatewayRefundRequest, extras: UmfRequestExtras): UmfRefundParams {
  return {
    subMerId: request.merchantId,
    // validate() made sure the pay method maps and the order was paid at a known time.
    payType: umfPayTypeOf(request.order.payMethod) ?? 'AL',
    proxyId: extras.proxyId,
    amount: fenToWire(request.amount),
    partnerOrderId: request.order.merchantOrderNo ?? '',
    refundPartnerOrderId: request.refundNo,
    orderDate: orderDateOf(request),
    apiVersion: UMF_API_VERSION,
    ...requestStamp(request.now),
    ...optionalText(request, 'shopNo'),
    ...optionalText(request, 'operator'),
    ...(extras.notifyUrl ? { notifyUrl: extras.notifyUrl } : {}),
  };
}

/** By our refund number: after a lost answer it is all we have (PROTOCOLS.md §5a). */
export function toUmfQueryParams(query: GatewayRefundQuery, extras: Pick<UmfRequestExtras, 'proxyId'>): UmfQueryParams {
  const orderDate = orderDateOf(query);
  return {
    subMerId: query.merchantId,
    proxyId: extras.proxyId,
    ...requestStamp(query.now),
    partnerOrderId: query.order.merchantOrderNo ?? '',
    refundPartnerOrderId: query.refundNo,
    ...(orderDate ? { orderDate } : {}),
    version: UMF_API_VERSION,
    ...optionalText(query, 'shopNo'),
    ...optionalText(query, 'operator'),
  };
}

/** What the mapper needs besides the answer; the codes are the documented ones plus the operator's. */
export interface UmfAnswerContext extends AnswerContext {
  /** The order the refund belongs to: an answer about another order is not about this refund. */
  partnerOrderId: string;
  /** The order's total, fen: what a query answer's `amount` (订单金额) should say. */
  orderAmount: number;
}

/**
 * The answer to `/online/refund`: `0000` means the refund was *accepted* (受理成功), never that money
 * moved, so the best it can say is `processing`. Checked in order: signature, code, "our refund".
 */
export function mapUmfRefundAnswer(fields: UmfFields, context: UmfAnswerContext): GatewayOutcome {
  const answer: UmfRefundAnswer = fields;
  const message = answer.Memo || answer.retMsg;
  const early = signatureOutcome(answer.sign, answer.retCode, message, context);
  if (early) return early;
  const code = answer.retCode ?? '';
  if (code !== UMF_RET_CODE.success) {
    if (context.codes.failed.has(code)) {
      return { kind: 'failed', rawStatus: code, code, message: message || '联动优势拒绝退款' };
    }
    return unlistedCodeOutcome({
      gateway: 'UMF',
      code: code || '(none)',
      message,
      rawStatus: code,
      codes: context.codes,
    });
  }
  return (
    mismatchOutcome(answer, context, { compareAmount: true }) ?? { kind: 'processing', rawStatus: UMF_RET_CODE.success }
  );
}

/**
 * The answer to `/refund/query`: `retCode` 0000 says the *query* worked, `status` says the refund's
 * state (1 成功, 2 失败, 其他当受理中). A refused query says nothing about the refund, so it never fails it.
 */
export function mapUmfQueryAnswer(fields: UmfFields, context: UmfAnswerContext): GatewayQueryOutcome {
  const answer: UmfQueryAnswer = fields;
  const early = signatureOutcome(answer.sign, answer.retCode, answer.retMsg, context);
  if (early) return early;
  const code = answer.retCode ?? '';
  if (code !== UMF_RET_CODE.success) {
    if (context.codes.notFound.has(code)) return { kind: 'not_found', code, message: answer.retMsg || '退款不存在' };
    const unknown = unlistedCodeOutcome({
      gateway: 'UMF',
      code: code || '(none)',
      message: answer.retMsg,
      rawStatus: code,
      codes: context.codes,
    });
    // A listed refusal code on a query refused the query, not the refund.
    return context.codes.failed.has(code)
      ? unknownOutcome('unrecognized', `UMF refused the query with ${code}; the refund is queried again`, unknown)
      : unknown;
  }
  const mismatch = mismatchOutcome(answer, context, { compareAmount: false }) ?? queryAmountMismatch(answer, context);
  if (mismatch) return mismatch;
  const status = answer.status ?? '';
  switch (status) {
    case UMF_QUERY_STATUS.succeeded:
      // The answer has no finish time (resDate/resTime is when it was written): the core stamps its own.
      return { kind: 'succeeded', rawStatus: status };
    case UMF_QUERY_STATUS.failed:
      return {
        kind: 'failed',
        rawStatus: status,
        code: 'UMF_REFUND_FAILED',
        message: answer.retMsg && answer.retMsg !== '成功' ? answer.retMsg : '联动优势退款失败 (status 2)',
      };
    default:
      return { kind: 'processing', rawStatus: status === '' ? '(none)' : status };
  }
}

/**
 * Unsigned answers are not answers: a missing, empty or wrong sign is `bad_signature` whatever the
 * answer says, refusals included (an unsigned refusal that released the money could be anyone's).
 */
function signatureOutcome(
  sign: string | undefined,
  code: string | undefined,
  message: string | undefined,
  context: UmfAnswerContext,
): UnknownOutcome | undefined {
  if (context.signatureValid) return undefined;
  const detail = sign ? 'UMF answer is wrongly signed' : 'UMF answer is unsigned';
  return unknownOutcome('bad_signature', detail, { code, message, rawStatus: code });
}

function mismatchOutcome(
  answer: { partnerOrderId?: string; refundPartnerOrderId?: string; amount?: string; retCode?: string },
  context: UmfAnswerContext,
  options: { compareAmount: boolean },
): UnknownOutcome | undefined {
  if (answer.partnerOrderId && answer.partnerOrderId !== context.partnerOrderId) {
    return unknownOutcome(
      'mismatch',
      `UMF answered about order '${answer.partnerOrderId}', not '${context.partnerOrderId}'`,
      { rawStatus: answer.retCode },
    );
  }
  return answerMismatch({
    gateway: 'UMF',
    expected: { refundNo: context.refundNo, amount: options.compareAmount ? context.amount : undefined },
    answered: {
      refundNo: answer.refundPartnerOrderId || undefined,
      amount: options.compareAmount ? answer.amount || undefined : undefined,
    },
    rawStatus: answer.retCode,
  });
}

/**
 * The query's `amount` is documented as 订单金额 (打印小票使用), the order's; the refund request's
 * `amount` column carries the same label yet means the refund's. Either reading is accepted; an amount
 * that is neither (or unreadable) is about something else.
 */
function queryAmountMismatch(answer: UmfQueryAnswer, context: UmfAnswerContext): UnknownOutcome | undefined {
  if (!answer.amount) return undefined;
  const asOrder = answerMismatch({
    gateway: 'UMF',
    expected: { refundNo: context.refundNo, amount: context.orderAmount },
    answered: { amount: answer.amount },
    rawStatus: answer.status,
  });
  if (!asOrder) return undefined;
  return answerMismatch({
    gateway: 'UMF',
    expected: { refundNo: context.refundNo, amount: context.amount },
    answered: { amount: answer.amount },
    rawStatus: answer.status,
  })
    ? unknownOutcome(
        'mismatch',
        `UMF answered amount '${answer.amount}' for a refund of ${context.amount} fen of an order of ${context.orderAmount} fen`,
        { rawStatus: answer.status },
      )
    : undefined;
}

/** `reqDate` / `reqTime`: the core's clock in China time, whatever the server's zone. */
function requestStamp(now: Date): { reqDate: string; reqTime: string } {
  return { reqDate: formatChinaTime(now, 'yyyyMMdd'), reqTime: formatChinaTime(now, 'HHmmss') };
}

/** 原订单日期: the China date the order was paid. */
function orderDateOf(refund: GatewayRefundSnapshot): string {
  const { paidAt } = refund.order;
  return paidAt && !Number.isNaN(paidAt.getTime()) ? formatChinaTime(paidAt, 'yyyyMMdd') : '';
}

/** `shopNo` / `operator` from the refund's gateway options, sent only when given. */
function optionalText(refund: GatewayRefundSnapshot, name: 'shopNo' | 'operator'): Record<string, string> {
  const value = refund.gatewayOptions[name];
  return typeof value === 'string' && value.trim() !== '' ? { [name]: value.trim() } : {};
}
