import type {
  GatewayOutcome,
  GatewayQueryOutcome,
  GatewayRefundQuery,
  GatewayRefundRequest,
  UnknownOutcome,
} from '@refundhub/core';
import {
  answerMismatch,
  formatChinaTime,
  parseChinaTime,
  unknownOutcome,
  unlistedCodeOutcome,
} from '@refundhub/gateway-kit';

import { BaofooParseError, parseBaofooQueryAnswerData, parseBaofooRefundAnswerData } from './baofoo.codec';
import type { BaofooErrorCodes, BaofooTxnTimeVariant } from './baofoo.options';
import { readBaofooRefundExtras } from './baofoo.refund-options';
import {
  BAOFOO_REFUND_STATE,
  BAOFOO_RESULT_CODE,
  BAOFOO_RETURN_CODE,
  type BaofooAnswerEnvelope,
  type BaofooRefundBizContent,
  type BaofooRefundQueryBizContent,
  type BaofooResultData,
} from './baofoo.types';

const GATEWAY = 'Baofoo';
const NOTIFY_URL_MAX = 128;

/**
 * `order_refund` bizContent. Field order follows the seed (and PROTOCOLS.md's vector); it does not
 * matter to Baofoo, only that the string signed is the string sent.
 */
export function toBaofooRefundBizContent(
  request: GatewayRefundRequest,
  settings: { terId: string; txnTime: BaofooTxnTimeVariant },
): BaofooRefundBizContent {
  const { gatewayOrderNo, merchantOrderNo, paidAt } = request.order;
  const { extras } = readBaofooRefundExtras(request.gatewayOptions);
  const notifyUrl = request.gatewayNotifyUrl;
  const txnTime = settings.txnTime === 'paid_at' && paidAt ? paidAt : request.now;
  return {
    merId: request.merchantId,
    terId: settings.terId,
    // originTradeNo is the one Baofoo recommends; exactly one of the two is sent.
    ...(gatewayOrderNo ? { originTradeNo: gatewayOrderNo } : { originOutTradeNo: merchantOrderNo ?? '' }),
    outTradeNo: request.refundNo,
    // A longer URL would be refused with the whole refund; without it the refund relies on queries.
    ...(notifyUrl && notifyUrl.length <= NOTIFY_URL_MAX ? { notifyUrl } : {}),
    refundAmt: request.amount,
    totalAmt: request.amount + (extras.mktRefundInfo?.mktAmt ?? 0),
    txnTime: formatChinaTime(txnTime, 'yyyyMMddHHmmss'),
    ...(extras.sharingRefundInfo ? { sharingRefundInfo: extras.sharingRefundInfo } : {}),
    ...(extras.mktRefundInfo ? { mktRefundInfo: extras.mktRefundInfo } : {}),
    ...(extras.advanceAmt !== undefined ? { advanceAmt: extras.advanceAmt } : {}),
    refundReason: request.reason?.trim() ?? '',
  };
}

/** `refund_query` bizContent: by our refund number always (all there is after a lost answer), and Baofoo's once known. */
export function toBaofooQueryBizContent(
  query: GatewayRefundQuery,
  settings: { terId: string },
): BaofooRefundQueryBizContent {
  return {
    merId: query.merchantId,
    terId: settings.terId,
    outTradeNo: query.refundNo,
    ...(query.gatewayRefundNo ? { tradeNo: query.gatewayRefundNo } : {}),
  };
}

/** What the mapper needs besides the answer: see the kit's `AnswerContext`, with Baofoo's code lists. */
export interface BaofooAnswerContext {
  /** Whether `signStr` verified over the received `dataContent`. */
  signatureValid: boolean;
  refundNo: string;
  /** Fen. */
  amount: number;
  codes: BaofooErrorCodes;
}

