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

import { ChaoyingParseError, parseChaoyingRefundList } from './chaoying.codec';
import {
  CHAOYING_REFUND_STATUS,
  CHAOYING_STATE,
  CHAOYING_TRADE_STATE,
  type ChaoyingFields,
  type ChaoyingListedRefund,
  type ChaoyingRefundAnswer,
  type ChaoyingRefundParams,
  type ChaoyingRefundQueryAnswer,
  type ChaoyingRefundQueryParams,
} from './chaoying.types';

/** Common parameters of every call, from the module's settings. */
export interface ChaoyingCommon {
  agentId: string | null;
  version: string;
  pid: string | null;
}

function common(settings: ChaoyingCommon): { agent_id?: string; version?: string; pid?: string } {
  return {
    ...(settings.agentId ? { agent_id: settings.agentId } : {}),
    version: settings.version,
    ...(settings.pid ? { pid: settings.pid } : {}),
  };
}

export function toChaoyingRefundParams(request: GatewayRefundRequest, settings: ChaoyingCommon): ChaoyingRefundParams {
  const { merchantOrderNo, gatewayOrderNo, totalAmount, payMethod } = request.order;
  return {
    method: 'refund',
    ...common(settings),
    // validate() made sure it is one of the documented paytypes.
    paytype: payMethod ?? '',
    mch_id: request.merchantId,
    // Exactly one order reference: the docs disagree on which wins when both are sent.
    ...(merchantOrderNo ? { out_trade_no: merchantOrderNo } : { transaction_id: gatewayOrderNo ?? '' }),
    out_refund_no: request.refundNo,
    total_fee: fenToWire(totalAmount),
    refund_fee: fenToWire(request.amount),
    op_user_id: request.merchantId,
  };
}

export function toChaoyingQueryParams(query: GatewayRefundQuery, settings: ChaoyingCommon): ChaoyingRefundQueryParams {
  return {
    method: 'refundquery',
    ...common(settings),
    paytype: query.order.payMethod ?? '',
    mch_id: query.merchantId,
    out_refund_no: query.refundNo,
    ...(query.gatewayRefundNo ? { refund_id: query.gatewayRefundNo } : {}),
  };
}

/** What the mapper needs besides the answer; the codes are the documented ones plus the operator's. */
export type ChaoyingAnswerContext = AnswerContext;

/**
 * The answer to `method=refund`. This API follows WeChat Pay v2: `state` and `trade_state` SUCCESS mean
 * the refund *application* was accepted, never that money moved, so the best it can say is `processing`.
 */
export function mapChaoyingRefundAnswer(fields: ChaoyingFields, context: ChaoyingAnswerContext): GatewayOutcome {
  const answer: ChaoyingRefundAnswer = fields;
  const early = signatureOutcome(answer, context);
  if (early) return early;
  if (answer.state === CHAOYING_STATE.success && answer.trade_state === CHAOYING_TRADE_STATE.success) {
    const mismatch = answerMismatch({
      gateway: 'ChaoYing',
      expected: { refundNo: context.refundNo, amount: context.amount },
      answered: { refundNo: answer.out_refund_no, amount: answer.refund_fee },
      rawStatus: answer.trade_state,
    });
    return (
      mismatch ?? { kind: 'processing', rawStatus: answer.trade_state, gatewayRefundNo: answer.refund_id || undefined }
    );
  }
  if (answer.trade_state === CHAOYING_TRADE_STATE.processing) {
    return { kind: 'processing', rawStatus: answer.trade_state, gatewayRefundNo: answer.refund_id || undefined };
  }
  return refusalOutcome(answer, context.codes);
}

/**
 * The answer to `method=refundquery`: our refund is found in `refund_list` by `out_refund_no` alone
 * (never by amount: several partial refunds of one order are listed together).
 */
