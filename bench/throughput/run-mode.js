'use strict';
/**
 * One mode of the throughput stage (sqlite-full, sqlite-normal or postgresql), five processes: the
 * Leshua sandbox, the API, the reference, the load generator, and this one, which only orchestrates
 * and reads /proc. The API and the reference each get a fresh database and the same sandbox; each is
 * warmed up, then loaded at c=concurrency (throughput) and at c=1 (latency); then the sandbox is
 * called directly at c=1, the bare gateway call that "latency added" is measured from.
 *
 * Afterwards every refund is checked: 201 PROCESSING in the answer, received by the sandbox exactly
 * once, and one row in the database that answered it.
 */
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const { startChild } = require('./children');
const { freshDatabase, migrate, countRefunds } = require('./databases');
const { cpuMeter, cpuSeconds, cpuSecondsOfAll, cpuSince, memoryOf } = require('./proc');
const { evaluateTargets } = require('./targets');
const { MERCHANT, LESHUA_KEYS } = require('../lib/api');
const { machineCpuTicks, machineBusyBetween } = require('../lib/cpu');

const KEY = 'rh_bench_throughput_0001';
/** The first letter of a run's tag (numbers.js): who was called. */
const LETTER = { api: 'A', reference: 'F', direct: 'D' };

/** Every child and database of this mode, closed in reverse order, also on Ctrl-C. */
function owner(cleanups) {
  const closers = [];
  return {
    add(close) {
      closers.push(close);
      cleanups.add(close);
    },
    async closeAll(say) {
      for (const close of closers.reverse()) {
        await close().catch((error) => say(`closing failed: ${error.message}`));
        cleanups.delete(close);
      }
    },
  };
}

