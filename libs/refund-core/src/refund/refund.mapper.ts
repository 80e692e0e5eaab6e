import type { RefundHistory } from '../entities/refund-history.entity';
import type { Refund } from '../entities/refund.entity';
import type { GatewayRefundRequest, GatewayRefundSnapshot } from '../gateway/refund-gateway.port';
import type { RefundHistoryView, RefundView } from './refund.view';

export function toRefundView(refund: Refund): RefundView {
  const order = refund.order;
  return {
    id: refund.id,
    gateway: refund.gateway,
    merchantId: refund.merchantId,
    refundNo: refund.refundNo,
    amount: refund.amount,
    status: refund.status,
    gatewayRefundNo: refund.gatewayRefundNo,
    order: {
      merchantOrderNo: refund.merchantOrderNo,
      gatewayOrderNo: refund.gatewayOrderNo ?? order.gatewayOrderNo,
      totalAmount: order.totalAmount,
      refundedAmount: order.refundedAmount,
      reservedAmount: order.reservedAmount,
    },
    reason: refund.reason,
    notifyUrl: refund.notifyUrl,
    failure: refund.failureCode !== null ? { code: refund.failureCode, message: refund.failureMessage ?? '' } : null,
    needsAttention:
      refund.attentionReason !== null && refund.attentionSince !== null
        ? { reason: refund.attentionReason, since: refund.attentionSince.toISOString() }
        : null,
    deferredAt: refund.deferredAt ? refund.deferredAt.toISOString() : null,
    gatewayStatus: refund.gatewayStatus,
    attempts: refund.attempts,
    createdAt: refund.createdAt.toISOString(),
    updatedAt: refund.updatedAt.toISOString(),
    finishedAt: refund.finishedAt ? refund.finishedAt.toISOString() : null,
  };
}

export function toHistoryView(entry: RefundHistory): RefundHistoryView {
  return {
    at: entry.at.toISOString(),
    from: entry.fromStatus,
    to: entry.toStatus,
    source: entry.source,
    applied: entry.applied,
    gatewayStatus: entry.gatewayStatus,
    code: entry.code,
    message: entry.message,
    repeats: entry.repeats,
    lastHeardAt: entry.lastHeardAt ? entry.lastHeardAt.toISOString() : null,
    actor: entry.actor,
  };
}

/** What a gateway call needs of a refund; a request not yet recorded has it too. */
export type RefundSubmissionSource = Pick<
  Refund,
  | 'id'
  | 'merchantId'
  | 'refundNo'
  | 'amount'
  | 'merchantOrderNo'
  | 'gatewayOrderNo'
  | 'totalAmount'
  | 'payMethod'
  | 'paidAt'
  | 'reason'
  | 'gatewayOptions'
  | 'gatewayRefundNo'
  | 'createdAt'
  | 'submittedAt'
>;

/** The refund as every gateway call sees it: the same snapshot for a submission and a query. */
export function toGatewaySnapshot(refund: RefundSubmissionSource, now: Date): GatewayRefundSnapshot {
  return {
    refundId: refund.id,
    merchantId: refund.merchantId,
    refundNo: refund.refundNo,
    amount: refund.amount,
    order: {
      merchantOrderNo: refund.merchantOrderNo,
      gatewayOrderNo: refund.gatewayOrderNo,
      totalAmount: refund.totalAmount,
      payMethod: refund.payMethod,
      paidAt: refund.paidAt,
    },
    reason: refund.reason,
    gatewayRefundNo: refund.gatewayRefundNo,
    gatewayOptions: refund.gatewayOptions,
    requestedAt: refund.createdAt,
    submittedAt: refund.submittedAt,
    now,
  };
}

export function toGatewayRequest(
  refund: RefundSubmissionSource,
  opts: { gatewayNotifyUrl: string | null; attempt: number; now: Date },
): GatewayRefundRequest {
  return { ...toGatewaySnapshot(refund, opts.now), gatewayNotifyUrl: opts.gatewayNotifyUrl, attempt: opts.attempt };
}
