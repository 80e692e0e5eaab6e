'use strict';
/**
 * The HTTP client, on a worker thread of its own. The API and the gateway sandbox share the
 * main thread's event loop; a client there would steal that loop's time and inflate every
 * latency. On its own thread it runs on the second core instead.
 *
 * Jobs (workerData):
 *   batch: send `requests` with at most `concurrency` in flight, none started after `deadline`.
 *   walk:  follow `nextCursor` from `path` until the last page, `maxPages` or `deadline`.
 */
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');

async function call(job, method, path, body) {
  const headers = { authorization: `Bearer ${job.key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const started = performance.now();
  try {
    const response = await fetch(`${job.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      // Bounded: a hung request ends as an error sample instead of hanging the run.
      signal: AbortSignal.timeout(job.timeoutMs),
    });
    const text = await response.text();
    const ms = performance.now() - started;
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON: kept as null, the HTTP status says enough
    }
    return { ms, http: response.status, json };
  } catch (error) {
    return { ms: performance.now() - started, http: 0, json: null, error: String(error.message || error) };
  }
}

async function batch(job) {
  const n = job.requests.length;
  const ms = new Array(n).fill(null);
  const http = new Array(n).fill(null);
  const status = new Array(n).fill(null);
  const errors = [];
  let next = 0;
  const lane = async () => {
    while (next < n && Date.now() < job.deadline) {
      const i = next++;
      const { method, path, body } = job.requests[i];
      const answer = await call(job, method, path, body);
      ms[i] = answer.ms;
      http[i] = answer.http;
      // The refund's own status (PROCESSING, UNKNOWN...) or the API's error code.
      status[i] = answer.json?.status ?? answer.json?.code ?? null;
      if (answer.error && errors.length < 5) errors.push(answer.error);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(job.concurrency, n) }, lane));
  const elapsedMs = performance.now() - started;
  // Requests the deadline kept from starting are left out, not counted as failures.
  const done = [...ms.keys()].filter((i) => ms[i] !== null);
  return {
    elapsedMs,
    sent: done.length,
    notStarted: n - done.length,
    ms: done.map((i) => ms[i]),
    http: done.map((i) => http[i]),
    status: done.map((i) => status[i]),
    errors,
  };
}

async function walk(job) {
  const pages = [];
  const ids = new Set();
  let items = 0;
  let cursor = null;
  let complete = false;
  let failure = null;
  const started = performance.now();
  while (pages.length < job.maxPages && Date.now() < job.deadline) {
    const sep = job.path.includes('?') ? '&' : '?';
    const path = cursor ? `${job.path}${sep}cursor=${encodeURIComponent(cursor)}` : job.path;
    const answer = await call(job, 'GET', path);
    if (answer.http !== 200 || !answer.json || !Array.isArray(answer.json.items)) {
      failure = `HTTP ${answer.http} ${answer.error ?? JSON.stringify(answer.json)?.slice(0, 200)}`;
      break;
    }
    pages.push(answer.ms);
    items += answer.json.items.length;
    for (const item of answer.json.items) ids.add(item.id);
    cursor = answer.json.nextCursor;
    if (!cursor) {
      complete = true;
      break;
    }
  }
  return { elapsedMs: performance.now() - started, pages, items, distinctIds: ids.size, complete, failure };
}

(async () => {
  const elu = performance.eventLoopUtilization();
  const result = workerData.kind === 'walk' ? await walk(workerData) : await batch(workerData);
  // How busy the client itself was: near 1 would mean the client, not the API, set the pace.
  result.clientLoopUtilization = performance.eventLoopUtilization(elu).utilization;
  parentPort.postMessage(result);
})().catch((error) => parentPort.postMessage({ fatal: String(error.stack || error) }));