/** The answer to `order_refund`: signature, then codes, then "is it about our refund", then the state. */
export function mapBaofooRefundAnswer(envelope: BaofooAnswerEnvelope, context: BaofooAnswerContext): GatewayOutcome {
  const data = signedData(envelope, context, parseBaofooRefundAnswerData);
  if (data.kind === 'unknown') return data;
  const answer = data.value;
  const refusal = codeOutcome(answer, { call: 'refund', codes: context.codes });
  if (refusal) return refusal;
  const mismatch = answerMismatch({
    gateway: GATEWAY,
    expected: { refundNo: context.refundNo, amount: context.amount },
    answered: { refundNo: answer.outTradeNo, amount: answer.refundAmt },
    rawStatus: answer.refundState,
  });
  if (mismatch) return mismatch;
  // 业务受理成功 without a state is an accepted refund.
  if (!answer.refundState) return { kind: 'processing', rawStatus: BAOFOO_RESULT_CODE.success, ...refundNo(answer) };
  return stateOutcome(answer);
}

/** The answer to `refund_query`. A refused query says nothing about the refund, except "no such refund" (ORDER_NOT_EXIST). */
export function mapBaofooQueryAnswer(
  envelope: BaofooAnswerEnvelope,
  context: BaofooAnswerContext,
): GatewayQueryOutcome {
  const data = signedData(envelope, context, parseBaofooQueryAnswerData);
  if (data.kind === 'unknown') return data;
  const answer = data.value;
  const code = errorCodeOf(answer);
  if (code !== undefined && context.codes.notFound.has(code)) {
    return { kind: 'not_found', code, message: answer.errMsg || '退款订单不存在' };
  }
  const refusal = codeOutcome(answer, { call: 'query', codes: context.codes });
  if (refusal) return refusal;
  const mismatch = answerMismatch({
    gateway: GATEWAY,
    expected: { refundNo: context.refundNo, amount: context.amount },
    answered: { refundNo: answer.outTradeNo, amount: answer.succAmt },
    rawStatus: answer.refundState,
  });
  if (mismatch) return mismatch;
  if (!answer.refundState) {
    return unknownOutcome('unrecognized', 'Baofoo refund_query answered without a refundState', {
      rawStatus: answer.resultCode,
    });
  }
  return stateOutcome(answer);
}

/**
 * The outcome of a notification's `dataContent` (already verified). Without `refundState`,
 * `resultCode` tells it: SUCCESS is a refund that succeeded, FAIL is read by its code.
 */
export function mapBaofooNotificationData(
  data: BaofooResultData & { tradeNo?: string; finishTime?: string },
  codes: BaofooErrorCodes,
): GatewayOutcome {
  const refusal = codeOutcome(data, { call: 'notification', codes });
  if (refusal) return refusal;
  if (!data.refundState) {
    return { kind: 'succeeded', rawStatus: BAOFOO_RESULT_CODE.success, ...refundNo(data), ...finishedAt(data) };
  }
  return stateOutcome(data);
}

/**
 * Unsigned answers are not answers. `returnCode` is about communication only, so a FAIL (unsigned,
 * without `dataContent`) tells nothing about the refund; neither does a SUCCESS without a signed
 * `dataContent` (PROTOCOLS.md §5a).
 */
function signedData<T>(
  envelope: BaofooAnswerEnvelope,
  context: BaofooAnswerContext,
  parse: (dataContent: string) => T,
): { kind: 'data'; value: T } | UnknownOutcome {
  if (envelope.returnCode !== BAOFOO_RETURN_CODE.success) {
    return unknownOutcome(
      'unrecognized',
      `Baofoo answered returnCode ${envelope.returnCode ?? '(none)'}: refused before the business layer; the refund is queried`,
      { code: envelope.returnCode, message: envelope.returnMsg, rawStatus: envelope.returnCode },
    );
  }
  if (!envelope.dataContent) {
    return unknownOutcome('malformed', 'Baofoo answered returnCode SUCCESS without dataContent', {
      message: envelope.returnMsg,
    });
  }
  if (!context.signatureValid) {
    const detail = envelope.signStr ? 'Baofoo answer is wrongly signed' : 'Baofoo answer is unsigned';
    return unknownOutcome('bad_signature', detail, { message: envelope.returnMsg });
  }
  try {
    return { kind: 'data', value: parse(envelope.dataContent) };
  } catch (error) {
    if (!(error instanceof BaofooParseError)) throw error;
    return unknownOutcome('malformed', `Baofoo dataContent: ${error.message}`);
  }
}

