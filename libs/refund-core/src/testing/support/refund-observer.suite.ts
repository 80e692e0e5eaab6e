import { EventEmitter2 } from '@nestjs/event-emitter';

import type { RefundObserver } from '../../observability/refund-observer';
import type { RefundWebhookOptions } from '../../refund-module.options';
import { WebhookHostResolver, type ResolvedAddress } from '../../webhooks/webhook-host-resolver';
import { WebhookSender } from '../../webhooks/webhook-sender';
import { FakeWebhookTransport } from '../fake-webhook-transport';
import { FakeGateway } from '../fake-gateway';
import { CoreHarness, createCoreHarness } from './core-harness';
import { command } from './refund-service.suite';
import { TestDatabase, TestDialect, createTestDatabase, describeWithDialect } from './test-databases';

type Observed = {
  [M in keyof RefundObserver]: { method: M; observation: Parameters<RefundObserver[M]>[0] };
}[keyof RefundObserver];

/** Keeps every observation in order. */
class RecordingObserver implements RefundObserver {
  readonly seen: Observed[] = [];
  gatewayCall = this.record('gatewayCall');
  unknownOutcome = this.record('unknownOutcome');
  rejection = this.record('rejection');
  notification = this.record('notification');
  syncAttempt = this.record('syncAttempt');
  syncRound = this.record('syncRound');
  manualResolution = this.record('manualResolution');
  webhookAttempt = this.record('webhookAttempt');
  outboxEventSetAside = this.record('outboxEventSetAside');

  of<M extends keyof RefundObserver>(method: M): Array<Parameters<RefundObserver[M]>[0]> {
    return this.seen.filter((o) => o.method === method).map((o) => o.observation as Parameters<RefundObserver[M]>[0]);
  }

  private record<M extends keyof RefundObserver>(method: M) {
    return (observation: Parameters<RefundObserver[M]>[0]): void => {
      this.seen.push({ method, observation } as Observed);
    };
  }
}

/** Throws from every method, like a metrics library gone wrong. */
class ThrowingObserver implements RefundObserver {
  calls = 0;
  gatewayCall = () => this.fail();
  unknownOutcome = () => this.fail();
  rejection = () => this.fail();
  notification = () => this.fail();
  syncAttempt = () => this.fail();
  syncRound = () => this.fail();
  manualResolution = () => this.fail();
  webhookAttempt = () => this.fail();
  outboxEventSetAside = () => this.fail();

  private fail(): never {
    this.calls += 1;
    throw new Error('observer broke');
  }
}

const SECRET = `whsec_${Buffer.from('the common webhook secret, 32 b').toString('base64')}`;

/** Every name resolves to a public address. */
class PublicResolver extends WebhookHostResolver {
  async resolve(): Promise<ResolvedAddress[]> {
    return [{ address: '93.184.216.34', family: 4 }];
  }
}

const notification = (body: object) => ({
  rawBody: Buffer.from(JSON.stringify(body)),
  contentType: 'application/json',
  headers: {},
});

