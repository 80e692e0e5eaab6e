import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { NotificationCourier, type CourierDelivery } from './notification-courier';
import { waitUntil } from '@refundhub/core/testing';

interface Received {
  method?: string;
  path?: string;
  contentType?: string;
  body: string;
}

/** A receiver on a random port; `answer` decides each reply (or keeps the request hanging). */
async function startReceiver(answer: (request: IncomingMessage, response: ServerResponse, body: string) => void) {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({
        method: request.method,
        path: request.url,
        contentType: request.headers['content-type'],
        body,
      });
      answer(request, response, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/notify`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls the event loop (no timers) until the condition holds. */

type Delivery = CourierDelivery & { refundNo: string };

describe('NotificationCourier', () => {
  let courier: NotificationCourier<Delivery>;
  let close: (() => Promise<void>) | undefined;

  beforeEach(() => {
    courier = new NotificationCourier<Delivery>({
      timeoutMs: 5000,
      acknowledges: (answer) => answer.body === '000000',
    });
  });

  afterEach(async () => {
    await courier.stop();
    await close?.();
    close = undefined;
  });

  it('posts the body with its content type and records an acknowledged answer', async () => {
    const receiver = await startReceiver((_request, response) => response.end('000000'));
    close = receiver.close;

    courier.send({
      url: receiver.url,
      body: '<leshua><status>11</status></leshua>',
      contentType: 'text/xml; charset=utf-8',
      refundNo: 'R1',
    });
    await courier.settled();

    expect(receiver.received).toEqual([
      {
        method: 'POST',
        path: '/notify',
        contentType: 'text/xml; charset=utf-8',
        body: '<leshua><status>11</status></leshua>',
      },
    ]);
    expect(courier.deliveries()).toEqual([
      {
        url: receiver.url,
        body: '<leshua><status>11</status></leshua>',
        contentType: 'text/xml; charset=utf-8',
        refundNo: 'R1',
        response: { status: 200, body: '000000' },
        acknowledged: true,
      },
    ]);
  });

  it('records an answer the rule does not accept as not acknowledged', async () => {
    const receiver = await startReceiver((_request, response, body) => {
      response.statusCode = body.includes('R2') ? 500 : 200;
      response.end(body.includes('R2') ? 'error' : 'FAIL');
    });
    close = receiver.close;

    courier.send({
      url: receiver.url,
      body: '{"refundNo":"R1"}',
      contentType: 'application/json',
      refundNo: 'R1',
    });
    courier.send({
      url: receiver.url,
      body: '{"refundNo":"R2"}',
      contentType: 'application/json',
      refundNo: 'R2',
    });
    await courier.settled();

    const byRefund = Object.fromEntries(courier.deliveries().map((d) => [d.refundNo, d]));
    expect(byRefund.R1).toMatchObject({ response: { status: 200, body: 'FAIL' }, acknowledged: false });
    expect(byRefund.R2).toMatchObject({ response: { status: 500, body: 'error' }, acknowledged: false });
  });

  it('passes status and body to the acknowledgement rule', async () => {
    const receiver = await startReceiver((_request, response) => {
      response.statusCode = 201;
      response.end('OK');
    });
    close = receiver.close;
    const strict = new NotificationCourier({
      timeoutMs: 5000,
      acknowledges: (a) => a.status === 200 && a.body === 'OK',
    });

    strict.send({ url: receiver.url, body: 'a=1', contentType: 'application/x-www-form-urlencoded' });
    await strict.settled();

    expect(strict.deliveries()).toEqual([
      expect.objectContaining({ response: { status: 201, body: 'OK' }, acknowledged: false }),
    ]);
    await strict.stop();
  });

  it('records a delivery that could not connect', async () => {
    const receiver = await startReceiver(() => undefined);
    await receiver.close();

    courier.send({ url: receiver.url, body: 'x', contentType: 'text/plain', refundNo: 'R1' });
    await courier.settled();

    expect(courier.deliveries()).toEqual([
      expect.objectContaining({
        refundNo: 'R1',
        acknowledged: false,
        response: { error: expect.stringContaining('ECONNREFUSED') },
      }),
    ]);
  });

  it.each(['not a url', 'ftp://127.0.0.1/notify'])('records an unusable URL %p as an error', async (url) => {
    courier.send({ url, body: 'x', contentType: 'text/plain', refundNo: 'R1' });
    await courier.settled();

    expect(courier.deliveries()).toEqual([
      expect.objectContaining({ acknowledged: false, response: { error: expect.stringContaining(url) } }),
    ]);
  });

  it('gives up on a receiver that never answers', async () => {
    const receiver = await startReceiver(() => undefined);
    close = receiver.close;
    const impatient = new NotificationCourier({ timeoutMs: 50, acknowledges: () => true });

    impatient.send({ url: receiver.url, body: 'x', contentType: 'text/plain' });
    await impatient.settled();

    expect(impatient.deliveries()).toEqual([
      expect.objectContaining({ acknowledged: false, response: { error: 'no answer within 50 ms' } }),
    ]);
  });

  it('stop() abandons deliveries in flight and refuses later ones', async () => {
    const receiver = await startReceiver(() => undefined);
    close = receiver.close;
    for (let i = 0; i < 20; i++)
      courier.send({ url: receiver.url, body: String(i), contentType: 'text/plain', refundNo: `R${i}` });
    await waitUntil(() => receiver.received.length === 20, { what: 'receiver.received.length === 20' });

    await courier.stop();
    courier.send({ url: receiver.url, body: 'late', contentType: 'text/plain', refundNo: 'late' });
    await courier.settled();

    const records = courier.deliveries();
    expect(records).toHaveLength(21);
    expect(records.map((r) => r.response)).toEqual(Array.from({ length: 21 }, () => ({ error: 'courier stopped' })));
    expect(records.some((r) => r.acknowledged)).toBe(false);
  });

  it('returns copies of its records', async () => {
    courier.send({ url: 'not a url', body: 'x', contentType: 'text/plain', refundNo: 'R1' });
    await courier.settled();

    const [record] = courier.deliveries();
    record.refundNo = 'changed';

    expect(courier.deliveries()[0].refundNo).toBe('R1');
  });

  it('refuses a timeout that is not a positive integer', () => {
    expect(() => new NotificationCourier({ timeoutMs: 0, acknowledges: () => true })).toThrow(
      'timeoutMs must be a positive integer',
    );
  });
});
