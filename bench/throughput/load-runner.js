'use strict';
/**
 * The load generator, in a process of its own: autocannon, `concurrency` keep-alive connections, each
 * request built afresh (setupRequest) so that every one refunds an order of its own with a refund
 * number of its own. The process under measure shares neither its event loop nor its heap.
 *
 * Calls (children.js): run { kind, url, key, tag, count, concurrency, seconds, merchantId, amount,
 * total, tradeKey, notifyUrl, timeoutMs } sends `count` requests (none after `seconds`) and answers the figures:
 *   kind 'refunds': POST /refunds (the API, or the reference: the same body);
 *   kind 'direct':  the signed unified_refund form straight to the sandbox, the bare gateway call;
 *   kind 'list':    GET `path` (a page of refunds), the same request each time.
 */
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const autocannon = require('autocannon');

const { serveParent } = require('./children');
const { refundNo, orderNo } = require('./numbers');
const { summarize, tally } = require('../lib/stats');

const leshua = path.join(__dirname, '..', '..', 'libs/gateways/leshua/dist');
const { signLeshuaRequest } = require(path.join(leshua, 'leshua.signer'));
const { encodeLeshuaForm } = require(path.join(leshua, 'leshua.codec'));
const { newLeshuaNonce, encodeLeshuaNotifyUrl } = require(path.join(leshua, 'leshua.mapper'));
const { LESHUA_CGI_PATH } = require(path.join(leshua, 'leshua.options'));
const { fenToWire } = require(path.join(__dirname, '..', '..', 'libs/gateways/kit/dist'));

/** The request of each kind, with the body of request `i`, and how to read its answer's status. */
const KINDS = {
  // GET a page of refunds filtered by status, newest first: what a finance client lists.
  list: (job) => ({
    method: 'GET',
    path: job.path,
    headers: { authorization: `Bearer ${job.key}` },
    body: () => undefined,
    status: (body) => {
      try {
        return Array.isArray(JSON.parse(body).items) ? 'LISTED' : null;
      } catch {
        return null;
      }
    },
  }),
  refunds: (job) => ({
    path: '/refunds',
    headers: { authorization: `Bearer ${job.key}`, 'content-type': 'application/json' },
    body: (i) =>
      JSON.stringify({
        gateway: 'leshua',
        merchantId: job.merchantId,
        refundNo: refundNo(job.tag, i),
        amount: job.amount,
        order: { merchantOrderNo: orderNo(job.tag, i), totalAmount: job.total },
        reason: 'bench',
      }),
    status: (body) => {
      try {
        return JSON.parse(body).status ?? JSON.parse(body).code ?? null;
      } catch {
        return null;
      }
    },
  }),
  direct: (job) => ({
    path: LESHUA_CGI_PATH,
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: (i) => {
      // The fields the product sends, signed as it signs them: only the platform is missing.
      const params = {
        service: 'unified_refund',
        merchant_id: job.merchantId,
        third_order_id: orderNo(job.tag, i),
        merchant_refund_id: refundNo(job.tag, i),
        refund_amount: fenToWire(job.amount),
        nonce_str: newLeshuaNonce(),
        notify_url: encodeLeshuaNotifyUrl(job.notifyUrl, 'encoded'),
      };
      return encodeLeshuaForm({ ...params, sign: signLeshuaRequest(params, job.tradeKey) });
    },
    // Accepted and refunding: status 10 in a successful answer (the sandbox's signature is not checked here).
    status: (body) =>
      /<result_code><!\[CDATA\[0\]\]><\/result_code>/.test(body) && /<status><!\[CDATA\[10\]\]><\/status>/.test(body)
        ? 'PROCESSING'
        : 'REFUSED',
  }),
};

function run(job) {
  const kind = KINDS[job.kind](job);
  const ms = [];
  const http = [];
  const status = [];
  let next = 0;
  let errors = 0;
  let capped = false;
  let lastAnswerAt = null;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const instance = autocannon(
      {
        url: job.url,
        connections: Math.min(job.concurrency, job.count),
        amount: job.count,
        // Per request; the gateway timeout of both servers is below it, so a slow gateway shows as latency.
        timeout: Math.ceil(job.timeoutMs / 1000) + 5,
        requests: [
          {
            method: kind.method ?? 'POST',
            path: kind.path,
            headers: kind.headers,
            setupRequest: (request) => {
              const body = kind.body(next++);
              return body === undefined ? request : { ...request, body };
            },
            onResponse: (code, body) => {
              http.push(code);
              status.push(kind.status(body));
            },
          },
        ],
      },
      (error, result) => {
        clearTimeout(cap);
        if (error) return reject(error);
        // autocannon reports the end of an `amount` run on its one-second tick: the last answer is the end.
        const elapsedMs = (lastAnswerAt ?? performance.now()) - started;
        resolve({
          sent: ms.length,
          requested: job.count,
          elapsedMs,
          perSecond: ms.length / (elapsedMs / 1000),
          latencyMs: summarize(ms),
          http: tally(http),
          status: tally(status),
          errors: errors + result.timeouts,
          // Stopped by the cap: up to `concurrency` requests were in flight, sent but never answered.
          capped,
        });
      },
    );
    instance.on('response', (_client, _code, _bytes, responseTime) => {
      ms.push(responseTime);
      lastAnswerAt = performance.now();
    });
    instance.on('reqError', () => (errors += 1));
    // A cap, not a duration: a slow build gets fewer samples, never a run that does not end.
    const cap = setTimeout(() => {
      capped = true;
      instance.stop();
    }, job.seconds * 1000);
  });
}

serveParent(async () => ({ ready: {}, handlers: { run } }));