async function runMode(mode, { settings, tp, check, say, cleanups }) {
  const label = `[throughput ${mode.mode}]`;
  const own = owner(cleanups);
  const started = performance.now();
  try {
    const sandbox = await startChild('sandbox', path.join(__dirname, 'sandbox-process.js'), { merchants: LESHUA_KEYS });
    own.add(sandbox.close);
    const apiDb = await freshDatabase(mode, settings);
    own.add(apiDb.drop);
    const refDb = await freshDatabase(mode, settings);
    own.add(refDb.drop);
    await migrate(refDb, mode);
    const common = {
      merchants: LESHUA_KEYS,
      key: KEY,
      sandboxUrl: sandbox.ready.url,
      gatewayTimeoutMs: settings.gatewayTimeoutMs,
    };
    const api = await startChild('api', path.join(__dirname, 'api-process.js'), {
      ...common,
      database: apiDb.options,
      synchronous: mode.synchronous,
    });
    own.add(api.close);
    const reference = await startChild('reference', path.join(__dirname, '..', 'reference', 'reference-server.js'), {
      ...common,
      dialect: mode.dialect,
      sqlite: { path: refDb.options.path, synchronous: mode.synchronous },
      postgres: { url: refDb.options.url, poolMax: settings.pgPoolMax ?? 10 },
    });
    own.add(reference.close);
    const load = await startChild('load', path.join(__dirname, 'load-runner.js'), {});
    own.add(load.close);
    say(
      `${label} API ${api.ready.url} (pid ${api.pid}) on ${apiDb.describe}; reference ${reference.ready.url} (pid ${reference.pid}) on ${refDb.describe}`,
    );

    const pids = { sandbox: sandbox.pid, load: load.pid };
    const base = {
      merchantId: MERCHANT,
      amount: 100,
      total: 1000,
      seconds: tp.seconds,
      timeoutMs: settings.gatewayTimeoutMs,
      key: KEY,
    };
    /** Seeds the run's orders in the sandbox (spares: autocannon builds a request ahead per connection), then loads. */
    const run = async (who, phase, { url, count, concurrency, kind = 'refunds' }) => {
      const tag = `${LETTER[who]}${phase}`;
      await sandbox.call('seed', { tag, count: count + 2 * concurrency, total: base.total });
      const job = { ...base, kind, tag, url, count, concurrency, notifyUrl: `${api.ready.url}/notify/leshua` };
      if (kind === 'direct') job.tradeKey = LESHUA_KEYS[MERCHANT].tradeKey;
      const result = await load.call('run', job);
      return { tag, concurrency, ...result };
    };

    const figures = {};
    const latencyWarmup = Math.max(1, Math.round(tp.latencyRequests / 10));
    const servers = { api, reference };
    const databases = { api: apiDb, reference: refDb };
    const runs = { api: [], reference: [] };
    // PostgreSQL's backends of a server's database name it in their titles.
    const dbNames = Object.fromEntries(
      Object.entries(databases).map(([who, db]) => [
        who,
        db.options.url ? new URL(db.options.url).pathname.slice(1) : null,
      ]),
    );
    for (const who of ['api', 'reference']) {
      if (tp.warmup > 0)
        runs[who].push(
          await run(who, 'W', { url: servers[who].ready.url, count: tp.warmup, concurrency: tp.concurrency }),
        );
      await databases[who].analyze();
    }
    // The measured load alternates between the two servers, round by round and each round's first
    // swapped, so a machine that speeds up or slows down during the stage weighs on both alike.
    const rounds = { api: [], reference: [] };
    for (let round = 1; round <= tp.rounds; round += 1) {
      const order = round % 2 === 1 ? ['api', 'reference'] : ['reference', 'api'];
      for (const who of order) {
        const pid = servers[who].pid;
        const meter = cpuMeter({ [who]: pid, ...pids });
        const dbName = dbNames[who];
        const used = {
          cpu: cpuSince(() => cpuSeconds(pid)),
          main: cpuSince(() => cpuSeconds(pid, { mainThread: true })),
          server: cpuSince(() => (dbName === null ? null : cpuSecondsOfAll('postgres', dbName))),
        };
        const machineStart = machineCpuTicks();
        const measured = await run(who, `M${round}`, {
          url: servers[who].ready.url,
          count: tp.requests,
          concurrency: tp.concurrency,
        });
        measured.cores = meter.stop();
        measured.cpuSeconds = used.cpu();
        measured.mainCpuSeconds = used.main();
        measured.serverCpuSeconds = used.server();
        measured.machineCpuBusy = machineBusyBetween(machineStart, machineCpuTicks());
        rounds[who].push(measured);
        runs[who].push(measured);
      }
    }
    for (const who of ['api', 'reference']) {
      const target = servers[who];
      const url = target.ready.url;
      const throughput = medianRound(rounds[who]);
      throughput.rounds = rounds[who].map((r) => Number(r.perSecond.toFixed(1)));
      throughput.cpuMsPerRequest = cpuMsPerRequest(rounds[who], 'cpuSeconds');
      // The rest of the process's CPU is V8's own threads: concurrent marking, parallel scavenges, compiling.
      throughput.mainCpuMsPerRequest = cpuMsPerRequest(rounds[who], 'mainCpuSeconds');
      // PostgreSQL's own work for the server's statements: the same statements should cost the same.
      throughput.serverCpuMsPerRequest = cpuMsPerRequest(rounds[who], 'serverCpuSeconds');
      const memory = memoryOf(target.pid);
      runs[who].push(await run(who, 'V', { url, count: latencyWarmup, concurrency: 1 }));
      const latency = await run(who, 'L', { url, count: tp.latencyRequests, concurrency: 1 });
      runs[who].push(latency);
      figures[who] = { throughput, latency, memory, runs: runs[who] };
      say(
        `${label} ${who}: c=${tp.concurrency} ${throughput.perSecond.toFixed(1)}/s p50 ${throughput.latencyMs.p50} ms ` +
          `(rounds ${throughput.rounds.join(', ')}/s; ${throughput.cpuMsPerRequest ?? '-'} CPU ms per refund, ` +
          `${throughput.mainCpuMsPerRequest ?? '-'} on the main thread` +
          `${throughput.serverCpuMsPerRequest === null ? '' : `, PostgreSQL ${throughput.serverCpuMsPerRequest}`}); ` +
          `c=1 p50 ${latency.latencyMs.p50} ms; peak RSS ${memory.peakRssMiB} MiB`,
      );
    }
    // Each round's two runs ran back to back: their ratio is the fairest, the median the figure.
    figures.roundRatios = rounds.api.map((r, i) => Number((r.perSecond / rounds.reference[i].perSecond).toFixed(3)));
    figures.ratio = median(figures.roundRatios);
    const sandboxUrl = sandbox.ready.url;
    const directRuns = [
      await run('direct', 'V', { url: sandboxUrl, count: latencyWarmup, concurrency: 1, kind: 'direct' }),
    ];
    const direct = await run('direct', 'L', {
      url: sandboxUrl,
      count: tp.latencyRequests,
      concurrency: 1,
      kind: 'direct',
    });
    directRuns.push(direct);
    figures.direct = { latency: direct, runs: directRuns };
    figures.addedP50Ms = {
      api: figures.api.latency.latencyMs.p50 - direct.latencyMs.p50,
      reference: figures.reference.latency.latencyMs.p50 - direct.latencyMs.p50,
    };
    figures.memory = {
      apiPeakRssMiB: figures.api.memory.peakRssMiB,
      apiReportedMaxRssMiB: (await api.call('memory')).maxRssMiB,
      referencePeakRssMiB: figures.reference.memory.peakRssMiB,
    };

    await checkRefunds({ mode, figures, sandbox, databases: { api: apiDb, reference: refDb }, check });
    const targets = evaluateTargets(mode, figures, tp.targets);
    for (const who of ['api', 'reference', 'direct']) delete figures[who].runs;
    return {
      mode: mode.mode,
      dialect: mode.dialect,
      synchronous: mode.synchronous ?? null,
      databases: { api: apiDb.describe, reference: refDb.describe },
      ...figures,
      targets,
      durationS: Number(((performance.now() - started) / 1000).toFixed(1)),
    };
  } finally {
    await own.closeAll((line) => say(`${label} ${line}`));
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The round of median rate (the lower middle of an even count): its latencies go with its rate. */
function medianRound(rounds) {
  const sorted = [...rounds].sort((a, b) => a.perSecond - b.perSecond);
  return { ...sorted[Math.floor((sorted.length - 1) / 2)] };
}

/**
 * CPU time of the server's process, every thread (the garbage collector's and the compiler's too),
 * per request over all measured rounds: unlike a rate, it hardly moves when the machine is busy.
 */
function cpuMsPerRequest(rounds, field) {
  if (rounds.some((r) => r[field] === null || r[field] === undefined)) return null;
  const seconds = rounds.reduce((sum, r) => sum + r[field], 0);
  const sent = rounds.reduce((sum, r) => sum + r.sent, 0);
  return Number(((seconds * 1000) / sent).toFixed(3));
}

/** The answers a run counts as accepted: 201 from a server, 200 from the sandbox itself. */
const accepted = (who, run) => (who === 'direct' ? (run.http['200'] ?? 0) : (run.http['201'] ?? 0));

/**
 * Every answer 201 PROCESSING; the sandbox got each refund exactly once; each database holds one
 * PROCESSING row per refund the sandbox got. A run stopped by its cap left up to `concurrency`
 * requests unanswered: those may have reached the sandbox and the database, but no more of them.
 */
async function checkRefunds({ mode, figures, sandbox, databases, check }) {
  const stats = await sandbox.call('stats');
  for (const who of ['api', 'reference', 'direct']) {
    const runs = figures[who].runs;
    const sum = (of) => runs.reduce((total, r) => total + of(r), 0);
    const sent = sum((r) => r.sent);
    const created = sum((r) => accepted(who, r));
    const processing = sum((r) => r.status.PROCESSING ?? 0);
    const errors = sum((r) => r.errors);
    const complete = runs.every((r) => r.capped || r.sent === r.requested);
    const name = who === 'direct' ? 'direct to the sandbox' : who;
    check(
      `${mode.mode} ${name}: every request answered ${who === 'direct' ? '200' : '201'} PROCESSING`,
      complete && created === sent && processing === sent && errors === 0,
      `answered ${sent}, errors ${errors}; ` +
        runs
          .map(
            (r) =>
              `${r.tag}${r.capped ? ' (capped)' : ''}: ${r.sent}/${r.requested} http ${JSON.stringify(r.http)} status ${JSON.stringify(r.status)}`,
          )
          .join('; '),
    );
    const received = runs.map((r) => ({
      tag: r.tag,
      capped: r.capped,
      accepted: accepted(who, r),
      ...(stats[r.tag] ?? { calls: 0, distinct: 0, recorded: 0 }),
    }));
    const once = (r) => r.calls === r.distinct && r.recorded === r.distinct;
    const all = (r) =>
      r.capped ? r.distinct >= r.accepted && r.distinct - r.accepted <= r.concurrency : r.distinct === r.accepted;
    check(
      `${mode.mode} ${name}: the sandbox received each refund exactly once`,
      received.every((r, i) => once(r) && all({ ...r, concurrency: runs[i].concurrency })),
      JSON.stringify(received),
    );
    if (who === 'direct') continue;
    const submitted = received.reduce((total, r) => total + r.distinct, 0);
    const rows = await countRefunds(databases[who]);
    check(
      `${mode.mode} ${name}: one PROCESSING row per refund the sandbox received, in its database`,
      rows.refunds === submitted && rows.processing === submitted,
      `201s ${created}, received by the sandbox ${submitted}, rows ${rows.refunds}, PROCESSING ${rows.processing}`,
    );
  }
}

module.exports = { runMode };
