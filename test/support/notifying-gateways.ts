import { generateKeyPairSync } from 'node:crypto';

import {
  BAOFOO_ENVELOPE,
  BAOFOO_NOTIFY_TYPE,
  BAOFOO_REFUND_STATE,
  BAOFOO_RESULT_CODE,
  encodeBaofooForm,
  signBaofoo,
} from '@refundhub/baofoo';
import { BaofooSandbox } from '@refundhub/baofoo/sandbox';
import type { RefundView } from '@refundhub/core';
import { fenToWire } from '@refundhub/gateway-kit';
import { buildLeshuaXml, signLeshuaNotification } from '@refundhub/leshua';
import { signUmfNotification, UMF_NOTIFY_FUN_CODE, UMF_TRADE_STATE } from '@refundhub/umf';
import { UMF_SANDBOX_MODULE_OPTIONS, UmfSandbox } from '@refundhub/umf/sandbox';

import { ApiHarness, ApiHarnessOptions, LESHUA_KEYS, MERCHANT, ORDER, refundBody } from './api-harness';

/**
 * The three gateways that notify (Leshua, UMF, Baofoo) in one API, with keys this file holds: a test
 * can sign genuine notifications of each, and forge or mutate them. Leshua's simulator is the
 * harness's own; UMF's and Baofoo's are started here, with platform keys of the test's, and the API
 * reaches them by URL, as it would a simulator in a process of its own.
 */

function rsaPair(bits: number): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: bits,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

export const UMF = {
  merchant: '30000101',
  proxyId: '0025',
  order: { merchantOrderNo: 'UMF20250101000001', totalAmount: 800, payMethod: 'ALIPAY' },
  merchantKeys: rsaPair(1024),
  platformKeys: rsaPair(1024),
};

export const BAOFOO = {
  merchant: '100000',
  terId: '200000',
  order: { merchantOrderNo: 'BF20260101000001', totalAmount: 2000 },
  merchantKeys: rsaPair(2048),
  platformKeys: rsaPair(2048),
};

const DAY_MS = 24 * 3600 * 1000;

export interface NotifyingSimulators {
  umf: UmfSandbox;
  baofoo: BaofooSandbox;
  /** When their orders were paid. */
  paidAt: Date;
  /** The `gateways` sections of UMF and Baofoo (Leshua is always configured by the harness). */
  sections: NonNullable<ApiHarnessOptions['gateways']>;
  stop(): Promise<void>;
}

/** UMF's and Baofoo's simulators, signing with this file's platform keys, each holding one paid order. */
export async function startNotifyingSimulators(): Promise<NotifyingSimulators> {
  const paidAt = new Date(Date.now() - DAY_MS);
  const umf = new UmfSandbox({
    merchants: { [UMF.merchant]: { proxyId: UMF.proxyId, privateKey: UMF.merchantKeys.privateKeyPem } },
    platformPrivateKey: UMF.platformKeys.privateKeyPem,
  });
  const baofoo = new BaofooSandbox({
    merchants: { [BAOFOO.merchant]: { terId: BAOFOO.terId, privateKey: BAOFOO.merchantKeys.privateKeyPem } },
    keyPair: BAOFOO.platformKeys,
  });
  await umf.start();
  await baofoo.start();
  umf.seedOrder({
    merchantId: UMF.merchant,
    partnerOrderId: UMF.order.merchantOrderNo,
    amount: UMF.order.totalAmount,
    payType: 'AL',
    paidAt,
  });
  baofoo.seedOrder({
    merchantId: BAOFOO.merchant,
    originOutTradeNo: BAOFOO.order.merchantOrderNo,
    totalAmount: BAOFOO.order.totalAmount,
    paidAt,
  });
  return {
    umf,
    baofoo,
    paidAt,
    sections: {
      umf: {
        baseUrl: umf.baseUrl,
        timeoutMs: 300,
        platformCertificate: UMF.platformKeys.publicKeyPem,
        merchants: { [UMF.merchant]: { proxyId: UMF.proxyId, privateKey: UMF.merchantKeys.privateKeyPem } },
        ...UMF_SANDBOX_MODULE_OPTIONS,
      },
      baofoo: {
        baseUrl: baofoo.baseUrl,
        timeoutMs: 300,
        platformPublicKey: BAOFOO.platformKeys.publicKeyPem,
        merchants: { [BAOFOO.merchant]: { terId: BAOFOO.terId, privateKey: BAOFOO.merchantKeys.privateKeyPem } },
      },
    },
    stop: async () => {
      umf.releaseHeld();
      baofoo.releaseHeld();
      await umf.stop();
      await baofoo.stop();
    },
  };
}

export type NotifyingGateway = 'leshua' | 'umf' | 'baofoo';
export const NOTIFYING_GATEWAYS: readonly NotifyingGateway[] = ['leshua', 'umf', 'baofoo'];

/** A refund request of `amount` fen on one of the notifying gateways, under its test merchant and order. */
export function notifyingRefundBody(input: {
  gateway: NotifyingGateway;
  refundNo: string;
  amount: number;
  paidAt: Date;
}): Record<string, unknown> {
  const { gateway, refundNo, amount, paidAt } = input;
  switch (gateway) {
    case 'leshua':
      return refundBody({ refundNo, amount });
    case 'umf':
      return {
        gateway,
        merchantId: UMF.merchant,
        refundNo,
        amount,
        order: { ...UMF.order, paidAt: paidAt.toISOString() },
        reason: 'returned',
      };
    case 'baofoo':
      return {
        gateway,
        merchantId: BAOFOO.merchant,
        refundNo,
        amount,
        order: { ...BAOFOO.order, paidAt: paidAt.toISOString() },
        reason: '用户取消订单',
      };
  }
}

