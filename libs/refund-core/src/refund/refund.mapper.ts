import type { RefundHistory } from '../entities/refund-history.entity';
import type { Refund } from '../entities/refund.entity';
import type { GatewayRefundQuery, GatewayRefundRequest } from '../gateway/refund-gateway.port';
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
    failure:
      refund.failureCode !== null ? { code: refund.failureCode, message: refund.failureMessage ?? '' } : null,
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
  };
}

/** What a submission needs of a refund; a request not yet recorded has it too. */
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
>;

export function toGatewayRequest(
  refund: RefundSubmissionSource,
  gatewayNotifyUrl: string | null,
  attempt: number,
): GatewayRefundRequest {
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
    gatewayNotifyUrl,
    gatewayOptions: refund.gatewayOptions,
    attempt,
  };
}

export function toGatewayQuery(refund: Refund): GatewayRefundQuery {
  return {
    refundId: refund.id,
    merchantId: refund.merchantId,
    refundNo: refund.refundNo,
    gatewayRefundNo: refund.gatewayRefundNo,
    order: { merchantOrderNo: refund.merchantOrderNo, gatewayOrderNo: refund.gatewayOrderNo },
    gatewayOptions: refund.gatewayOptions,
  };
}
