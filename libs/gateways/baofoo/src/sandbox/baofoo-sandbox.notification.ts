import { encodeBaofooForm } from '../baofoo.codec';
import { signBaofoo } from '../baofoo.signer';
import {
  BAOFOO_ENVELOPE,
  BAOFOO_NOTIFY_TYPE,
  BAOFOO_REFUND_STATE,
  BAOFOO_RESULT_CODE,
  type BaofooRefundNotificationData,
} from '../baofoo.types';
import type { BaofooSandboxNotifyBody } from './baofoo-sandbox.types';

export interface BaofooSandboxNotificationInput {
  merchantId: string;
  terId: string;
  outTradeNo: string;
  tradeNo?: string;
  outcome: 'success' | 'fail';
  /** Fen refunded (`succAmt`), sent for a successful refund. */
  succAmt?: number;
  /** `yyyyMMddHHmmss`, China time. */
  finishTime?: string;
  /** The refund request's `txnTime`. */
  txnTime?: string;
  errCode?: string;
  errMsg?: string;
  /** Signs `dataContent`: Baofoo's private key for a genuine notification, any other to forge one. */
  privateKeyPem: string;
  /** Default `form`. */
  body?: BaofooSandboxNotifyBody;
  /** `merId` as a JSON number (§5a). */
  merIdAsNumber?: boolean;
  uppercaseSignature?: boolean;
  /** Baofoo's certificate serial (`signSn`) and the merchant's (`ncrptnSn`). Default `1`. */
  signSn?: string;
  ncrptnSn?: string;
  /** Replaces or adds `dataContent` fields after signing (to tamper with a signed notification). */
  tamper?: Readonly<Record<string, unknown>>;
}

export interface BaofooSandboxNotification {
  /** `dataContent` as sent (after any tampering). */
  dataContent: string;
  /** The envelope's fields. */
  envelope: Readonly<Record<string, string | number>>;
  contentType: string;
  /** The body as POSTed. */
  body: string;
  rawBody: Buffer;
}

/**
 * A refund notification as Baofoo sends it (退款结果通知): the public envelope with `notifyType=REFUND` and
 * `dataContent` signed with Baofoo's key, as form fields or JSON. Used by the sandbox, and by tests that
 * forge, tamper with or replay notifications.
 */
export function createBaofooSandboxNotification(input: BaofooSandboxNotificationInput): BaofooSandboxNotification {
  const merId =
    input.merIdAsNumber && /^\d{1,15}$/.test(input.merchantId) ? Number(input.merchantId) : input.merchantId;
  const succeeded = input.outcome === 'success';
  const data: Omit<BaofooRefundNotificationData, 'merId' | 'succAmt'> & { merId: string | number; succAmt?: number } = {
    merId,
    terId: input.terId,
    ...(input.tradeNo ? { tradeNo: input.tradeNo } : {}),
    outTradeNo: input.outTradeNo,
    refundState: succeeded ? BAOFOO_REFUND_STATE.success : BAOFOO_REFUND_STATE.refundError,
    ...(input.finishTime ? { finishTime: input.finishTime } : {}),
    ...(succeeded && input.succAmt !== undefined ? { succAmt: input.succAmt } : {}),
    resultCode: BAOFOO_RESULT_CODE.success,
    ...(input.txnTime ? { txnTime: input.txnTime } : {}),
    ...(input.errCode ? { errCode: input.errCode } : {}),
    ...(!succeeded ? { errMsg: input.errMsg ?? '退款失败' } : {}),
  };
  const signed = JSON.stringify(data);
  const signature = signBaofoo({ privateKeyPem: input.privateKeyPem, content: signed, keyName: 'Baofoo sandbox key' });
  const dataContent = input.tamper ? JSON.stringify({ ...data, ...input.tamper }) : signed;
  const envelope = {
    merId,
    terId: input.terId,
    charset: BAOFOO_ENVELOPE.charset,
    version: BAOFOO_ENVELOPE.version,
    format: BAOFOO_ENVELOPE.format,
    notifyType: BAOFOO_NOTIFY_TYPE.refund,
    signType: BAOFOO_ENVELOPE.signType,
    signSn: input.signSn ?? '1',
    ncrptnSn: input.ncrptnSn ?? '1',
    signStr: input.uppercaseSignature ? signature.toUpperCase() : signature,
    dataContent,
  };
  const json = input.body === 'json';
  const body = json
    ? JSON.stringify(envelope)
    : encodeBaofooForm(Object.fromEntries(Object.entries(envelope).map(([name, value]) => [name, String(value)])));
  return {
    dataContent,
    envelope,
    contentType: json ? 'application/json;charset=UTF-8' : 'application/x-www-form-urlencoded;charset=UTF-8',
    body,
    rawBody: Buffer.from(body, 'utf8'),
  };
}