/** Creates a refund over the API; fails the test unless it was recorded. */
export async function createNotifyingRefund(
  h: ApiHarness,
  input: Parameters<typeof notifyingRefundBody>[0],
): Promise<RefundView> {
  const created = await h.call<RefundView>('POST', '/refunds', notifyingRefundBody(input));
  if (created.status !== 201) throw new Error(`refund ${input.refundNo}: ${created.status} ${created.text}`);
  return created.body;
}

export interface NotificationBody {
  body: Buffer;
  contentType: string;
}

export type NotifiedResult = 'processing' | 'success' | 'fail';

/**
 * A notification about `refundNo` signed with the gateway's real key (unless `forged`): the amount in
 * fen, or none at all when `amount` is null; `extra` adds signed fields (to make a body larger).
 */
export function genuineNotification(input: {
  gateway: NotifyingGateway;
  refundNo: string;
  result: NotifiedResult;
  amount: number | null;
  extra?: Readonly<Record<string, string>>;
  forged?: boolean;
  merchantId?: string;
}): NotificationBody {
  switch (input.gateway) {
    case 'leshua':
      return leshuaNotification(input);
    case 'umf':
      return umfNotification(input);
    case 'baofoo':
      return baofooNotification(input);
  }
}

const LESHUA_STATUS = { processing: '10', success: '11', fail: '12' } as const;

function leshuaNotification(input: Parameters<typeof genuineNotification>[0]): NotificationBody {
  const fields: Record<string, string> = {
    merchant_id: input.merchantId ?? MERCHANT,
    third_order_id: ORDER.merchantOrderNo,
    leshua_order_id: '',
    ...(input.amount === null ? {} : { refund_amount: fenToWire(input.amount) }),
    merchant_refund_id: input.refundNo,
    leshua_refund_id: `LSR${input.refundNo}`,
    total_amount: fenToWire(ORDER.totalAmount),
    refund_time: input.result === 'success' ? '2026-01-05 12:00:00' : '',
    status: LESHUA_STATUS[input.result],
    failure_reason: input.result === 'fail' ? '退款失败' : '',
    error_code: '0',
    nonce_str: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
    ...input.extra,
  };
  const key = input.forged ? 'NOT-THE-NOTIFY-KEY' : LESHUA_KEYS[MERCHANT].notifyKey;
  fields.sign = signLeshuaNotification(fields, key);
  return { body: Buffer.from(buildLeshuaXml(fields), 'utf8'), contentType: 'text/xml' };
}

function umfNotification(input: Parameters<typeof genuineNotification>[0]): NotificationBody {
  const fields: Record<string, string> = {
    funCode: UMF_NOTIFY_FUN_CODE,
    reqDate: '20260105',
    reqTime: '120000',
    merId: input.merchantId ?? UMF.merchant,
    payType: 'AL',
    orderDate: '20260104',
    partnerOrderId: UMF.order.merchantOrderNo,
    ...(input.amount === null ? {} : { amount: fenToWire(input.amount) }),
    tradeState:
      input.result === 'success'
        ? UMF_TRADE_STATE.refundSuccess
        : input.result === 'fail'
          ? UMF_TRADE_STATE.refundFail
          : UMF_TRADE_STATE.waitBuyerPay,
    refundPartnerOrderId: input.refundNo,
    ...input.extra,
  };
  const key = input.forged ? UMF.merchantKeys.privateKeyPem : UMF.platformKeys.privateKeyPem;
  fields.sign = signUmfNotification({ fields, privateKeyPem: key });
  return { body: Buffer.from(JSON.stringify(fields), 'utf8'), contentType: 'application/json' };
}

function baofooNotification(input: Parameters<typeof genuineNotification>[0]): NotificationBody {
  if (input.result === 'processing') throw new Error('Baofoo notifies final results only');
  const succeeded = input.result === 'success';
  const dataContent = JSON.stringify({
    merId: input.merchantId ?? BAOFOO.merchant,
    terId: BAOFOO.terId,
    tradeNo: `BFT${input.refundNo}`,
    outTradeNo: input.refundNo,
    refundState: succeeded ? BAOFOO_REFUND_STATE.success : BAOFOO_REFUND_STATE.refundError,
    finishTime: '20260105120000',
    ...(input.amount === null ? {} : { succAmt: input.amount }),
    resultCode: BAOFOO_RESULT_CODE.success,
    ...(succeeded ? {} : { errMsg: '退款失败' }),
    ...input.extra,
  });
  const key = input.forged ? BAOFOO.merchantKeys.privateKeyPem : BAOFOO.platformKeys.privateKeyPem;
  const body = encodeBaofooForm({
    merId: input.merchantId ?? BAOFOO.merchant,
    terId: BAOFOO.terId,
    charset: BAOFOO_ENVELOPE.charset,
    version: BAOFOO_ENVELOPE.version,
    format: BAOFOO_ENVELOPE.format,
    notifyType: BAOFOO_NOTIFY_TYPE.refund,
    signType: BAOFOO_ENVELOPE.signType,
    signSn: '1',
    ncrptnSn: '1',
    signStr: signBaofoo({ privateKeyPem: key, content: dataContent, keyName: 'test Baofoo platform key' }),
    dataContent,
  });
  return { body: Buffer.from(body, 'utf8'), contentType: 'application/x-www-form-urlencoded;charset=UTF-8' };
}