/** What the core tells its observer, on a real database of the given dialect. */
export function refundObserverSuite(dialect: TestDialect): void {
  describeWithDialect(dialect, 'RefundObserver hooks', () => {
    let db: TestDatabase;
    let h: CoreHarness;

    const start = async (
      gateway: FakeGateway,
      observer: RefundObserver,
      opts: { maxAttempts?: number; webhooks?: RefundWebhookOptions } = {},
    ) => {
      db = await createTestDatabase(dialect);
      h = await createCoreHarness(db.options, {
        gateway,
        observer,
        outbox: opts.maxAttempts ? { maxAttempts: opts.maxAttempts } : undefined,
        webhooks: opts.webhooks,
      });
    };

    afterEach(async () => {
      try {
        await h?.close();
      } finally {
        await db?.drop();
      }
    });

    it('hears each gateway call with its outcome, and the refusals and unknown outcomes by code and reason', async () => {
      const observer = new RecordingObserver();
      const gateway = new FakeGateway('fake').onSubmit(
        { kind: 'processing', rawStatus: 'ACCEPTED' },
        { kind: 'failed', code: 'AMOUNT_EXCEEDS', message: 'too much' },
        { kind: 'unknown', reason: 'http_5xx', detail: 'HTTP 502' },
        async () => {
          throw new Error('adapter bug');
        },
      );
      await start(gateway, observer);

      await h.refunds.request(command({ refundNo: 'R1', amount: 10 }));
      await h.refunds.request(command({ refundNo: 'R2', amount: 10 }));
      await h.refunds.request(command({ refundNo: 'R3', amount: 10 }));
      await h.refunds.request(command({ refundNo: 'R4', amount: 10 }));

      expect(
        observer.of('gatewayCall').map(({ gateway, operation, outcome }) => [gateway, operation, outcome]),
      ).toEqual([
        ['fake', 'submit', 'processing'],
        ['fake', 'submit', 'failed'],
        ['fake', 'submit', 'unknown'],
        ['fake', 'submit', 'unknown'],
      ]);
      for (const call of observer.of('gatewayCall')) expect(call.durationMs).toBeGreaterThanOrEqual(0);
      expect(observer.of('rejection')).toEqual([{ gateway: 'fake', operation: 'submit', code: 'AMOUNT_EXCEEDS' }]);
      expect(observer.of('unknownOutcome')).toEqual([
        { gateway: 'fake', operation: 'submit', reason: 'http_5xx' },
        { gateway: 'fake', operation: 'submit', reason: 'adapter_error' },
      ]);
    });

    it('hears a sync round: its claims, each refund taken to the gateway, and the query it made', async () => {
      const observer = new RecordingObserver();
      await start(
        new FakeGateway('fake')
          .onSubmit({ kind: 'unknown', reason: 'timeout', detail: 'no answer' })
          .onQuery({ kind: 'succeeded', rawStatus: 'DONE' }),
        observer,
      );
      await h.refunds.request(command());
      h.clock.advance(60_000);

      const round = await h.sync.runOnce();

      expect(round).toMatchObject({ due: 1, finished: 1 });
      expect(observer.of('syncAttempt')).toEqual([{ gateway: 'fake' }]);
      expect(observer.of('syncRound')).toEqual([{ claimed: 1, limited: 0, finished: 1, errors: 0 }]);
      expect(observer.of('gatewayCall').map(({ operation, outcome }) => [operation, outcome])).toEqual([
        ['submit', 'unknown'],
        ['query', 'succeeded'],
      ]);
      await h.sync.runOnce();
      expect(observer.of('syncRound')).toEqual([
        { claimed: 1, limited: 0, finished: 1, errors: 0 },
        { claimed: 0, limited: 0, finished: 0, errors: 0 },
      ]);
    });

    it('hears every notification with what became of it, and a settlement by hand', async () => {
      const observer = new RecordingObserver();
      await start(new FakeGateway('fake'), observer);
      const { refund } = await h.refunds.request(command());
      const other = await h.refunds.request(command({ refundNo: 'R2' }));

      await h.refunds.handleNotification(
        'fake',
        notification({ merchantId: 'm1', refundNo: 'R1', status: 'processing', sign: 'valid' }),
      );
      await h.refunds.handleNotification(
        'fake',
        notification({ merchantId: 'm1', refundNo: 'R1', status: 'succeeded', sign: 'forged' }),
      );
      await h.refunds.handleNotification(
        'fake',
        notification({ merchantId: 'm1', refundNo: 'R1', status: 'succeeded', sign: 'valid' }),
      );
      await expect(h.refunds.handleNotification('nope', notification({}))).rejects.toThrow();
      await h.refunds.resolve({ refundId: other.refund.id, status: 'FAILED', reason: 'bank says no', actor: 'ops' });

      expect(observer.of('notification')).toEqual([
        { gateway: 'fake', result: 'UNCHANGED' },
        { gateway: 'fake', result: 'NOTIFICATION_REJECTED' },
        { gateway: 'fake', result: 'APPLIED' },
      ]);
      expect(observer.of('manualResolution')).toEqual([{ gateway: 'fake', status: 'FAILED' }]);
      expect((await h.refunds.get(refund.id)).status).toBe('SUCCEEDED');
    });

    it('hears an outbox event set aside once, when its listener has failed too often', async () => {
      const observer = new RecordingObserver();
      await start(new FakeGateway('fake'), observer, { maxAttempts: 1 });
      h.app.get(EventEmitter2).on('refund.requested', function failingListener() {
        throw new Error('listener down');
      });

      await h.refunds.request(command());

      expect(observer.of('outboxEventSetAside')).toEqual([{ event: 'refund.requested' }]);
    });

    it('hears each webhook attempt: delivered, and given up when its schedule has no retry left', async () => {
      const observer = new RecordingObserver();
      const transport = new FakeWebhookTransport().answer(200, 500);
      const refused = { kind: 'failed', code: 'NO', message: 'refused' } as const;
      await start(new FakeGateway('fake').onSubmit(refused, refused), observer, {
        webhooks: { secret: SECRET, transport, resolver: new PublicResolver(), backoffMs: [] },
      });
      const sender = h.app.get(WebhookSender);

      await h.refunds.request(command({ refundNo: 'R1', notifyUrl: 'https://hooks.example.com/refunds' }));
      await sender.settled();
      await h.refunds.request(command({ refundNo: 'R2', notifyUrl: 'https://hooks.example.com/refunds' }));
      await sender.settled();

      expect(observer.of('webhookAttempt')).toEqual([{ result: 'delivered' }, { result: 'given_up' }]);
    });

    it('an observer that throws breaks nothing: the refund is answered and settled as without it', async () => {
      const observer = new ThrowingObserver();
      await start(new FakeGateway('fake').onSubmit({ kind: 'failed', code: 'NO', message: 'refused' }), observer);

      const { refund } = await h.refunds.request(command());
      const second = await h.refunds.request(command({ refundNo: 'R2' }));
      const notified = await h.refunds.handleNotification(
        'fake',
        notification({ merchantId: 'm1', refundNo: 'R2', status: 'succeeded', sign: 'valid' }),
      );
      h.clock.advance(60_000);
      await h.sync.runOnce();

      expect(refund).toMatchObject({ status: 'FAILED', failure: { code: 'NO' } });
      expect(second.refund.status).toBe('PROCESSING');
      expect(notified).toMatchObject({ result: 'APPLIED' });
      expect((await h.refunds.get(second.refund.id)).status).toBe('SUCCEEDED');
      expect(observer.calls).toBeGreaterThanOrEqual(5);
    });
  });
}
