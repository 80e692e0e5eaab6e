import { fenToWire, formatChinaTime } from '@refundhub/gateway-kit';
import type { CourierAnswer } from '@refundhub/gateway-kit/sandbox';

import { parseUmfJson, UmfParseError } from '../umf.codec';
import { signUmfNotification, verifyUmfNotificationAck, type UmfNotificationVariant } from '../umf.signer';
import { UMF_NOTIFY_FUN_CODE, UMF_RET_CODE, UMF_TRADE_STATE } from '../umf.types';
import type { UmfSandboxAckCheck, UmfSandboxOutcome } from './umf-sandbox.types';

export interface UmfSandboxNotificationInput {
  merchantId: string;
  partnerOrderId: string;
  orderDate: string;
  refundPartnerOrderId: string;
  /** Fen: the refund's amount (付款金额, read for a refund as the amount refunded). */
  amount: number;
  payType: string;
  outcome: UmfSandboxOutcome;
  /** Stamps `reqDate` and `reqTime`. */
  at: Date;
  paySeq?: string;
}

/** The fields of this notification, `sign` included. */
export type UmfSandboxNotificationFields = Readonly<Record<string, string>>;

/** The fields the merchant's answer must repeat, as sent (notify.md: 同请求数据). */
const ECHOED = ['funCode', 'reqDate', 'reqTime', 'partnerOrderId', 'orderDate'] as const;

/**
 * A refund's 交易结果通知 as UMF POSTs it (basicability/notify.md): every documented field, the empty
 * optional ones included as empty strings (the doc's example has them; they are not signed), signed
 * over the `k=v&` string with `privateKeyPem`: the platform's key for a genuine one, any other to
 * forge one. `tamper` replaces or adds fields after signing.
 */
export function createUmfSandboxNotification(input: {
  notification: UmfSandboxNotificationInput;
  privateKeyPem: string;
  variant?: UmfNotificationVariant;
  tamper?: Readonly<Record<string, string>>;
}): UmfSandboxNotificationFields {
  const n = input.notification;
  const fields: Record<string, string> = {
    funCode: UMF_NOTIFY_FUN_CODE,
    reqDate: formatChinaTime(n.at, 'yyyyMMdd'),
    reqTime: formatChinaTime(n.at, 'HHmmss'),
    merId: n.merchantId,
    payType: n.payType,
    shopNo: '',
    operatorId: '',
    deviceType: 'Other',
    deviceInfo: '',
    bpid: '',
    orderDate: n.orderDate,
    partnerOrderId: n.partnerOrderId,
    amount: fenToWire(n.amount),
    tradeState: n.outcome === 'success' ? UMF_TRADE_STATE.refundSuccess : UMF_TRADE_STATE.refundFail,
    paySeq: n.paySeq ?? '',
    refundPartnerOrderId: n.refundPartnerOrderId,
  };
  fields.sign = signUmfNotification({ fields, privateKeyPem: input.privateKeyPem, variant: input.variant });
  return { ...fields, ...input.tamper };
}

/**
 * Whether the merchant's answer acknowledges the notification: HTTP 200, a JSON object with `retCode`
 * 0000, the notification's echoed fields, and a `sign` over its `|`-joined values that the merchant's
 * public key verifies (`merchantPublicKey` absent: nothing verifies).
 */
export function checkUmfAck(input: {
  answer: CourierAnswer;
  notification: UmfSandboxNotificationFields;
  merchantPublicKey: string | undefined;
}): UmfSandboxAckCheck {
  const { answer, notification } = input;
  if (answer.status !== 200) return { signatureValid: false, problem: `answered HTTP ${answer.status}` };
  let fields: Readonly<Record<string, string>>;
  try {
    fields = parseUmfJson(answer.body);
  } catch (error) {
    if (error instanceof UmfParseError) return { signatureValid: false, problem: 'the answer is not a JSON object' };
    throw error;
  }
  const retCode = fields['retCode'];
  const signatureValid =
    input.merchantPublicKey !== undefined &&
    verifyUmfNotificationAck({ fields, publicKeyPem: input.merchantPublicKey });
  const echo = ECHOED.find((name) => fields[name] !== notification[name]);
  const problem =
    retCode !== UMF_RET_CODE.success
      ? `retCode is ${retCode ?? 'missing'}`
      : echo
        ? `${echo} is not the notification's`
        : !signatureValid
          ? "the signature does not verify with the merchant's key"
          : undefined;
  return { ...(retCode === undefined ? {} : { retCode }), signatureValid, ...(problem ? { problem } : {}) };
}
