'use strict';
/**
 * The body of the reference's POST /refunds, the same JSON as the API's CreateRefundDto, checked
 * minimally: the fields the work below reads must be there and of the right kind. The API checks far
 * more (that is part of what it costs); this is the floor a hand-written service would still do.
 */

const text = (value, max) => typeof value === 'string' && value.length >= 1 && value.length <= max;
const optionalText = (value, max) => value === undefined || value === null || text(value, max);
const fen = (value) => Number.isSafeInteger(value) && value >= 1;

/** { cmd } for a body that can be refunded, or { problems } naming what is wrong. */
function readRefundCommand(body, gateway) {
  const problems = [];
  const need = (ok, field) => ok || problems.push(field);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { problems: ['body'] };
  const order = typeof body.order === 'object' && body.order !== null ? body.order : {};
  need(body.gateway === gateway, 'gateway');
  need(text(body.merchantId, 64), 'merchantId');
  need(typeof body.refundNo === 'string' && /^[A-Za-z0-9]{1,64}$/.test(body.refundNo), 'refundNo');
  need(fen(order.totalAmount), 'order.totalAmount');
  need(fen(body.amount) && body.amount <= order.totalAmount, 'amount');
  need(optionalText(order.merchantOrderNo, 64) && optionalText(order.gatewayOrderNo, 64), 'order');
  need(Boolean(order.merchantOrderNo || order.gatewayOrderNo), 'order');
  need(optionalText(body.reason, 256), 'reason');
  if (problems.length) return { problems };
  return {
    cmd: {
      gateway: body.gateway,
      merchantId: body.merchantId,
      refundNo: body.refundNo,
      amount: body.amount,
      order: {
        merchantOrderNo: order.merchantOrderNo ?? null,
        gatewayOrderNo: order.gatewayOrderNo ?? null,
        totalAmount: order.totalAmount,
        paidAt: order.paidAt ?? null,
        payMethod: order.payMethod ?? null,
      },
      reason: body.reason ?? null,
      notifyUrl: body.notifyUrl ?? null,
      gatewayOptions: body.gatewayOptions ?? {},
    },
  };
}

module.exports = { readRefundCommand };
