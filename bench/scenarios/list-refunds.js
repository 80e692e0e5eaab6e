'use strict';
/**
 * GET /refunds latency over the rows the earlier scenarios left (a few thousand): a finance
 * client paging through everything, newest first, by cursor, one page at a time. Each walk
 * must see every row exactly once, or cursor paging is broken and the numbers mean nothing.
 */
const { Refund } = require('@refundhub/core');

const { measured, runWalk } = require('../lib/load');
const { summarize } = require('../lib/stats');

async function listRefunds({ api, settings, check }) {
  const rows = await api.orm.em.fork().count(Refund, {});
  const results = [];
  for (const limit of settings.listLimits) {
    const pages = [];
    let walks = 0;
    let items = 0;
    let clientLoop = 0;
    let bad = null;
    const deadline = Date.now() + settings.scenarioSeconds * 1000;
    const run = await measured(async () => {
      for (let pass = 0; pass < settings.listPasses && Date.now() < deadline; pass += 1) {
        const walk = await runWalk(api, `/refunds?limit=${limit}`, { maxPages: Math.ceil(rows / limit) + 2, deadline });
        walks += 1;
        pages.push(...walk.pages);
        items += walk.items;
        clientLoop = Math.max(clientLoop, walk.clientLoopUtilization);
        // A walk cut short by the deadline is not a paging fault; anything else is.
        const cutShort = !walk.complete && !walk.failure && Date.now() >= deadline;
        if (!cutShort && (walk.failure || walk.items !== rows || walk.distinctIds !== rows)) {
          bad ??= `pass ${pass + 1}: ${walk.failure ?? `${walk.items} items, ${walk.distinctIds} distinct, ${rows} rows`}`;
        }
      }
    });
    check(
      `list: limit=${limit} cursor walk returns all ${rows} rows once`,
      bad === null,
      bad ?? `${walks} walk(s), ${pages.length} pages`,
    );
    results.push({
      scenario: `list${limit}`,
      label: `GET /refunds?limit=${limit}, cursor walk`,
      rows,
      walks,
      requested: pages.length,
      sent: pages.length,
      ok: bad === null ? pages.length : 0,
      perSecond: pages.length / (run.wallMs / 1000),
      rowsPerSecond: items / (run.wallMs / 1000),
      elapsedMs: run.wallMs,
      latencyMs: summarize(pages),
      apiLoopUtilization: run.apiLoopUtilization,
      processCpuCores: run.processCpuCores,
      machineCpuBusy: run.machineCpuBusy,
      clientLoopUtilization: clientLoop,
    });
  }
  return results;
}

module.exports = { listRefunds };
