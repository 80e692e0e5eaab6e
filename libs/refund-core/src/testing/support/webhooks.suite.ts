import { createHmac } from 'node:crypto';

import { WebhookAttempt } from '../../entities/webhook-attempt.entity';
import { WebhookDelivery } from '../../entities/webhook-delivery.entity';
import { RefundOutbox } from '../../entities/refund-outbox.entity';
import { OutboxRelay, RefundFailedEvent, RefundNeedsAttentionEvent, RefundSucceededEvent } from '../../events';
import type { RefundWebhookOptions } from '../../refund-module.options';
import type { ResolvedAddress } from '../../webhooks/webhook-host-resolver';
import { WebhookHostResolver } from '../../webhooks/webhook-host-resolver';
import { WebhookSender } from '../../webhooks/webhook-sender';
import { DEFAULT_WEBHOOK_BACKOFF_MS } from '../../webhooks/webhook-settings';
import { WebhookService } from '../../webhooks/webhook.service';
import { FakeGateway } from '../fake-gateway';
import { FakeWebhookTransport } from '../fake-webhook-transport';
import { CoreHarness, createCoreHarness } from './core-harness';
import { command } from './refund-service.suite';
import { TestDatabase, TestDialect, createTestDatabase, describeWithDialect } from './test-databases';

const SECRET = `whsec_${Buffer.from('the common webhook secret, 32 b').toString('base64')}`;
const SHOP_SECRET = `whsec_${Buffer.from('shop-a webhook secret, 24b').toString('base64')}`;
const NOTIFY_URL = 'https://hooks.example.com/refunds?token=t1';
const PUBLIC: ResolvedAddress[] = [{ address: '93.184.216.34', family: 4 }];

/** Public names resolve to a public address; `internal.example.com` to a private one. */
class TestResolver extends WebhookHostResolver {
  async resolve(hostname: string): Promise<ResolvedAddress[]> {
    if (hostname === 'internal.example.com') return [{ address: '10.0.0.7', family: 4 }];
    return PUBLIC;
  }
}

/** The signature a receiver computes, apart from the signer. */
function expectedSignature(secret: string, headers: Readonly<Record<string, string>>, body: string): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const content = `${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`;
  return `v1,${createHmac('sha256', key).update(content).digest('base64')}`;
}

