import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';

import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AxiosError } from 'axios';

import { AxiosGatewayTransport, describeFailure } from './axios-gateway-transport';
import { NodeHttpGatewayTransport } from './node-http-gateway-transport';
import { GatewayTransport } from './gateway-transport';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

/** A real HTTP server on a random port whose behaviour each test sets. */
async function startServer(
  handler: Handler,
): Promise<{ url: string; close: () => Promise<void>; connections: () => number; closedConnections: () => number }> {
  let connections = 0;
  let closedConnections = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handler(request, Buffer.concat(chunks).toString('utf8'), response));
  });
  server.on('connection', (socket: Socket) => {
    connections++;
    socket.on('close', () => closedConnections++);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/gateway`,
    connections: () => connections,
    closedConnections: () => closedConnections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls until `done` holds: a socket's close reaches the other end a few ticks later. */
async function waitFor(done: () => boolean, timeoutMs = 2000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A port that was just free: nothing listens on it, so connecting is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

type Implementation = (new () => GatewayTransport & { onApplicationShutdown(): void }) & { name: string };

// Both implementations keep one contract; each test runs against each.
describe.each<[string, Implementation]>([
  ['AxiosGatewayTransport', AxiosGatewayTransport],
  ['NodeHttpGatewayTransport', NodeHttpGatewayTransport],
])('%s', (_name, Transport) => {
  const transport = new Transport();
  afterAll(() => transport.onApplicationShutdown());
  let close: (() => Promise<void>) | undefined;

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await close?.();
    close = undefined;
  });

  it('sends the body and headers as given and returns the answer as text', async () => {
    let seen: { method?: string; path?: string; type?: string; body?: string } = {};
    const server = await startServer((request, body, response) => {
      seen = { method: request.method, path: request.url, type: request.headers['content-type'], body };
      response.setHeader('Content-Type', 'text/xml; charset=utf-8');
      response.setHeader('X-Trace', ['a', 'b']);
      response.end('<leshua><resp_code>0</resp_code></leshua>');
    });
    close = server.close;

    const result = await transport.post({
      url: server.url,
      body: 'a=1&b=%E4%B8%AD',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      timeoutMs: 5000,
    });

    expect(seen).toEqual({
      method: 'POST',
      path: '/gateway',
      type: 'application/x-www-form-urlencoded; charset=utf-8',
      body: 'a=1&b=%E4%B8%AD',
    });
    expect(result).toEqual({
      kind: 'answer',
      status: 200,
      body: '<leshua><resp_code>0</resp_code></leshua>',
      headers: expect.objectContaining({ 'content-type': 'text/xml; charset=utf-8', 'x-trace': 'a, b' }),
    });
  });

  it('keeps a JSON body as the exact text received (signatures cover those bytes)', async () => {
    const text = '{"retCode":"0000", "amount":1,"Memo":"退款成功"}';
    const server = await startServer((_request, _body, response) => {
      response.setHeader('Content-Type', 'application/json');
      response.end(text);
    });
    close = server.close;

    const result = await transport.post({
      url: server.url,
      body: Buffer.from('{}'),
      headers: {},
      timeoutMs: 5000,
    });

    expect(result).toMatchObject({ kind: 'answer', status: 200, body: text });
  });

  it('passes a 5xx through as an answer', async () => {
    const server = await startServer((_request, _body, response) => {
      response.statusCode = 502;
      response.end('<html>502 Bad Gateway</html>');
    });
    close = server.close;

    const result = await transport.post({ url: server.url, body: 'x', headers: {}, timeoutMs: 5000 });

    expect(result).toMatchObject({ kind: 'answer', status: 502, body: '<html>502 Bad Gateway</html>' });
  });

  it('does not follow redirects', async () => {
    const server = await startServer((_request, _body, response) => {
      response.statusCode = 302;
      response.setHeader('Location', 'http://127.0.0.1:1/elsewhere');
      response.end();
    });
    close = server.close;

    const result = await transport.post({ url: server.url, body: 'x', headers: {}, timeoutMs: 5000 });

    expect(result).toMatchObject({
      kind: 'answer',
      status: 302,
      headers: { location: 'http://127.0.0.1:1/elsewhere' },
    });
  });

  it('gives up on a server that never answers: timeout', async () => {
    const server = await startServer(() => undefined);
    close = server.close;

    const result = await transport.post({ url: server.url, body: 'x', headers: {}, timeoutMs: 100 });

    expect(result).toEqual({ kind: 'failure', reason: 'timeout', detail: 'no answer within 100 ms' });
  });

  it('bounds the whole call, not only socket inactivity, for a server that trickles bytes', async () => {
    const server = await startServer((_request, _body, response) => {
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      // A byte every 20 ms keeps the socket busy well past the 150 ms deadline.
      const trickle = setInterval(() => response.write('.'), 20);
      response.on('close', () => clearInterval(trickle));
    });
    close = server.close;

    const result = await transport.post({ url: server.url, body: 'x', headers: {}, timeoutMs: 150 });

    expect(result).toMatchObject({ kind: 'failure', reason: 'timeout' });
  });

  it('ends the call at the deadline even while the answer is still arriving', async () => {
    const server = await startServer((_request, _body, response) => {
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      const trickle = setInterval(() => response.write('.'), 10);
      response.on('close', () => clearInterval(trickle));
    });
    close = server.close;

    const started = Date.now();
    const result = await transport.post({ url: server.url, body: 'x', headers: {}, timeoutMs: 120 });
    const elapsed = Date.now() - started;

    expect(result).toEqual({ kind: 'failure', reason: 'timeout', detail: 'no answer within 120 ms' });
    expect(elapsed).toBeGreaterThanOrEqual(110);
    expect(elapsed).toBeLessThan(1000);
  });

  it('reuses one kept-alive socket for consecutive calls to a gateway', async () => {
    const server = await startServer((_request, _body, response) => response.end('ok'));
    close = server.close;
    const own = new Transport();

    const call = () => own.post({ url: server.url, body: 'x', headers: {}, timeoutMs: 5000 });
    await expect(call()).resolves.toMatchObject({ kind: 'answer', body: 'ok' });
    await expect(call()).resolves.toMatchObject({ kind: 'answer', body: 'ok' });
    own.onApplicationShutdown();

    expect(server.connections()).toBe(1);
  });

  it('closes its kept-alive sockets when the application shuts down', async () => {
    const server = await startServer((_request, _body, response) => response.end('ok'));
    close = server.close;
    // As gateway modules bind it: a factory, whose instance Nest still calls the shutdown hook of.
    const module = await Test.createTestingModule({
      providers: [{ provide: GatewayTransport, useFactory: () => new Transport() }],
    }).compile();
    await module.init();

    const result = await module
      .get(GatewayTransport)
      .post({ url: server.url, body: 'x', headers: {}, timeoutMs: 5000 });
    expect(result).toMatchObject({ kind: 'answer' });
    expect(server.closedConnections()).toBe(0);
    await module.close();

    await waitFor(() => server.closedConnections() === 1);
    expect(server.connections()).toBe(1);
  });

  it('sends a Content-Length rather than a chunked body', async () => {
    let seen: { length?: string; chunked?: string } = {};
    const server = await startServer((request, _body, response) => {
      seen = { length: request.headers['content-length'], chunked: request.headers['transfer-encoding'] };
      response.end('ok');
    });
    close = server.close;

    await transport.post({ url: server.url, body: 'a=乐刷', headers: {}, timeoutMs: 5000 });

    expect(seen).toEqual({ length: String(Buffer.byteLength('a=乐刷')), chunked: undefined });
  });

  it('reads a compressed answer and drops a byte order mark, as parsers expect', async () => {
    const server = await startServer((_request, _body, response) => {
      response.setHeader('Content-Encoding', 'gzip');
      response.end(gzipSync(Buffer.from('\uFEFF<leshua>乐刷</leshua>', 'utf8')));
    });
    close = server.close;

    const result = await transport.post({ url: server.url, body: 'x', headers: {}, timeoutMs: 5000 });

    expect(result).toMatchObject({ kind: 'answer', status: 200, body: '<leshua>乐刷</leshua>' });
  });

  it('reports an answer cut short as a connection failure, not a shorter body', async () => {
    const server = await startServer((_request, _body, response) => {
      response.writeHead(200, { 'Content-Length': '100' });
      response.write('<leshua>');
      setTimeout(() => response.destroy(), 20);
    });
    close = server.close;

    const result = await transport.post({ url: server.url, body: 'x', headers: {}, timeoutMs: 5000 });

    expect(result).toMatchObject({ kind: 'failure', reason: 'connection' });
  });

  it('reports a refused connection as a connection failure', async () => {
    const port = await closedPort();

    const result = await transport.post({
      url: `http://127.0.0.1:${port}/`,
      body: 'x',
      headers: {},
      timeoutMs: 5000,
    });

    expect(result).toEqual({
      kind: 'failure',
      reason: 'connection',
      detail: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('never throws, even for a URL that cannot be parsed', async () => {
    const result = await transport.post({ url: 'not a url', body: 'x', headers: {}, timeoutMs: 5000 });

    expect(result).toMatchObject({ kind: 'failure', reason: 'connection' });
  });
});