export function mapChaoyingQueryAnswer(fields: ChaoyingFields, context: ChaoyingAnswerContext): GatewayQueryOutcome {
  const answer: ChaoyingRefundQueryAnswer = fields;
  const early = signatureOutcome(answer, context);
  if (early) return early;
  if (answer.state !== CHAOYING_STATE.success || answer.code !== '10000') {
    const code = codeOf(answer);
    if (answer.state === CHAOYING_STATE.success && context.codes.notFound.has(code)) {
      return { kind: 'not_found', code, message: answer.msg || '退款不存在' };
    }
    // A refused *query* says nothing about the refund itself, so it never fails the refund.
    return refusalOfUnknownMeaning(answer, code, context.codes);
  }
  let list: ChaoyingListedRefund[];
  try {
    list = parseChaoyingRefundList(answer.refund_list);
  } catch (error) {
    if (!(error instanceof ChaoyingParseError)) throw error;
    return unknownOutcome('malformed', `ChaoYing refundquery: ${error.message}`);
  }
  const ours = list.find((refund) => refund.out_refund_no === context.refundNo);
  if (!ours) {
    // A signed list of the order's other refunds is not "no such refund": only the not-found code is.
    const more =
      Number(answer.refund_count) > list.length ? ` (${answer.refund_count} refunds, ${list.length} listed)` : '';
    return unknownOutcome('mismatch', `ChaoYing refundquery listed other refunds, not '${context.refundNo}'${more}`);
  }
  const mismatch = answerMismatch({
    gateway: 'ChaoYing',
    expected: { refundNo: context.refundNo, amount: context.amount },
    answered: { amount: ours.refund_fee },
    rawStatus: ours.refund_status,
  });
  return mismatch ?? mapChaoyingListedRefund(ours);
}

/** `refund_status` of one listed refund. */
export function mapChaoyingListedRefund(refund: ChaoyingListedRefund): GatewayOutcome {
  const rawStatus = refund.refund_status ?? '';
  const gatewayRefundNo = refund.refund_id || undefined;
  switch (rawStatus) {
    case CHAOYING_REFUND_STATUS.success:
      return { kind: 'succeeded', rawStatus, gatewayRefundNo, finishedAt: parseChinaTime(refund.refund_time) };
    case CHAOYING_REFUND_STATUS.fail:
      return {
        kind: 'failed',
        rawStatus,
        gatewayRefundNo,
        code: 'CHAOYING_REFUND_FAIL',
        message: '超赢退款失败 (refund_status FAIL)',
      };
    case CHAOYING_REFUND_STATUS.processing:
    case CHAOYING_REFUND_STATUS.notSure:
      // NOTSURE (未确定) is settled by querying again: still in progress for us.
      return { kind: 'processing', rawStatus, gatewayRefundNo };
    case CHAOYING_REFUND_STATUS.change:
      return {
        kind: 'needs_attention',
        reason: 'gateway_change',
        rawStatus,
        gatewayRefundNo,
        message: 'ChaoYing moved the refund to manual payout (CHANGE 转入代发): a person must pay it out and settle it',
      };
    default:
      return {
        kind: 'unknown',
        reason: 'unrecognized',
        detail: `ChaoYing refund_status '${rawStatus}' is not a refund state`,
        rawStatus,
      };
  }
}

/**
 * Unsigned answers are not answers: a missing or wrong sign is `bad_signature` whatever the answer says,
 * refusals included (an unsigned refusal that released the money could be anyone's). Its code and
 * message are kept for support.
 */
function signatureOutcome(
  answer: { state?: string; code?: string; msg?: string; sign?: string },
  context: ChaoyingAnswerContext,
): UnknownOutcome | undefined {
  if (context.signatureValid) return undefined;
  const detail = answer.sign ? 'ChaoYing answer is wrongly signed' : 'ChaoYing answer is unsigned';
  return unknownOutcome('bad_signature', detail, { code: answer.code, message: answer.msg, rawStatus: answer.state });
}

function refusalOutcome(answer: ChaoyingRefundAnswer, codes: ErrorCodes): GatewayOutcome {
  // VER (版本过低): the gateway refused our protocol version; nothing was refunded.
  if (answer.state === CHAOYING_STATE.versionTooLow) {
    return { kind: 'failed', rawStatus: answer.state, code: 'VER', message: answer.msg || '版本过低' };
  }
  const code = codeOf(answer);
  if (answer.trade_state === CHAOYING_TRADE_STATE.needQuery) {
    return unknownOutcome('gateway_busy', 'ChaoYing answered NEED_QUERY: the refund is queried', {
      code,
      message: answer.msg,
      rawStatus: answer.trade_state,
    });
  }
  if (codes.failed.has(code)) {
    return {
      kind: 'failed',
      rawStatus: answer.trade_state || answer.state,
      code,
      message: answer.msg || '超赢拒绝退款',
    };
  }
  return refusalOfUnknownMeaning(answer, code, codes);
}

/** A code the module does not list as a refusal: whether the refund happened stays unknown. */
function refusalOfUnknownMeaning(
  answer: { state?: string; msg?: string; trade_state?: string },
  code: string,
  codes: ErrorCodes,
): UnknownOutcome {
  return unlistedCodeOutcome({
    gateway: 'ChaoYing',
    code,
    message: answer.msg,
    rawStatus: answer.trade_state || answer.state,
    codes,
  });
}

function codeOf(answer: { state?: string; code?: string }): string {
  return answer.code || `CHAOYING_STATE_${answer.state ?? ''}`;
}
