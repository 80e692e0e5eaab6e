'use strict';
/**
 * The load generator of the notify-flood scenario, in a process of its own (forked by
 * scenarios/notify-flood.js), so that its own work takes no time from the API nor from the probe.
 *
 * IPC: { start: { url, limits, settings } } starts `oversizedSenders` loops that POST oversized bodies
 * (every other one chunked, without a Content-Length) and `hostileSenders` loops that POST bodies of
 * exactly their gateway's limit, each loop one request at a time, round-robin over the gateways and
 * shapes; { stop: true } ends the loops (requests in flight finish) and answers { flood } with what
 * was sent and how it was answered.
 */
const http = require('node:http');
const { performance } = require('node:perf_hooks');

const { hostileBodies, oversizedBodies } = require('./notify-bodies');
const { summarize } = require('./stats');

const CHUNK = 64 * 1024;

/**
 * One POST; resolves { outcome, ms }: the HTTP status, or the error that ended the exchange before one
 * (a server that answers early and closes may cut off the rest of the body: that is still its answer).
 */
function post({ url, gateway, type, body, chunked, agent }) {
  return new Promise((resolve) => {
    const started = performance.now();
    let done = false;
    const finish = (outcome) => {
      if (done) return;
      done = true;
      resolve({ outcome: String(outcome), ms: performance.now() - started });
    };
    const headers = { 'content-type': type };
    if (!chunked) headers['content-length'] = body.length;
    const req = http.request(`${url}/notify/${gateway}`, { method: 'POST', headers, agent });
    req.setTimeout(60_000, () => req.destroy(new Error('timeout')));
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => finish(res.statusCode));
      res.on('error', () => finish(res.statusCode));
    });
    req.on('error', (error) => finish(error.code || error.message));
    if (!chunked) {
      req.end(body);
      return;
    }
    let offset = 0;
    const writeMore = () => {
      while (offset < body.length && !done) {
        const chunk = body.subarray(offset, offset + CHUNK);
        offset += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', writeMore);
      }
      if (!done) req.end();
    };
    writeMore();
  });
}

function tallyInto(counts, outcome) {
  counts[outcome] = (counts[outcome] ?? 0) + 1;
}

function newStats() {
  return { sent: 0, bytesSent: 0, outcomes: {}, ms: [] };
}

async function senderLoop({ bodies, offset, url, agent, stats, state, chunkedEveryOther }) {
  for (let i = offset; !state.stopped; i++) {
    const item = bodies[i % bodies.length];
    const chunked = chunkedEveryOther && i % 2 === 1;
    const { outcome, ms } = await post({ url, ...item, chunked, agent });
    stats.sent += 1;
    stats.bytesSent += item.body.length;
    stats.ms.push(ms);
    tallyInto(stats.outcomes, outcome);
  }
}

const state = { stopped: false, loops: [], started: 0 };
const stats = { oversized: newStats(), hostile: newStats() };

process.on('message', async (message) => {
  if (message.start) {
    const { url, limits, settings } = message.start;
    const oversized = oversizedBodies(settings.oversizedBytes);
    const hostile = hostileBodies(limits);
    // Oversized: a connection each, as an attacker would open them; hostile: kept alive, as a gateway would.
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: Math.max(1, settings.hostileSenders) });
    state.started = performance.now();
    for (let i = 0; i < settings.oversizedSenders; i++) {
      state.loops.push(
        senderLoop({
          bodies: oversized,
          offset: i,
          url,
          agent: false,
          stats: stats.oversized,
          state,
          chunkedEveryOther: true,
        }),
      );
    }
    for (let i = 0; i < settings.hostileSenders; i++) {
      state.loops.push(senderLoop({ bodies: hostile, offset: i, url, agent: keepAlive, stats: stats.hostile, state }));
    }
    process.send({ started: { shapes: hostile.map((b) => `${b.gateway}: ${b.shape} (${b.body.length} B)`) } });
  } else if (message.stop) {
    state.stopped = true;
    const seconds = (performance.now() - state.started) / 1000;
    await Promise.all(state.loops);
    const report = (s) => ({
      sent: s.sent,
      perSecond: Number((s.sent / seconds).toFixed(1)),
      mibPerSecond: Number((s.bytesSent / 1024 / 1024 / seconds).toFixed(1)),
      outcomes: s.outcomes,
      latencyMs: summarize(s.ms),
    });
    process.send({
      flood: {
        seconds: Number(seconds.toFixed(1)),
        oversized: report(stats.oversized),
        hostile: report(stats.hostile),
      },
    });
  }
});
