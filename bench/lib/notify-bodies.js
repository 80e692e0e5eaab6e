'use strict';
/**
 * Hostile notification bodies for the notify-flood scenario: oversized ones (larger than any gateway
 * sends), and ones of exactly a gateway's limit shaped to make a parser work (deep nesting, thousands
 * of elements or fields, large signed-looking notifications that reach signature checks). Every body is
 * built once and reused; nothing here sends anything.
 */

/** `text` padded with `pad` (whitespace a parser skips, or empty form pairs) to exactly `bytes` bytes. */
function exactly(text, bytes, pad = ' ') {
  const buffer = Buffer.from(text, 'utf8');
  if (buffer.length >= bytes) return buffer.subarray(0, bytes);
  return Buffer.concat([buffer, Buffer.alloc(bytes - buffer.length, pad)]);
}

/** `unit(i)` repeated from `open` until `close` would no longer fit in `bytes`, then padded. */
function repeated({ open, unit, close, bytes, pad }) {
  const parts = [open];
  let size = Buffer.byteLength(open) + Buffer.byteLength(close);
  for (let i = 0; ; i++) {
    const next = unit(i);
    const length = Buffer.byteLength(next);
    if (size + length > bytes) break;
    parts.push(next);
    size += length;
  }
  parts.push(close);
  return exactly(parts.join(''), bytes, pad);
}

/** Depth-`n` nesting that fits `bytes`: `<a>` / `[` / `{"a":` n times, then the closers. */
function nested({ opener, closer, inner = '', bytes }) {
  const depth = Math.floor(
    (bytes - Buffer.byteLength(inner)) / (Buffer.byteLength(opener) + Buffer.byteLength(closer)),
  );
  return exactly(`${opener.repeat(depth)}${inner}${closer.repeat(depth)}`, bytes);
}

const LESHUA_FIELDS = {
  merchant_id: '0000000018',
  third_order_id: 'T20250101000001',
  refund_amount: '100',
  merchant_refund_id: 'R20250101000001',
  leshua_refund_id: 'LSR1',
  status: '11',
  error_code: '0',
  nonce_str: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
  sign: '0b574d40e722ec76b55d4e8795f71182',
};

function leshuaXml(fields, filler) {
  const children = Object.entries(fields).map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`);
  return `<?xml version="1.0" encoding="utf-8"?><leshua>${children.join('')}<failure_reason><![CDATA[${filler}]]></failure_reason></leshua>`;
}

/** A realistic notification whose one free-text field fills the body: it reaches the signature check. */
function bigField(build, bytes) {
  const empty = Buffer.byteLength(build(''));
  return exactly(build('退'.repeat(Math.max(0, Math.floor((bytes - empty) / 3)))), bytes);
}

const HOSTILE = {
  leshua: (bytes) => [
    { shape: 'nested XML', type: 'text/xml', body: nested({ opener: '<a>', closer: '</a>', bytes }) },
    {
      shape: 'XML of empty elements',
      type: 'text/xml',
      body: repeated({ open: '<leshua>', unit: () => '<a/>', close: '</leshua>', bytes }),
    },
    {
      shape: 'XML of many fields',
      type: 'text/xml',
      body: repeated({ open: '<leshua>', unit: (i) => `<f${i}>1</f${i}>`, close: '</leshua>', bytes }),
    },
    {
      shape: 'forged XML notification',
      type: 'text/xml',
      body: bigField((filler) => leshuaXml(LESHUA_FIELDS, filler), bytes),
    },
  ],
  umf: (bytes) => [
    { shape: 'nested JSON', type: 'application/json', body: nested({ opener: '[', closer: ']', bytes }) },
    {
      shape: 'JSON of many members',
      type: 'application/json',
      body: repeated({ open: '{"a":"1"', unit: (i) => `,"f${i}":"1"`, close: '}', bytes }),
    },
    {
      shape: 'forged JSON notification',
      type: 'application/json',
      body: bigField(
        (filler) =>
          JSON.stringify({
            funCode: 'PayResultNotify',
            merId: '30000101',
            partnerOrderId: 'UMF1',
            refundPartnerOrderId: 'UR1',
            amount: '100',
            tradeState: 'REFUND_SUCCESS',
            retMsg: filler,
            sign: 'A'.repeat(172),
          }),
        bytes,
      ),
    },
  ],
  baofoo: (bytes) => [
    {
      shape: 'form of many fields',
      type: 'application/x-www-form-urlencoded',
      body: repeated({ open: 'notifyType=REFUND', unit: (i) => `&f${i}=1`, close: '', bytes, pad: '&' }),
    },
    {
      shape: 'nested dataContent',
      type: 'application/json',
      body: exactly(
        JSON.stringify({
          notifyType: 'REFUND',
          signStr: 'ab',
          dataContent: nested({ opener: '{"a":', closer: '}', inner: '1', bytes: bytes - 80 }).toString(),
        }),
        bytes,
      ),
    },
    {
      shape: 'forged form notification',
      type: 'application/x-www-form-urlencoded',
      body: bigField(
        (filler) =>
          new URLSearchParams({
            merId: '100000',
            notifyType: 'REFUND',
            signStr: 'ab'.repeat(256),
            dataContent: JSON.stringify({
              merId: '100000',
              outTradeNo: 'BFR1',
              refundState: 'SUCCESS',
              errMsg: filler,
            }),
          }).toString(),
        bytes,
      ),
    },
  ],
};

/** Bodies of exactly each gateway's limit: `[{ gateway, shape, type, body }]`. */
function hostileBodies(limits) {
  return Object.entries(HOSTILE).flatMap(([gateway, build]) =>
    build(limits[gateway]).map((body) => ({ gateway, ...body })),
  );
}

/** One body per gateway of `bytes` bytes, larger than any notification: `[{ gateway, shape, type, body }]`. */
function oversizedBodies(bytes) {
  return [
    {
      gateway: 'leshua',
      shape: 'XML of many fields',
      type: 'text/xml',
      body: repeated({ open: '<leshua>', unit: (i) => `<f${i}>1</f${i}>`, close: '</leshua>', bytes }),
    },
    {
      gateway: 'umf',
      shape: 'JSON of many members',
      type: 'application/json',
      body: repeated({ open: '{"a":"1"', unit: (i) => `,"f${i}":"1"`, close: '}', bytes }),
    },
    {
      gateway: 'baofoo',
      shape: 'form of many fields',
      type: 'application/x-www-form-urlencoded',
      body: repeated({ open: 'notifyType=REFUND', unit: (i) => `&f${i}=1`, close: '', bytes, pad: '&' }),
    },
  ];
}

module.exports = { hostileBodies, oversizedBodies };