/** Webhooks to refunds' notify URLs: recorded once per event, signed, sent at once, retried on a schedule, shared by rounds. */
export function webhooksSuite(dialect: TestDialect): void {
  describeWithDialect(dialect, 'webhooks', () => {
    let db: TestDatabase;
    const hosts: Array<{ h: CoreHarness; transport: FakeWebhookTransport }> = [];

    const host = async (webhooks: RefundWebhookOptions = {}, gateway = new FakeGateway('fake')) => {
      const transport = new FakeWebhookTransport();
      const h = await createCoreHarness(db.options, {
        gateway,
        webhooks: { secret: SECRET, transport, resolver: new TestResolver(), ...webhooks },
      });
      const one = { h, transport, sender: h.app.get(WebhookSender), webhooks: h.app.get(WebhookService) };
      hosts.push(one);
      return one;
    };
    const deliveries = (h: CoreHarness) =>
      h.orm.em.fork().find(WebhookDelivery, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
    const attempts = (h: CoreHarness) => h.orm.em.fork().find(WebhookAttempt, {}, { orderBy: { id: 'asc' } });

    beforeEach(async () => {
      db = await createTestDatabase(dialect);
    });

    afterEach(async () => {
      try {
        for (const { h } of hosts.splice(0)) await h.close();
      } finally {
        await db?.drop();
      }
    });

    it('sends one signed POST per final event of a refund with a notify URL, at once, and none for the others', async () => {
      const gateway = new FakeGateway('fake').onSubmit(
        { kind: 'succeeded', rawStatus: 'DONE' },
        { kind: 'succeeded', rawStatus: 'DONE' },
        { kind: 'failed', code: 'REFUSED', message: 'refused by the bank' },
        { kind: 'needs_attention', reason: 'gateway_change', message: 'moved to manual payout', rawStatus: 'CHANGE' },
      );
      const { h, transport, sender } = await host({}, gateway);
      // A millisecond apart and each webhook sent before the next request, so that both list in request order.
      const request = async (refundNo: string, notifyUrl: string | null) => {
        h.clock.advance(1);
        const { refund } = await h.refunds.request(command({ refundNo, notifyUrl }));
        await sender.settled();
        return refund;
      };
      const succeeded = await request('R1', NOTIFY_URL);
      await request('R2', null);
      const failed = await request('R3', NOTIFY_URL);
      const flagged = await request('R4', NOTIFY_URL);
      await sender.settled();

      const events = [RefundSucceededEvent, RefundFailedEvent, RefundNeedsAttentionEvent].map((type) =>
        h.events.find((event) => event instanceof type)!,
      );
      expect(transport.requests.map((request) => request.headers['webhook-id'])).toEqual(
        events.map((event) => event.eventId),
      );
      const [first] = transport.requests;
      expect(first).toMatchObject({ url: NOTIFY_URL, addresses: PUBLIC, timeoutMs: 10_000 });
      expect(first.headers).toEqual({
        'content-type': 'application/json',
        'user-agent': 'refundhub-webhooks',
        'webhook-id': events[0].eventId,
        'webhook-timestamp': String(Math.floor(h.clock.now().getTime() / 1000)),
        'webhook-signature': expectedSignature(SECRET, first.headers, first.body),
      });
      expect(JSON.parse(first.body)).toEqual({
        type: 'refund.succeeded',
        timestamp: events[0].occurredAt.toISOString(),
        data: succeeded,
      });
      expect(transport.requests.map((request) => JSON.parse(request.body).type)).toEqual([
        'refund.succeeded',
        'refund.failed',
        'refund.needs_attention',
      ]);
      expect(JSON.parse(transport.requests[1].body).data).toMatchObject({
        id: failed.id,
        status: 'FAILED',
        failure: { code: 'REFUSED', message: 'refused by the bank' },
      });
      expect(JSON.parse(transport.requests[2].body).data).toMatchObject({
        id: flagged.id,
        needsAttention: { reason: 'gateway_change' },
      });

      expect((await deliveries(h)).map((d) => [d.refundId, d.eventType, d.status, d.attempts])).toEqual([
        [succeeded.id, 'refund.succeeded', 'delivered', 1],
        [failed.id, 'refund.failed', 'delivered', 1],
        [flagged.id, 'refund.needs_attention', 'delivered', 1],
      ]);
      expect((await attempts(h)).map((a) => [a.httpStatus, a.error])).toEqual([
        [200, null],
        [200, null],
        [200, null],
      ]);
    });

    it('records an event the outbox relays twice once, and sends it once', async () => {
      const { h, transport, sender } = await host(
        {},
        new FakeGateway('fake').onSubmit({ kind: 'succeeded', rawStatus: 'DONE' }),
      );
      await h.refunds.request(command({ notifyUrl: NOTIFY_URL }));
      await sender.settled();
      const succeeded = h.events.find((event) => event instanceof RefundSucceededEvent)!;
      // What a relay that died before recording its listeners' success leaves: the event due again.
      await h.orm.em
        .fork()
        .nativeUpdate(RefundOutbox, { eventId: succeeded.eventId }, { status: 'pending', listeners: {} });

      expect(await h.app.get(OutboxRelay).runOnce()).toMatchObject({ taken: 1, delivered: 1 });
      await sender.settled();
      expect(h.events.filter((event) => event.eventId === succeeded.eventId)).toHaveLength(2);
      expect(await deliveries(h)).toHaveLength(1);
      expect(transport.requests).toHaveLength(1);
      expect(await sender.runOnce()).toMatchObject({ taken: 0 });
    });

    it('retries on its schedule, for more than a day, then gives up', async () => {
      const { h, transport, sender } = await host(
        {},
        new FakeGateway('fake').onSubmit({ kind: 'succeeded', rawStatus: 'DONE' }),
      );
      transport.answer(new Error('timeout after 10000 ms')).always(503);
      const start = h.clock.now().getTime();
      await h.refunds.request(command({ notifyUrl: NOTIFY_URL }));
      await sender.settled();
      expect(transport.requests).toHaveLength(1);

      for (const delay of DEFAULT_WEBHOOK_BACKOFF_MS) {
        h.clock.advance(delay - 1);
        expect(await sender.runOnce()).toMatchObject({ taken: 0 });
        h.clock.advance(1);
        expect(await sender.runOnce()).toMatchObject({ taken: 1 });
      }
      h.clock.advance(7 * 86_400_000);
      expect(await sender.runOnce()).toMatchObject({ taken: 0 });

      const tried = await attempts(h);
      expect(tried).toHaveLength(10);
      expect(tried[0]).toMatchObject({ httpStatus: null, error: 'timeout after 10000 ms' });
      expect(tried.slice(1).every((a) => a.httpStatus === 503 && a.error === null)).toBe(true);
      const offsets = tried.map((a) => a.attemptedAt.getTime() - start);
      expect(offsets).toEqual([
        0,
        ...DEFAULT_WEBHOOK_BACKOFF_MS.map((_, i) => DEFAULT_WEBHOOK_BACKOFF_MS.slice(0, i + 1).reduce((a, b) => a + b)),
      ]);
      expect(offsets[offsets.length - 1]).toBeGreaterThan(24 * 3_600_000);
      // Every attempt is the same event, with a fresh timestamp and signature.
      expect(new Set(transport.requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
      expect(new Set(transport.requests.map((r) => r.body)).size).toBe(1);
      expect(new Set(transport.requests.map((r) => r.headers['webhook-timestamp'])).size).toBe(10);
      const [delivery] = await deliveries(h);
      expect(delivery).toMatchObject({ status: 'failed', attempts: 10, nextAttemptAt: null, leaseOwner: null });
      expect(delivery.finishedAt).toEqual(tried[9].attemptedAt);
    });

    it('records a refused target as a failed attempt and gives up at once, sending nothing', async () => {
      const { h, transport, sender } = await host(
        {},
        new FakeGateway('fake').onSubmit({ kind: 'succeeded', rawStatus: 'DONE' }),
      );
      await h.refunds.request(command({ notifyUrl: 'https://internal.example.com/hooks' }));
      await sender.settled();
      expect(transport.requests).toEqual([]);
      expect(await attempts(h)).toEqual([
        expect.objectContaining({
          httpStatus: null,
          error:
            'target refused: internal.example.com resolves to 10.0.0.7, a private address (webhooks go to public addresses only)',
        }),
      ]);
      expect((await deliveries(h))[0]).toMatchObject({ status: 'failed', attempts: 1 });
    });

    it("signs with the requester's own secret, and sends nothing that no secret can sign", async () => {
      const gateway = new FakeGateway('fake').onSubmit(
        { kind: 'succeeded', rawStatus: 'DONE' },
        { kind: 'succeeded', rawStatus: 'DONE' },
      );
      const { h, transport, sender, webhooks } = await host(
        { secret: null, secretsByRequester: { 'shop-a': [SHOP_SECRET] } },
        gateway,
      );
      expect(webhooks.notifyUrlProblems({ notifyUrl: NOTIFY_URL, requestedBy: 'shop-a' })).toEqual([]);
      expect(webhooks.notifyUrlProblems({ notifyUrl: NOTIFY_URL, requestedBy: 'shop-b' })).toEqual([
        { field: 'notifyUrl', message: expect.stringContaining('no webhook secret') },
      ]);
      await h.refunds.request(command({ refundNo: 'R1', notifyUrl: NOTIFY_URL, requestedBy: 'shop-a' }));
      h.clock.advance(1);
      // An embedding app that does not ask first: recorded, never sent unsigned.
      await h.refunds.request(command({ refundNo: 'R2', notifyUrl: NOTIFY_URL, requestedBy: 'shop-b' }));
      await sender.settled();

      expect(transport.requests).toHaveLength(1);
      const [sent] = transport.requests;
      expect(sent.headers['webhook-signature']).toBe(expectedSignature(SHOP_SECRET, sent.headers, sent.body));
      expect((await deliveries(h)).map((d) => [d.requestedBy, d.status])).toEqual([
        ['shop-a', 'delivered'],
        ['shop-b', 'failed'],
      ]);
      expect((await attempts(h))[1].error).toBe(
        'not sent: no webhook secret to sign it (none for requester "shop-b", and no common one)',
      );
    });

    it('never sends one delivery twice when rounds run at once', async () => {
      const a = await host();
      // The second round is another host on the same database where the database allows it.
      const b = dialect === 'postgresql' ? await host() : a;
      const both = [...new Set([a, b])];
      for (const { transport } of both) transport.always(503);
      const count = 20;
      a.h.gateway.onSubmit(...Array.from({ length: count }, () => ({ kind: 'succeeded' as const, rawStatus: 'DONE' })));
      for (let i = 0; i < count; i += 1) {
        await a.h.refunds.request(
          command({ refundNo: `R${i}`, order: { merchantOrderNo: `T${i}`, totalAmount: 300 }, notifyUrl: NOTIFY_URL }),
        );
      }
      await a.sender.settled();
      expect((await deliveries(a.h)).every((d) => d.status === 'pending' && d.attempts === 1)).toBe(true);

      // Each receiver answers after a few turns of the event loop, so that rounds overlap.
      const answered: string[] = [];
      for (const { transport, h } of both) {
        transport.always(async (request) => {
          for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve));
          answered.push(request.headers['webhook-id']);
          return 200;
        });
        h.clock.advance(10_000);
      }
      for (let round = 0; round < 10 && answered.length < count; round += 1) {
        await Promise.all([a.sender.runOnce(), b.sender.runOnce(), a.sender.runOnce(), b.sender.runOnce()]);
      }
      expect(answered).toHaveLength(count);
      expect(new Set(answered).size).toBe(count);
      expect((await deliveries(a.h)).every((d) => d.status === 'delivered' && d.attempts === 2)).toBe(true);
    });

    it('retries a delivery on request: a pending one now, a given-up one once more; never a delivered one', async () => {
      const gateway = new FakeGateway('fake').onSubmit(
        { kind: 'succeeded', rawStatus: 'DONE' },
        { kind: 'succeeded', rawStatus: 'DONE' },
      );
      const { h, transport, sender, webhooks } = await host({}, gateway);
      transport.answer(500);
      const { refund: pending } = await h.refunds.request(command({ refundNo: 'R1', notifyUrl: NOTIFY_URL }));
      const { refund: refused } = await h.refunds.request(
        command({
          refundNo: 'R2',
          order: { merchantOrderNo: 'T2', totalAmount: 300 },
          notifyUrl: 'https://internal.example.com/x',
        }),
      );
      await sender.settled();
      const [onSchedule] = await webhooks.deliveriesOf(pending.id);
      const [givenUp] = await webhooks.deliveriesOf(refused.id);
      expect([onSchedule.status, givenUp.status]).toEqual(['pending', 'failed']);

      // Due now, without waiting out its 10 s.
      expect(await webhooks.retry({ refundId: pending.id, deliveryId: onSchedule.id })).toMatchObject({
        status: 'pending',
        nextAttemptAt: h.clock.now().toISOString(),
      });
      await sender.settled();
      expect((await webhooks.deliveriesOf(pending.id))[0]).toMatchObject({
        status: 'delivered',
        attempts: [{ httpStatus: 500 }, { httpStatus: 200 }],
      });

      expect(await webhooks.retry({ refundId: refused.id, deliveryId: givenUp.id })).toMatchObject({
        status: 'pending',
        finishedAt: null,
      });
      await sender.settled();
      expect((await webhooks.deliveriesOf(refused.id))[0]).toMatchObject({
        status: 'failed',
        attempts: [
          { error: expect.stringContaining('target refused') },
          { error: expect.stringContaining('target refused') },
        ],
      });

      await expect(webhooks.retry({ refundId: pending.id, deliveryId: onSchedule.id })).rejects.toMatchObject({
        code: 'WEBHOOK_ALREADY_DELIVERED',
      });
      await expect(webhooks.retry({ refundId: refused.id, deliveryId: onSchedule.id })).rejects.toMatchObject({
        code: 'WEBHOOK_DELIVERY_NOT_FOUND',
      });
      await expect(webhooks.retry({ refundId: pending.id, deliveryId: 'wd_missing' })).rejects.toMatchObject({
        code: 'WEBHOOK_DELIVERY_NOT_FOUND',
      });
    });
  });
}
