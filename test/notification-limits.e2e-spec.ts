import type { RefundView } from '@refundhub/core';

import { ApiHarness, startApi } from './support/api-harness';
import { describeWithDialect } from './support/databases';
import {
  NOTIFYING_GATEWAYS,
  NotifyingGateway,
  NotifyingSimulators,
  createNotifyingRefund,
  genuineNotification,
  startNotifyingSimulators,
} from './support/notifying-gateways';
import { postRaw } from './support/raw-http';

/** What each gateway's notification route takes at most, as its module declares it. */
const LIMITS: Record<NotifyingGateway, number> = { leshua: 8 * 1024, umf: 8 * 1024, baofoo: 16 * 1024 };

/** Signed fields enough to make a genuine notification of about `bytes` bytes, in `count` fields. */
function padding(count: number, bytes: number): Record<string, string> {
  const each = Math.max(1, Math.floor(bytes / count));
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`pad${i}`, 'x'.repeat(each)]));
}

/**
 * Hostile notification bodies: a body larger than its gateway can plausibly send is refused (413)
 * before it is read, and one within the limit whose structure is deeper or larger than the gateway's
 * format is refused (400) before it is parsed; neither changes anything.
 */
describeWithDialect('sqlite', 'notification limits over HTTP', () => {
  let h: ApiHarness;
  let simulators: NotifyingSimulators;
  const refunds = new Map<NotifyingGateway, RefundView>();

  beforeAll(async () => {
    simulators = await startNotifyingSimulators();
    h = await startApi('sqlite', { gateways: simulators.sections });
    for (const gateway of NOTIFYING_GATEWAYS) {
      refunds.set(
        gateway,
        await createNotifyingRefund(h, { gateway, refundNo: 'LIM1', amount: 100, paidAt: simulators.paidAt }),
      );
    }
  });
  afterAll(async () => {
    await h.close();
    await simulators.stop();
  });

  const snapshot = async () => ({
    counts: await h.rowCounts(),
    refunds: await Promise.all(
      [...refunds.values()].map(async (r) => (await h.call<RefundView>('GET', `/refunds/${r.id}`)).body),
    ),
  });
  const notifyUrl = (gateway: string) => `${h.url}/notify/${gateway}`;

  describe.each(NOTIFYING_GATEWAYS)('%s', (gateway) => {
    it('refuses a genuine notification padded past the limit with 413, and applies nothing', async () => {
      const before = await snapshot();
      const padded = genuineNotification({
        gateway,
        refundNo: 'LIM1',
        result: 'success',
        amount: 100,
        extra: padding(4, LIMITS[gateway] + 1024),
      });
      expect(padded.body.length).toBeGreaterThan(LIMITS[gateway]);
      const answer = await h.postRaw(`/notify/${gateway}`, padded.body, padded.contentType);
      expect(answer.status).toBe(413);
      expect(answer.body).toMatchObject({ statusCode: 413, code: 'BODY_TOO_LARGE' });
      expect(await snapshot()).toEqual(before);
    });

    it('answers 413 as soon as the declared length is over the limit, without waiting for the body', async () => {
      const before = await snapshot();
      const answer = await postRaw({
        url: notifyUrl(gateway),
        contentType: 'text/xml',
        contentLength: 64 * 1024,
        body: Buffer.from('<leshua>'),
        end: false,
      });
      expect(answer.status).toBe(413);
      expect(await snapshot()).toEqual(before);
    });

    it('answers 413 to a chunked body once it passes the limit, without waiting for its end', async () => {
      const answer = await postRaw({
        url: notifyUrl(gateway),
        contentType: 'application/json',
        body: Buffer.alloc(LIMITS[gateway] + 1, 'a'),
        end: false,
      });
      expect(answer.status).toBe(413);
    });

    it('takes a body of exactly the limit to the gateway module', async () => {
      const answer = await h.postRaw(`/notify/${gateway}`, Buffer.alloc(LIMITS[gateway], ' '), 'text/plain');
      expect(answer.status).toBe(400);
    });

    it('refuses a genuine notification with more fields than the gateway sends with 400, and applies nothing', async () => {
      const before = await snapshot();
      const crowded = genuineNotification({
        gateway,
        refundNo: 'LIM1',
        result: 'success',
        amount: 100,
        extra: padding(200, 1000),
      });
      expect(crowded.body.length).toBeLessThan(LIMITS[gateway]);
      const answer = await h.postRaw(`/notify/${gateway}`, crowded.body, crowded.contentType);
      expect(answer.status).toBe(400);
      expect(answer.headers.get('refundhub-notification')).toBe('NOTIFICATION_TOO_COMPLEX');
      expect(await snapshot()).toEqual(before);
    });
  });

  it.each([
    ['leshua', 'deeply nested XML', `<leshua>${'<a>'.repeat(1000)}${'</a>'.repeat(1000)}</leshua>`, 'text/xml'],
    ['leshua', 'thousands of empty elements', `<leshua>${'<a/>'.repeat(1500)}</leshua>`, 'text/xml'],
    ['umf', 'deeply nested JSON', `${'['.repeat(3000)}${']'.repeat(3000)}`, 'application/json'],
    ['umf', 'an object of five hundred members', JSON.stringify(padding(500, 500)), 'application/json'],
    ['baofoo', 'a form of a thousand fields', 'a=1&'.repeat(1000), 'application/x-www-form-urlencoded'],
    [
      'baofoo',
      'a dataContent nested deep',
      new URLSearchParams({
        notifyType: 'REFUND',
        signStr: 'ab',
        dataContent: `${'{"a":'.repeat(1000)}1${'}'.repeat(1000)}`,
      }).toString(),
      'application/x-www-form-urlencoded',
    ],
  ] as const)(
    '%s: %s within the size limit is refused with 400 before it is parsed',
    async (gateway, _n, body, type) => {
      const before = await snapshot();
      const answer = await h.postRaw(`/notify/${gateway}`, body, type);
      expect(answer.status).toBe(400);
      expect(answer.headers.get('refundhub-notification')).toBe('NOTIFICATION_TOO_COMPLEX');
      expect(await snapshot()).toEqual(before);
    },
  );

  it('keeps /health and the other routes answering between refused bodies', async () => {
    await postRaw({ url: notifyUrl('leshua'), contentLength: 1024 * 1024, body: Buffer.alloc(10), end: false });
    expect((await h.call('GET', '/health', undefined, null)).status).toBe(200);
  });
});
