import { parseChinaTime } from '@refundhub/gateway-kit';

import type {
  BaofooMarketingRefund,
  BaofooRefundBizContent,
  BaofooRefundQueryBizContent,
  BaofooSharingRefund,
} from '../baofoo.types';

/** A `bizContent` read as the real gateway reads it, or the reason it refuses it (INVALID_PARAMETER). */
export type BizReading<T> = { biz: T } | { problem: string };

type Json = Readonly<Record<string, unknown>>;

const REFUND_NO = /^[A-Za-z0-9_]{1,50}$/;

/** `bizContent` as JSON: an object, else undefined. */
export function parseBizContent(text: string | undefined): Json | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** The merchant and terminal named inside `bizContent`: the real sandbox refused requests without them there. */
export function readMerchant(biz: Json): BizReading<{ merId: string; terId: string }> {
  const merId = text(biz['merId']);
  const terId = text(biz['terId']);
  if (!merId) return { problem: '商户号不能为null' };
  if (!terId) return { problem: '终端号不能为null' };
  return { biz: { merId, terId } };
}

/** `order_refund` fields (申请退款), checked for presence, type and the documented limits. */
export function readRefundBiz(biz: Json): BizReading<BaofooRefundBizContent> {
  const merchant = readMerchant(biz);
  if ('problem' in merchant) return merchant;
  const originTradeNo = text(biz['originTradeNo']);
  const originOutTradeNo = text(biz['originOutTradeNo']);
  if (!originTradeNo && !originOutTradeNo) return { problem: '原支付订单宝付交易号与原支付订单商户订单号不能同时为空' };
  const outTradeNo = text(biz['outTradeNo']);
  if (!outTradeNo || !REFUND_NO.test(outTradeNo)) return { problem: '退款订单号不合法' };
  const refundAmt = positiveInteger(biz['refundAmt']);
  const totalAmt = positiveInteger(biz['totalAmt']);
  if (refundAmt === undefined) return { problem: '退款金额须为正整数(分)' };
  if (totalAmt === undefined) return { problem: '退款总金额须为正整数(分)' };
  const txnTime = text(biz['txnTime']);
  if (!txnTime || !/^\d{14}$/.test(txnTime) || !parseChinaTime(txnTime))
    return { problem: '交易时间格式须为yyyyMMddHHmmss' };
  const refundReason = text(biz['refundReason']);
  if (!refundReason) return { problem: '退款原因不能为空' };
  if ([...refundReason].length > 128) return { problem: '退款原因超过128个字符' };
  const notifyUrl = text(biz['notifyUrl']);
  if (notifyUrl && notifyUrl.length > 128) return { problem: '服务端通知地址超过128个字符' };

  const mkt = readMarketing(biz['mktRefundInfo']);
  if (mkt === null) return { problem: '营销退款信息不合法' };
  const sharing = readSharing(biz['sharingRefundInfo']);
  if (sharing === null) return { problem: '分账退款信息不合法' };
  const advanceAmt = biz['advanceAmt'] === undefined ? undefined : positiveInteger(biz['advanceAmt']);
  if (biz['advanceAmt'] !== undefined && advanceAmt === undefined) return { problem: '垫资金额须为正整数(分)' };
  if (totalAmt !== refundAmt + (mkt?.mktAmt ?? 0)) return { problem: '退款总金额须等于退款金额与营销退款金额之和' };

  return {
    biz: {
      ...merchant.biz,
      ...(originTradeNo ? { originTradeNo } : {}),
      ...(originOutTradeNo ? { originOutTradeNo } : {}),
      outTradeNo,
      ...(notifyUrl ? { notifyUrl } : {}),
      refundAmt,
      totalAmt,
      txnTime,
      ...(sharing ? { sharingRefundInfo: sharing } : {}),
      ...(mkt ? { mktRefundInfo: mkt } : {}),
      ...(advanceAmt !== undefined ? { advanceAmt } : {}),
      refundReason,
    },
  };
}

/** `refund_query` fields: by Baofoo's `tradeNo` or our `outTradeNo`. */
export function readQueryBiz(biz: Json): BizReading<BaofooRefundQueryBizContent> {
  const merchant = readMerchant(biz);
  if ('problem' in merchant) return merchant;
  const outTradeNo = text(biz['outTradeNo']);
  const tradeNo = text(biz['tradeNo']);
  if (!outTradeNo && !tradeNo) return { problem: '宝付退款交易号与商户退款订单号不能同时为空' };
  return { biz: { ...merchant.biz, outTradeNo: outTradeNo ?? '', ...(tradeNo ? { tradeNo } : {}) } };
}

/** A text field; a number is read as its decimal text, as a lenient Java reader would. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/** Absent: undefined; present but wrong: null. */
function readMarketing(raw: unknown): BaofooMarketingRefund | undefined | null {
  if (raw === undefined) return undefined;
  const value = nested(raw);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const fields = value as Json;
  const mktMerId = text(fields['mktMerId']);
  const mktAmt = positiveInteger(fields['mktAmt']);
  return mktMerId && mktAmt !== undefined ? { mktMerId, mktAmt } : null;
}

/** Absent: undefined; present but wrong: null. */
function readSharing(raw: unknown): BaofooSharingRefund[] | undefined | null {
  if (raw === undefined) return undefined;
  const value = nested(raw);
  if (!Array.isArray(value) || value.length === 0) return null;
  const parts: BaofooSharingRefund[] = [];
  for (const item of value as unknown[]) {
    if (typeof item !== 'object' || item === null) return null;
    const sharingMerId = text((item as Json)['sharingMerId']);
    const sharingAmt = positiveInteger((item as Json)['sharingAmt']);
    if (!sharingMerId || sharingAmt === undefined) return null;
    parts.push({ sharingMerId, sharingAmt });
  }
  return parts;
}

/** Type C (复合) fields arrive as JSON, or as a string of JSON from clients that encode them twice. */
function nested(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}
