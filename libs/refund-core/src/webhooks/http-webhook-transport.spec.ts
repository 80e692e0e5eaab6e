import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { HttpWebhookTransport } from './http-webhook-transport';
import type { WebhookHttpRequest } from './webhook-transport';

interface Heard {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A receiver on 127.0.0.1 that records requests and answers with `handle`. */
async function receiver(handle: (req: IncomingMessage, res: ServerResponse) => void) {
  const heard: Heard[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      heard.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      handle(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    heard,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe(HttpWebhookTransport.name, () => {
  const sut = new HttpWebhookTransport();
  const request = (overrides: Partial<WebhookHttpRequest>): WebhookHttpRequest => ({
    url: 'http://127.0.0.1:1/',
    headers: { 'content-type': 'application/json', 'webhook-id': 'evt-1' },
    body: '{"type":"refund.succeeded","reason":"退货"}',
    timeoutMs: 5_000,
    addresses: null,
    ...overrides,
  });
  let server: Awaited<ReturnType<typeof receiver>> | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('POSTs the exact body and headers and answers the status', async () => {
    server = await receiver((_req, res) => res.writeHead(204).end());
    const answer = await sut.post(request({ url: `http://127.0.0.1:${server.port}/hooks?token=t` }));
    expect(answer).toEqual({ status: 204 });
    expect(server.heard).toEqual([
      expect.objectContaining({
        method: 'POST',
        url: '/hooks?token=t',
        body: '{"type":"refund.succeeded","reason":"退货"}',
        headers: expect.objectContaining({
          'content-type': 'application/json',
          'webhook-id': 'evt-1',
          'content-length': String(Buffer.byteLength('{"type":"refund.succeeded","reason":"退货"}')),
        }),
      }),
    ]);
  });

  it('follows no redirect: the 3xx is the answer', async () => {
    server = await receiver((req, res) =>
      req.url === '/hooks' ? res.writeHead(307, { location: '/elsewhere' }).end() : res.writeHead(200).end(),
    );
    expect(await sut.post(request({ url: `http://127.0.0.1:${server.port}/hooks` }))).toEqual({ status: 307 });
    expect(server.heard.map((heard) => heard.url)).toEqual(['/hooks']);
  });

  it('connects only to the addresses it is given, naming the host as the URL does', async () => {
    server = await receiver((_req, res) => res.writeHead(200).end());
    // `.invalid` never resolves: reaching the receiver proves the pinned address was used.
    const url = `http://hooks.invalid:${server.port}/hooks`;
    expect(await sut.post(request({ url, addresses: [{ address: '127.0.0.1', family: 4 }] }))).toEqual({ status: 200 });
    expect(server.heard[0].headers.host).toBe(`hooks.invalid:${server.port}`);
  });

  it('gives up on a receiver that does not answer within the timeout', async () => {
    server = await receiver(() => undefined);
    await expect(sut.post(request({ url: `http://127.0.0.1:${server.port}/`, timeoutMs: 150 }))).rejects.toThrow(
      'timeout after 150 ms',
    );
  });

  it('says what happened when nothing answers', async () => {
    server = await receiver((_req, res) => res.end());
    const { port } = server;
    await server.close();
    server = undefined;
    await expect(sut.post(request({ url: `http://127.0.0.1:${port}/` }))).rejects.toThrow(/ECONNREFUSED/);
  });
});