describe('describeFailure', () => {
  const context = { deadlinePassed: false, timeoutMs: 50 };

  it.each([AxiosError.ECONNABORTED, AxiosError.ETIMEDOUT, AxiosError.ERR_CANCELED])(
    'treats %s as a timeout',
    (code) => {
      expect(describeFailure(new AxiosError('boom', code), context)).toMatchObject({ reason: 'timeout' });
    },
  );

  it.each(['AbortError', 'TimeoutError'])('treats an error named %s as a timeout', (name) => {
    const error = new Error('aborted');
    error.name = name;
    expect(describeFailure(error, context)).toMatchObject({ reason: 'timeout' });
  });

  it('treats any error after the deadline as a timeout', () => {
    expect(describeFailure(new Error('socket hang up'), { ...context, deadlinePassed: true })).toMatchObject({
      reason: 'timeout',
    });
  });

  it('treats anything else as a connection failure and says what it was', () => {
    expect(describeFailure(new AxiosError('reset', 'ECONNRESET'), context)).toEqual({
      kind: 'failure',
      reason: 'connection',
      detail: 'connection error (ECONNRESET: reset)',
    });
    expect(describeFailure('odd', context)).toEqual({
      kind: 'failure',
      reason: 'connection',
      detail: 'connection error (odd)',
    });
  });
});
