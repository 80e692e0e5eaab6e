'use strict';
/** The answer of the reference's POST /refunds: a refund row as the API's JSON (refund-core's toRefundView). */

const iso = (value) => (value === null || value === undefined ? null : new Date(Number(value) || value).toISOString());

/** `row` is a refund row joined with its order's amounts (the `o_` columns of statements.js). */
function refundView(row) {
  return {
    id: row.id,
    gateway: row.gateway,
    merchantId: row.merchant_id,
    refundNo: row.refund_no,
    amount: Number(row.amount),
    status: row.status,
    gatewayRefundNo: row.gateway_refund_no,
    order: {
      merchantOrderNo: row.merchant_order_no,
      gatewayOrderNo: row.gateway_order_no ?? row.o_gateway_order_no,
      totalAmount: Number(row.o_total_amount),
      refundedAmount: Number(row.o_refunded_amount),
      reservedAmount: Number(row.o_reserved_amount),
    },
    reason: row.reason,
    notifyUrl: row.notify_url,
    failure: row.failure_code ? { code: row.failure_code, message: row.failure_message ?? '' } : null,
    needsAttention: null,
    deferredAt: iso(row.deferred_at),
    gatewayStatus: row.gateway_status,
    attempts: Number(row.attempts),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    finishedAt: iso(row.finished_at),
  };
}

module.exports = { refundView };
