'use strict';
/**
 * The Leshua sandbox in a process of its own: the product's own simulator (LeshuaSandbox, compiled,
 * from libs/gateways/leshua/dist), so requests are signature-checked and answered exactly as the
 * API's built-in sandbox does, but on an event loop and a core that the API and the reference do not
 * share. The API and the reference both call it; the direct run calls it with no platform between.
 *
 * Calls (children.js): seed { tag, count, total } seeds `count` paid orders `<tag>O<i>`;
 * stats {} counts the unified_refund calls it received per tag of merchant_refund_id (what comes before its `R`)
 * (calls, distinct refund numbers, refunds in its ledger), to check each refund came exactly once.
 */
const path = require('node:path');

const { serveParent } = require('./children');
const { orderNo } = require('./numbers');

const root = path.join(__dirname, '..', '..');
const { LeshuaSandbox } = require(path.join(root, 'libs/gateways/leshua/dist/sandbox'));

serveParent(async ({ merchants }) => {
  const sandbox = new LeshuaSandbox({ merchants });
  const url = await sandbox.start();
  const merchantId = Object.keys(merchants)[0];
  return {
    ready: { url },
    handlers: {
      seed: ({ tag, count, total }) => {
        for (let i = 0; i < count; i += 1)
          sandbox.seedOrder({ merchantId, thirdOrderId: orderNo(tag, i), totalAmount: total });
        return { seeded: count };
      },
      stats: () => {
        const byTag = {};
        for (const request of sandbox.requests()) {
          if (request.service !== 'unified_refund') continue;
          const refundNo = request.params.merchant_refund_id ?? '';
          // Tags hold no R (numbers.js): the first one ends the tag.
          const tag = refundNo.slice(0, refundNo.indexOf('R'));
          byTag[tag] ??= { calls: 0, ids: new Set() };
          byTag[tag].calls += 1;
          byTag[tag].ids.add(refundNo);
        }
        return Object.fromEntries(
          Object.entries(byTag).map(([tag, { calls, ids }]) => [
            tag,
            {
              calls,
              distinct: ids.size,
              recorded: [...ids].filter((id) => sandbox.refund(merchantId, id) !== undefined).length,
            },
          ]),
        );
      },
    },
    onClose: () => sandbox.stop(),
  };
});
