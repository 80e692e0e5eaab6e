import { fenToWire, formatChinaTime } from '@refundhub/gateway-kit';

import { buildLeshuaXml } from '../leshua.codec';
import { newLeshuaNonce } from '../leshua.mapper';
import { signLeshuaNotification } from '../leshua.signer';
import type { LeshuaRefundNotification } from '../leshua.types';

export interface LeshuaSandboxNotificationInput {
  merchantId: string;
  merchantRefundId: string;
  leshuaRefundId?: string;
  thirdOrderId?: string;
  leshuaOrderId?: string;
  /** Refunded amount in fen. */
  amount: number;
  totalAmount?: number;
  outcome: 'success' | 'fail' | 'processing';
  failureReason?: string;
  refundTime?: Date;
  /** The key to sign with: the merchant's notify key for a genuine notification, anything else to forge one. */
  key: string;
  /** Replaces or adds fields after signing (to tamper with a signed notification). */
  tamper?: Readonly<Record<string, string>>;
}

export interface LeshuaSandboxNotification {
  fields: Readonly<Record<string, string>> & LeshuaRefundNotification;
  /** The XML body as the sandbox POSTs it. */
  xml: string;
  rawBody: Buffer;
}

const STATUS = { processing: '10', success: '11', fail: '12' } as const;

/**
 * A refund result notification as Leshua sends it (doc 1099889): XML, signed with the notify rule,
 * `error_code` `0` and unsigned. Used by the sandbox, and by tests that forge or replay notifications.
 */
export function createLeshuaSandboxNotification(input: LeshuaSandboxNotificationInput): LeshuaSandboxNotification {
  const fields: Record<string, string> = {
    merchant_id: input.merchantId,
    third_order_id: input.thirdOrderId ?? '',
    leshua_order_id: input.leshuaOrderId ?? '',
    refund_amount: fenToWire(input.amount),
    merchant_refund_id: input.merchantRefundId,
    leshua_refund_id: input.leshuaRefundId ?? '',
    total_amount: input.totalAmount === undefined ? '' : fenToWire(input.totalAmount),
    refund_time:
      input.outcome === 'success' ? formatChinaTime(input.refundTime ?? new Date(), 'yyyy-MM-dd HH:mm:ss') : '',
    status: STATUS[input.outcome],
    failure_reason: input.outcome === 'fail' ? (input.failureReason ?? '退款失败') : '',
    error_code: '0',
    nonce_str: newLeshuaNonce(),
  };
  fields.sign = signLeshuaNotification(fields, input.key);
  Object.assign(fields, input.tamper);
  const xml = buildLeshuaXml(fields);
  return { fields, xml, rawBody: Buffer.from(xml, 'utf8') };
}
