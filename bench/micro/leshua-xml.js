'use strict';
/**
 * Micro benchmark of what Leshua's adapter does with every answer, in this process:
 * parsing the answer XML (the full fast-xml-parser path against the flat fast reader in front of
 * it) and MD5 signing (a request signed, an answer verified under the doc rule and under `auto`).
 *
 *   npx tsc -b libs/gateways/leshua/tsconfig.build.json && node bench/micro/leshua-xml.js
 *   MICRO_SECONDS=2 node bench/micro/leshua-xml.js
 */
const { parseLeshuaXml, parseLeshuaXmlFully } = require('../../libs/gateways/leshua/dist/leshua.codec');
const {
  signLeshuaRequest,
  signLeshuaResponse,
  verifyLeshuaResponse,
} = require('../../libs/gateways/leshua/dist/leshua.signer');
const { md5Hex } = require('../../libs/gateways/kit/dist/signing/digest');

const { measureSync } = require('./measure');
const { REFUND_ANSWER, REFUND_ANSWER_PLAIN } = require('./refund-answer');

const SECONDS = Number(process.env.MICRO_SECONDS ?? 1);
const KEY = '0123456789ABCDEF0123456789ABCDEF';

const REQUEST = {
  service: 'unified_refund',
  merchant_id: '0000000018',
  third_order_id: 'R20261130152200001',
  merchant_refund_id: 'RF20261130152200001',
  refund_amount: '100',
  nonce_str: 'a1b2c3d4e5',
  notify_url: 'https://refundhub.test/notify/leshua',
};

function main() {
  const fields = { ...parseLeshuaXmlFully(REFUND_ANSWER) };
  const signedAnswer = { ...fields, sign: signLeshuaResponse(fields, KEY, 'doc') };
  // Signed under the other rule: `auto` tries the doc rule first, so this is its worst case.
  const skipEmptyAnswer = { ...fields, sign: signLeshuaResponse(fields, KEY, 'skip-empty') };
  for (const text of [REFUND_ANSWER, REFUND_ANSWER_PLAIN]) {
    if (JSON.stringify(parseLeshuaXml(text)) !== JSON.stringify(parseLeshuaXmlFully(text))) {
      throw new Error('the fast reader and the full parser disagree on the benchmark answer');
    }
  }

  const cases = [
    ['parse answer, CDATA values: full parser', () => parseLeshuaXmlFully(REFUND_ANSWER)],
    ['parse answer, CDATA values: parseLeshuaXml (fast reader)', () => parseLeshuaXml(REFUND_ANSWER)],
    ['parse answer, plain values: full parser', () => parseLeshuaXmlFully(REFUND_ANSWER_PLAIN)],
    ['parse answer, plain values: parseLeshuaXml (fast reader)', () => parseLeshuaXml(REFUND_ANSWER_PLAIN)],
    ['sign request (sort, join, MD5)', () => signLeshuaRequest(REQUEST, KEY)],
    ['md5Hex of a request sign string alone', () => md5Hex('a'.repeat(260))],
    ['verify answer, doc rule', () => verifyLeshuaResponse(signedAnswer, KEY, 'doc')],
    ['verify answer, auto, matched by the second rule', () => verifyLeshuaResponse(skipEmptyAnswer, KEY, 'auto')],
  ];
  const rows = cases.map(([name, run]) => ({ what: name, ...measureSync({ run, seconds: SECONDS }) }));
  console.table(rows);
}

main();
