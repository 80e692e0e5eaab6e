'use strict';
/** A typical Leshua refund answer (flat, every value in CDATA, as the gateway and its SDKs send them). */
const REFUND_ANSWER =
  '<?xml version="1.0" encoding="utf-8"?><leshua><resp_code><![CDATA[0]]></resp_code>' +
  '<resp_msg><![CDATA[]]></resp_msg><result_code><![CDATA[0]]></result_code>' +
  '<merchant_id><![CDATA[0000000018]]></merchant_id><third_order_id><![CDATA[R20261130152200001]]></third_order_id>' +
  '<merchant_refund_id><![CDATA[RF20261130152200001]]></merchant_refund_id>' +
  '<leshua_refund_id><![CDATA[L123456789]]></leshua_refund_id>' +
  '<refund_amount><![CDATA[100]]></refund_amount><status><![CDATA[10]]></status>' +
  '<nonce_str><![CDATA[a1b2c3d4e5]]></nonce_str><sign><![CDATA[0123456789ABCDEF0123456789ABCDEF]]></sign></leshua>';

/** The same answer with plain text values, as a hand-written server would send it. */
const REFUND_ANSWER_PLAIN = REFUND_ANSWER.replace(/<!\[CDATA\[(.*?)\]\]>/g, '$1');

module.exports = { REFUND_ANSWER, REFUND_ANSWER_PLAIN };
