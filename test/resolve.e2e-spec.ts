import type { ChaoyingSandbox } from '@refundhub/chaoying/sandbox';
import { RefundFailedEvent, RefundSucceededEvent, RefundHistoryView, RefundView } from '@refundhub/core';
import { waitUntil } from '@refundhub/core/testing';

import { ApiHarness, CY_MERCHANT, CY_ORDER, KEYS, refundBody, startApi } from './support/api-harness';
import { describeWithDialect } from './support/databases';
import { verifyWebhook } from './support/verify-webhook';
import { WebhookReceiver } from './support/webhook-receiver';

const SECRET = `whsec_${Buffer.from('refundhub e2e secret for settled refunds').toString('base64')}`;
const REASON = 'Bank statement of 2026-11-30 shows the refund paid out';

for (const dialect of ['sqlite', 'postgresql'] as const) {
  describeWithDialect(dialect, 'settling a refund by hand over HTTP', () => {
    let h: ApiHarness;
    let cy: ChaoyingSandbox;
    let receiver: WebhookReceiver;

    beforeEach(async () => {
      receiver = await WebhookReceiver.start();
      h = await startApi(dialect, {
        chaoying: { timeoutMs: 300 },
        webhooks: { secret: SECRET, allowPrivateTargets: true },
      });
      if (!h.chaoying) throw new Error('the ChaoYing sandbox did not start');
      cy = h.chaoying;
    });
    afterEach(async () => {
      await h?.close();
      await receiver?.close();
    });

    const resolve = (id: string, body: unknown, key: string | null = KEYS.operator) =>
      h.call<Record<string, unknown>>('POST', `/refunds/${id}/resolve`, body, key);
    const historyOf = async (id: string) =>
      (await h.call<{ items: RefundHistoryView[] }>('GET', `/refunds/${id}/history`)).body.items;
    /** A Leshua refund the gateway never answered: UNKNOWN, its amount reserved. */
    const unknownRefund = async (overrides: Record<string, unknown> = {}) => {
      h.sandbox.failNext('5xx', { process: false });
      const created = await h.call<RefundView>('POST', '/refunds', refundBody(overrides));
      expect(created.body).toMatchObject({ status: 'UNKNOWN', order: { reservedAmount: 100 } });
      return created.body.id;
    };

    it('settles a ChaoYing CHANGE refund SUCCEEDED: flag cleared, balance, audit entry, event and webhook', async () => {
      cy.planRefund('CYR1', { outcome: 'change', afterQueries: 0 });
      const created = await h.call<RefundView>('POST', '/refunds', {
        gateway: 'chaoying',
        merchantId: CY_MERCHANT,
        refundNo: 'CYR1',
        amount: 100,
        order: { ...CY_ORDER },
        reason: 'returned',
        notifyUrl: receiver.url,
      });
      const id = created.body.id;
      await h.makeDue(id);
      await h.syncRound();
      expect((await h.call<RefundView>('GET', `/refunds/${id}`)).body).toMatchObject({
        status: 'PROCESSING',
        needsAttention: { reason: 'gateway_change' },
      });
      await waitUntil(async () => receiver.requests.length === 1, { what: 'the needs-attention webhook', everyMs: 10 });

      const settled = await resolve(id, { status: 'SUCCEEDED', reason: REASON });

      expect(settled.status).toBe(200);
      expect(settled.body).toMatchObject({
        id,
        status: 'SUCCEEDED',
        needsAttention: null,
        order: { reservedAmount: 100, refundedAmount: 100 },
      });
      const history = await historyOf(id);
      expect(history[history.length - 1]).toMatchObject({
        from: 'PROCESSING',
        to: 'SUCCEEDED',
        source: 'operator',
        applied: true,
        message: REASON,
        actor: 'operator',
      });
      const flagged = await h.call<{ items: RefundView[] }>('GET', '/refunds?needsAttention=true');
      expect(flagged.body.items).toEqual([]);
      expect(h.events.filter((e) => e instanceof RefundSucceededEvent).map((e) => e.refund.refundId)).toEqual([id]);

      await waitUntil(async () => receiver.requests.length === 2, {
        what: 'the refund.succeeded webhook',
        everyMs: 10,
      });
      const webhook = receiver.requests[1];
      verifyWebhook(SECRET, webhook.headers, webhook.body);
      expect(JSON.parse(webhook.body)).toMatchObject({
        type: 'refund.succeeded',
        data: expect.objectContaining({ id, status: 'SUCCEEDED', needsAttention: null }),
      });
    });

    it('settles an UNKNOWN refund FAILED: the reservation is released and the reason shown', async () => {
      const id = await unknownRefund();
      const reason = 'Leshua support confirms the refund was never made';

      const settled = await resolve(id, { status: 'FAILED', reason });

      expect(settled.status).toBe(200);
      expect(settled.body).toMatchObject({
        status: 'FAILED',
        failure: { code: 'RESOLVED_BY_OPERATOR', message: reason },
        order: { reservedAmount: 0, refundedAmount: 0 },
      });
      expect((await historyOf(id)).at(-1)).toMatchObject({ source: 'operator', to: 'FAILED', actor: 'operator' });
      expect(h.events.filter((e) => e instanceof RefundFailedEvent)).toHaveLength(1);
      // The whole order is refundable again.
      const again = await h.call<RefundView>('POST', '/refunds', refundBody({ refundNo: 'R2', amount: 300 }));
      expect(again.status).toBe(201);
    });

    it('answers 409 with the status for a refund already final, and changes nothing', async () => {
      const id = await unknownRefund();
      await resolve(id, { status: 'FAILED', reason: 'never made' });
      const before = await historyOf(id);

      const again = await resolve(id, { status: 'SUCCEEDED', reason: REASON });

      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'REFUND_ALREADY_FINAL', refundId: id, status: 'FAILED' });
      expect(await historyOf(id)).toEqual(before);
      expect((await h.call<RefundView>('GET', `/refunds/${id}`)).body.status).toBe('FAILED');
    });

    it('answers 403 to a key without the operator scope, whatever its body, and 401 without a key', async () => {
      const id = await unknownRefund();
      for (const key of [KEYS.all, KEYS.shop]) {
        for (const body of [
          { status: 'FAILED', reason: 'x' },
          { status: 'NOPE', extra: true },
        ]) {
          const answer = await resolve(id, body, key);
          expect(answer.status).toBe(403);
          expect(answer.body).toMatchObject({ code: 'OPERATOR_SCOPE_REQUIRED' });
        }
      }
      expect((await resolve(id, { status: 'FAILED', reason: 'x' }, null)).status).toBe(401);
      expect((await h.call<RefundView>('GET', `/refunds/${id}`)).body.status).toBe('UNKNOWN');
    });

    it('answers 404 outside the key’s merchants, exactly as for a refund that does not exist', async () => {
      const id = await unknownRefund();
      const outside = await resolve(id, { status: 'FAILED', reason: 'x' }, KEYS.otherOperator);
      const missing = await resolve('rf_00000000000000000000000000000000', { status: 'FAILED', reason: 'x' });
      expect(outside.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(outside.body.code).toBe('REFUND_NOT_FOUND');
      expect((await h.call<RefundView>('GET', `/refunds/${id}`)).body.status).toBe('UNKNOWN');
    });

    it.each([
      ['status', { reason: 'x' }, 'is required'],
      ['status', { status: 'PROCESSING', reason: 'x' }, 'must be one of SUCCEEDED, FAILED'],
      ['reason', { status: 'FAILED' }, 'is required'],
      ['reason', { status: 'FAILED', reason: '  ' }, 'must not be blank'],
      ['reason', { status: 'FAILED', reason: 'x'.repeat(257) }, 'must be at most 256 characters'],
      ['reason', { status: 'FAILED', reason: 42 }, 'must be a string'],
      ['actor', { status: 'FAILED', reason: 'x', actor: 'someone else' }, 'is not a known field'],
    ])('answers 400 for a bad %s, field by field', async (field, body, message) => {
      const id = await unknownRefund();
      const answer = await resolve(id, body);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field, message }] });
      expect((await h.call<RefundView>('GET', `/refunds/${id}`)).body.status).toBe('UNKNOWN');
    });
  });
}
