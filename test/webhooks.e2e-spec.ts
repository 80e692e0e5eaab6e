import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { RefundSucceededEvent, RefundView, WebhookDeliveryView } from '@refundhub/core';
import { waitUntil } from '@refundhub/core/testing';

import { ApiHarness, ApiHarnessOptions, KEYS, refundBody, startApi } from './support/api-harness';
import { verifyWebhook } from './support/verify-webhook';
import { WebhookReceiver } from './support/webhook-receiver';

const SECRET = `whsec_${Buffer.from('refundhub e2e common webhook secret').toString('base64')}`;
const SHOP_SECRET = `whsec_${Buffer.from('refundhub e2e secret of the shop key').toString('base64')}`;

/** Resolves once `check` holds, looking again every few milliseconds; fails after a deadline. */

describe('webhooks to a refund’s notifyUrl [SQLite]', () => {
  let h: ApiHarness;
  let receiver: WebhookReceiver;

  const start = async (options: ApiHarnessOptions) => {
    receiver = await WebhookReceiver.start();
    h = await startApi('sqlite', options);
  };

  afterEach(async () => {
    await h?.close();
    await receiver?.close();
  });

  const create = (overrides: Record<string, unknown>, key: string = KEYS.all) =>
    h.call<RefundView>('POST', '/refunds', refundBody(overrides), key);
  const webhooksOf = async (id: string, key: string = KEYS.all) =>
    (await h.call<{ items: WebhookDeliveryView[] }>('GET', `/refunds/${id}/webhooks`, undefined, key)).body.items;
  /** A refund whose notifyUrl is `url`, made SUCCEEDED by a sync. */
  const succeeded = async (url: string, key: string = KEYS.all) => {
    const created = await create({ notifyUrl: url }, key);
    expect(created.status).toBe(201);
    const synced = await h.call<RefundView>('POST', `/refunds/${created.body.id}/sync`);
    expect(synced.body.status).toBe('SUCCEEDED');
    return created.body.id;
  };
  const untilAttempts = (id: string, count: number) =>
    waitUntil(async () => (await webhooksOf(id))[0]?.attempts.length === count, {
      what: `${count} webhook attempts of ${id}`,
      everyMs: 10,
    });

  describe('to a receiver on this machine (webhooks.allowPrivateTargets: true)', () => {
    beforeEach(() =>
      start({ webhooks: { secret: SECRET, allowPrivateTargets: true }, keyWebhookSecrets: { shop: SHOP_SECRET } }),
    );

    it('refund → SUCCEEDED: the receiver gets one signed POST, which the documented snippet verifies', async () => {
      const id = await succeeded(receiver.url);
      await waitUntil(async () => receiver.requests.length === 1, {
        what: 'the webhook reached the receiver',
        everyMs: 10,
      });
      const [request] = receiver.requests;

      const body = verifyWebhook(SECRET, request.headers, request.body);
      const event = h.events.find((e) => e instanceof RefundSucceededEvent && e.refund.refundId === id)!;
      expect(request.headers['webhook-id']).toBe(event.eventId);
      expect(request.headers['content-type']).toBe('application/json');
      expect(body).toEqual({
        type: 'refund.succeeded',
        timestamp: event.occurredAt.toISOString(),
        data: expect.objectContaining({ id, status: 'SUCCEEDED', amount: 100, notifyUrl: receiver.url }),
      });
      expect(() => verifyWebhook(SHOP_SECRET, request.headers, request.body)).toThrow('does not match');
      expect(() => verifyWebhook(SECRET, request.headers, request.body.replace('SUCCEEDED', 'FAILED'))).toThrow(
        'does not match',
      );
      const old = {
        ...request.headers,
        'webhook-timestamp': String(Number(request.headers['webhook-timestamp']) - 600),
      };
      expect(() => verifyWebhook(SECRET, old, request.body)).toThrow('too old');

      await h.webhooksSettled();
      expect(await webhooksOf(id)).toEqual([
        expect.objectContaining({
          eventId: event.eventId,
          type: 'refund.succeeded',
          url: receiver.url,
          status: 'delivered',
          nextAttemptAt: null,
          attempts: [expect.objectContaining({ httpStatus: 200, error: null })],
        }),
      ]);
      // Nothing more: not on the next round, not for refund.requested.
      await h.makeWebhooksDue(id);
      await h.webhookRound();
      expect(receiver.requests).toHaveLength(1);
    });

    it('signs with the secret of the API key that requested the refund', async () => {
      await succeeded(receiver.url, KEYS.shop);
      await waitUntil(async () => receiver.requests.length === 1, {
        what: 'the webhook reached the receiver',
        everyMs: 10,
      });
      const [request] = receiver.requests;
      expect(verifyWebhook(SHOP_SECRET, request.headers, request.body)).toMatchObject({ type: 'refund.succeeded' });
      expect(() => verifyWebhook(SECRET, request.headers, request.body)).toThrow('does not match');
    });

    it('a receiver that fails 3 times, then answers 200, gets the event exactly once more: 4 attempts', async () => {
      receiver.answer(500, 500, 500);
      const id = await succeeded(receiver.url);
      await untilAttempts(id, 1);
      for (let attempt = 2; attempt <= 4; attempt += 1) {
        expect((await webhooksOf(id))[0].status).toBe('pending');
        await h.makeWebhooksDue(id);
        await h.webhookRound();
        await untilAttempts(id, attempt);
      }
      const [delivery] = await webhooksOf(id);
      expect(delivery).toMatchObject({ status: 'delivered', nextAttemptAt: null });
      expect(delivery.attempts.map((a) => a.httpStatus)).toEqual([500, 500, 500, 200]);

      await h.makeWebhooksDue(id);
      await h.webhookRound();
      expect(receiver.requests.map((r) => r.answered)).toEqual([500, 500, 500, 200]);
      expect(new Set(receiver.requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
      expect(new Set(receiver.requests.map((r) => r.body)).size).toBe(1);
      for (const request of receiver.requests) verifyWebhook(SECRET, request.headers, request.body);
    });

    it('retry: a pending delivery is sent now; then 409 once delivered, 404 for another delivery or key', async () => {
      receiver.answer(503);
      const id = await succeeded(receiver.url);
      await untilAttempts(id, 1);
      const [delivery] = await webhooksOf(id);

      const retried = await h.call<WebhookDeliveryView>('POST', `/refunds/${id}/webhooks/${delivery.id}/retry`);
      expect(retried.status).toBe(202);
      expect(retried.body).toMatchObject({ id: delivery.id, status: 'pending' });
      await untilAttempts(id, 2);
      expect((await webhooksOf(id))[0]).toMatchObject({ status: 'delivered' });
      expect(receiver.requests.map((r) => r.answered)).toEqual([503, 200]);

      const again = await h.call('POST', `/refunds/${id}/webhooks/${delivery.id}/retry`);
      expect(again).toMatchObject({ status: 409, body: { code: 'WEBHOOK_ALREADY_DELIVERED' } });
      const unknown = await h.call('POST', `/refunds/${id}/webhooks/wd_000000000000unknown/retry`);
      expect(unknown).toMatchObject({ status: 404, body: { code: 'WEBHOOK_DELIVERY_NOT_FOUND' } });
      const otherKey = await h.call('POST', `/refunds/${id}/webhooks/${delivery.id}/retry`, undefined, KEYS.other);
      expect(otherKey).toMatchObject({ status: 404, body: { code: 'REFUND_NOT_FOUND' } });
      const list = await h.call('GET', `/refunds/${id}/webhooks`, undefined, KEYS.other);
      expect(list).toMatchObject({ status: 404, body: { code: 'REFUND_NOT_FOUND' } });
      expect(receiver.requests).toHaveLength(2);
    });
  });

  describe('by default: private targets refused', () => {
    beforeEach(() => start({ webhooks: { secret: SECRET } }));

    it.each([
      ['http://127.0.0.1:8080/hooks', 'loopback address (127.0.0.1)'],
      ['http://[::1]:8080/hooks', 'loopback address (::1)'],
      ['https://10.1.2.3/hooks', 'private address (10.1.2.3)'],
    ])('answers 400 naming notifyUrl for %s, before anything is recorded', async (url, what) => {
      const refused = await create({ notifyUrl: url });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [{ field: 'notifyUrl', message: expect.stringContaining(what) }],
      });
      expect(await h.rowCounts()).toMatchObject({ refunds: 0 });
    });

    it('refuses a name that resolves to loopback at delivery, records why, and a retry tries once more', async () => {
      const id = await succeeded(`http://localhost:${receiver.port}/refund-webhooks`);
      await untilAttempts(id, 1);
      const [delivery] = await webhooksOf(id);
      expect(delivery).toMatchObject({ status: 'failed', nextAttemptAt: null });
      expect(delivery.attempts[0]).toMatchObject({
        httpStatus: null,
        error: expect.stringMatching(/^target refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address/),
      });

      const retried = await h.call('POST', `/refunds/${id}/webhooks/${delivery.id}/retry`);
      expect(retried).toMatchObject({ status: 202, body: { status: 'pending' } });
      await untilAttempts(id, 2);
      expect((await webhooksOf(id))[0]).toMatchObject({ status: 'failed' });
      expect(receiver.requests).toEqual([]);
    });
  });

  describe('without any webhook secret', () => {
    beforeEach(() => start({}));

    it('answers 400 naming notifyUrl, since webhooks are never sent unsigned', async () => {
      const refused = await create({ notifyUrl: 'https://shop.example.com/hooks/refunds' });
      expect(refused).toMatchObject({
        status: 400,
        body: { errors: [{ field: 'notifyUrl', message: expect.stringContaining('no webhook secret') }] },
      });
      expect((await create({})).status).toBe(201);
    });
  });
});

describe('the README', () => {
  it('shows the verification snippet the tests run, as it is', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const snippet = readFileSync(join(__dirname, 'support', 'verify-webhook.ts'), 'utf8');
    const tsBlocks = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
    expect(tsBlocks).toContain(snippet);
  });
});
