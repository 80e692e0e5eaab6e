'use strict';
/**
 * The reference's gateway call: the same signed `unified_refund` the product sends to the same
 * sandbox process, built and read with the product's own compiled Leshua code (signer, form codec,
 * XML parser, answer mapper), so only the plumbing around it differs: a bare node:http request on a
 * keep-alive agent instead of the product's transport, port and outcome reporting.
 */
const http = require('node:http');
const path = require('node:path');

const leshua = path.join(__dirname, '..', '..', 'libs/gateways/leshua/dist');
const { signLeshuaRequest, leshuaResponseMatches } = require(path.join(leshua, 'leshua.signer'));
const { encodeLeshuaForm, parseLeshuaXml } = require(path.join(leshua, 'leshua.codec'));
const { newLeshuaNonce, mapLeshuaRefundAnswer, encodeLeshuaNotifyUrl } = require(path.join(leshua, 'leshua.mapper'));
const { LESHUA_CGI_PATH } = require(path.join(leshua, 'leshua.options'));
const { fenToWire } = require(path.join(__dirname, '..', '..', 'libs/gateways/kit/dist'));

/** Refusal codes that mean "failed"; the success path the benchmark runs never reads them. */
const CODES = { failed: new Set(), busy: new Set(), notFound: new Set() };

/**
 * A caller of `unified_refund` at `baseUrl` for `merchants` ({ id: { tradeKey } }). `notifyUrl` is
 * sent as the product sends its own (encoded), so both requests carry the same fields and bytes.
 */
function leshuaCaller({ baseUrl, merchants, notifyUrl, timeoutMs }) {
  const agent = new http.Agent({ keepAlive: true });
  const target = new URL(LESHUA_CGI_PATH, baseUrl);

  /** POSTs the form; resolves the answer's text, or rejects on a transport failure or the deadline. */
  const post = (body) =>
    new Promise((resolve, reject) => {
      const request = http.request(
        target,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
            'content-length': Buffer.byteLength(body),
          },
          timeout: timeoutMs,
        },
        (response) => {
          const chunks = [];
          response.on('data', (chunk) => chunks.push(chunk));
          response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
          response.on('error', reject);
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      request.on('error', reject);
      request.end(body);
    });

  /** The refund's outcome as the product's mapper reads it: processing, failed or unknown. */
  return async function submitRefund(refund) {
    const { tradeKey } = merchants[refund.merchantId];
    const params = {
      service: 'unified_refund',
      merchant_id: refund.merchantId,
      ...(refund.merchantOrderNo ? { third_order_id: refund.merchantOrderNo } : {}),
      ...(refund.gatewayOrderNo ? { leshua_order_id: refund.gatewayOrderNo } : {}),
      merchant_refund_id: refund.refundNo,
      refund_amount: fenToWire(refund.amount),
      nonce_str: newLeshuaNonce(),
      notify_url: encodeLeshuaNotifyUrl(notifyUrl, 'encoded'),
    };
    let text;
    try {
      text = await post(encodeLeshuaForm({ ...params, sign: signLeshuaRequest(params, tradeKey) }));
    } catch (error) {
      return { kind: 'unknown', reason: 'connection', detail: String(error.message || error) };
    }
    let fields;
    try {
      fields = parseLeshuaXml(text);
    } catch (error) {
      return { kind: 'unknown', reason: 'malformed', detail: String(error.message || error) };
    }
    return mapLeshuaRefundAnswer(fields, {
      signatureValid:
        leshuaResponseMatches(fields, tradeKey, 'doc') || leshuaResponseMatches(fields, tradeKey, 'skip-empty'),
      refundNo: refund.refundNo,
      amount: refund.amount,
      codes: CODES,
    });
  };
}

module.exports = { leshuaCaller };