/** The error code of a business answer, or undefined when it reports none (errCode SUCCESS is none). */
function errorCodeOf(data: BaofooResultData): string | undefined {
  if (data.errCode && data.errCode !== BAOFOO_RESULT_CODE.success) return data.errCode;
  if (data.resultCode !== BAOFOO_RESULT_CODE.success) return data.resultCode || 'NO_RESULT_CODE';
  return undefined;
}

/**
 * What an error code proves, by call. `resultCode` SUCCESS with an error code is not a success (the
 * sandbox answered SUCCESS + ORDER_NOT_EXIST + ABNORMAL). A refund whose state is REFUND_ERROR failed
 * whatever the code explaining it, unless the code is busy or "already created".
 */
function codeOutcome(
  data: BaofooResultData,
  input: { call: 'refund' | 'query' | 'notification'; codes: BaofooErrorCodes },
): GatewayOutcome | undefined {
  const code = errorCodeOf(data);
  if (code === undefined) return undefined;
  const { call, codes } = input;
  const extras = { code, message: data.errMsg, rawStatus: data.refundState || data.resultCode };
  if (codes.alreadyCreated.has(code)) {
    return unknownOutcome('gateway_busy', `Baofoo already holds this refund (${code}): its state is queried`, extras);
  }
  if (codes.busy.has(code)) return unlistedCodeOutcome({ gateway: GATEWAY, codes, ...extras });
  if (codes.deferred.has(code)) {
    if (call === 'refund') return { kind: 'deferred', code, message: data.errMsg || '请分批次执行', ...raw(data) };
    return unknownOutcome('gateway_busy', `Baofoo answered ${code} to a ${call}`, extras);
  }
  if (data.refundState === BAOFOO_REFUND_STATE.refundError && data.resultCode === BAOFOO_RESULT_CODE.success) {
    return undefined;
  }
  if (call !== 'query' && codes.failed.has(code)) {
    return { kind: 'failed', code, message: data.errMsg || '宝付拒绝退款', ...raw(data) };
  }
  if (call === 'query' && codes.failed.has(code)) {
    return unknownOutcome(
      'unrecognized',
      `Baofoo refused the query (${code}); that says nothing about the refund`,
      extras,
    );
  }
  return unlistedCodeOutcome({ gateway: GATEWAY, codes, ...extras });
}

/** `refundState` of an answer about our refund. */
function stateOutcome(data: BaofooResultData & { tradeNo?: string; finishTime?: string }): GatewayOutcome {
  const rawStatus = data.refundState ?? '';
  switch (rawStatus) {
    case BAOFOO_REFUND_STATE.success:
      return { kind: 'succeeded', rawStatus, ...refundNo(data), ...finishedAt(data) };
    case BAOFOO_REFUND_STATE.refund:
      return { kind: 'processing', rawStatus, ...refundNo(data) };
    case BAOFOO_REFUND_STATE.refundError:
      return {
        kind: 'failed',
        rawStatus,
        code: data.errCode || 'REFUND_ERROR',
        message: data.errMsg || '宝付退款失败 (refundState REFUND_ERROR)',
        ...refundNo(data),
      };
    case BAOFOO_REFUND_STATE.abnormal:
      // 退款异常, and also what Baofoo says about a refund it never received: query again; the core's
      // sync schedule ends in needs_attention.
      return unknownOutcome('gateway_busy', 'Baofoo answered ABNORMAL (退款异常): the refund is queried', {
        rawStatus,
        message: data.errMsg,
      });
    default:
      return unknownOutcome('unrecognized', `Baofoo refundState '${rawStatus}' is not a refund state`, { rawStatus });
  }
}

function refundNo(data: { tradeNo?: string }): { gatewayRefundNo?: string } {
  return data.tradeNo ? { gatewayRefundNo: data.tradeNo } : {};
}

function finishedAt(data: { finishTime?: string }): { finishedAt?: Date } {
  const at = parseChinaTime(data.finishTime);
  return at ? { finishedAt: at } : {};
}

function raw(data: BaofooResultData): { rawStatus?: string } {
  const rawStatus = data.refundState || data.resultCode;
  return rawStatus ? { rawStatus } : {};
}
