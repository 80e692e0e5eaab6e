'use strict';
/**
 * Micro benchmark of the gateway HTTP client: calls per second and client CPU per call, at c=1 and
 * c=16, against a keep-alive node:http server in a child process (bench/micro/answer-server.js).
 *
 *   npx tsc -b libs/gateways/kit/tsconfig.build.json && node bench/micro/gateway-transport.js
 *   MICRO_SECONDS=5 node bench/micro/gateway-transport.js
 *
 * Variants: a bare node:http request on a keep-alive agent (the floor any client pays), the
 * transport as it was before keep-alive agents (axios.create() with default agents, an
 * AbortController and a timer per call, replicated here), and the compiled AxiosGatewayTransport
 * and NodeHttpGatewayTransport (MICRO_ONLY=<part of a name> runs one).
 * The server's connection count per variant shows whether sockets were reused.
 */
const { fork } = require('node:child_process');
const http = require('node:http');
const path = require('node:path');

const axios = require('axios');

const { measure } = require('./measure');

const SECONDS = Number(process.env.MICRO_SECONDS ?? 3);
const WARMUP = Number(process.env.MICRO_WARMUP ?? 2000);
const BODY =
  'service=unified_refund&merchant_id=0000000018&third_order_id=R20261130152200001' +
  '&merchant_refund_id=RF20261130152200001&refund_amount=100&nonce_str=a1b2c3d4e5' +
  '&notify_url=https%3A%2F%2Frefundhub.test%2Fnotify%2Fleshua&sign=0123456789ABCDEF0123456789ABCDEF';
const HEADERS = { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' };
const TIMEOUT_MS = 5000;

function startServer() {
  const child = fork(path.join(__dirname, 'answer-server.js'), { stdio: 'inherit' });
  return new Promise((resolve) => {
    child.once('message', ({ port }) =>
      resolve({ child, url: `http://127.0.0.1:${port}/cgi-bin/lepos_pay_gateway.cgi` }),
    );
  });
}

function connectionCount(child) {
  return new Promise((resolve) => {
    child.once('message', ({ connections }) => resolve(connections));
    child.send('connections');
  });
}

/** The floor: node:http on a keep-alive agent, body read as text, one timer per call. */
function bareNodeHttp(url) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const target = new URL(url);
  const call = () =>
    new Promise((resolve, reject) => {
      const request = http.request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: HEADERS },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode, body: text, headers: response.headers }));
        },
      );
      request.setTimeout(TIMEOUT_MS);
      request.on('error', reject);
      request.end(BODY);
    });
  return { call, close: () => agent.destroy() };
}

/** AxiosGatewayTransport before keep-alive agents, replicated: default agents, a controller and a timer per call. */
function axiosBefore(url) {
  const instance = axios.create();
  const call = async () => {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), TIMEOUT_MS);
    try {
      const response = await instance.request({
        method: 'POST',
        url,
        data: BODY,
        headers: { ...HEADERS },
        timeout: TIMEOUT_MS,
        signal: deadline.signal,
        responseType: 'text',
        responseEncoding: 'utf8',
        transformResponse: [(data) => data],
        validateStatus: () => true,
        maxRedirects: 0,
      });
      const headers = {};
      const raw = axios.AxiosHeaders.from(response.headers).toJSON(true);
      for (const [name, value] of Object.entries(raw)) headers[name.toLowerCase()] = String(value);
      return { status: response.status, body: response.data, headers };
    } finally {
      clearTimeout(timer);
    }
  };
  return { call, close: () => undefined };
}

/** A compiled transport of libs/gateways/kit, as adapters use it. */
function gatewayTransport(url, file, className) {
  const Transport = require(`../../libs/gateways/kit/dist/http/${file}`)[className];
  const transport = new Transport();
  const call = async () => {
    const result = await transport.post({ url, body: BODY, headers: HEADERS, timeoutMs: TIMEOUT_MS });
    if (result.kind !== 'answer') throw new Error(`${result.reason}: ${result.detail}`);
    return result;
  };
  const close = () => transport.onApplicationShutdown?.();
  return { call, close };
}

const VARIANTS = [
  ['node:http + keep-alive agent (floor)', bareNodeHttp],
  ['axios, default agents, controller per call (before)', axiosBefore],
  [
    'AxiosGatewayTransport (kit dist)',
    (url) => gatewayTransport(url, 'axios-gateway-transport', 'AxiosGatewayTransport'),
  ],
  [
    'NodeHttpGatewayTransport (kit dist)',
    (url) => gatewayTransport(url, 'node-http-gateway-transport', 'NodeHttpGatewayTransport'),
  ],
];

async function main() {
  const { child, url } = await startServer();
  const only = process.env.MICRO_ONLY;
  const rows = [];
  try {
    for (const [name, make] of VARIANTS) {
      if (only && !name.includes(only)) continue;
      const client = make(url);
      const first = await client.call();
      if (first.status !== 200 || !first.body.includes('<leshua>')) throw new Error(`${name}: unexpected answer`);
      for (const concurrency of [1, 16]) {
        const before = await connectionCount(child);
        const result = await measure({ call: client.call, concurrency, seconds: SECONDS, warmupCalls: WARMUP });
        const connections = (await connectionCount(child)) - before;
        rows.push({ client: name, c: concurrency, ...result, newConnections: connections });
        console.log(JSON.stringify(rows.at(-1)));
      }
      await client.close();
    }
  } finally {
    child.send('stop');
  }
  console.table(rows);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
