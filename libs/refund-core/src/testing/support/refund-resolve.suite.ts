import { Refund } from '../../entities/refund.entity';
import { RefundAlreadyFinalError, RefundBusyError, RefundNotFoundError, RefundValidationError } from '../../errors';
import { RefundFailedEvent, RefundNeedsAttentionEvent, RefundSucceededEvent } from '../../events';
import type { GatewayOutcome } from '../../gateway/refund-gateway.port';
import { RefundClaims } from '../../refund/refund-claims';
import type { ResolveRefundCommand } from '../../refund/resolve-refund.command';
import { FakeGateway } from '../fake-gateway';
import { CoreHarness, createCoreHarness } from './core-harness';
import { command } from './refund-service.suite';
import { TestDatabase, TestDialect, createTestDatabase, describeWithDialect } from './test-databases';

const CHANGE: GatewayOutcome = {
  kind: 'needs_attention',
  reason: 'gateway_change',
  rawStatus: 'CHANGE',
  message: '转入代发',
};
const TIMEOUT: GatewayOutcome = { kind: 'unknown', reason: 'timeout', detail: 'no answer within 10000 ms' };

/** RefundService.resolve: a person settles an unfinished refund, on a real database of the given dialect. */
export function refundResolveSuite(dialect: TestDialect): void {
  describeWithDialect(dialect, 'RefundService.resolve', () => {
    let db: TestDatabase;
    let h: CoreHarness;

    const start = async (gateway: FakeGateway, gatewayCallTimeoutMs?: number) => {
      db = await createTestDatabase(dialect);
      h = await createCoreHarness(db.options, { gateway, gatewayCallTimeoutMs });
    };
    const resolution = (refundId: string, overrides: Partial<ResolveRefundCommand> = {}): ResolveRefundCommand => ({
      refundId,
      status: 'SUCCEEDED',
      reason: 'Bank statement 2026-11-30 shows the refund paid out',
      actor: 'ops-alice',
      ...overrides,
    });

    afterEach(async () => {
      try {
        await h?.close();
      } finally {
        await db?.drop();
      }
    });

    it('settles a flagged PROCESSING refund SUCCEEDED: refunded amount, flag cleared, audit row, event', async () => {
      await start(new FakeGateway('fake').onSubmit(CHANGE));
      const { refund } = await h.refunds.request(command());
      expect(refund.needsAttention).toMatchObject({ reason: 'gateway_change' });

      const settled = await h.refunds.resolve(resolution(refund.id));

      expect(settled).toMatchObject({
        status: 'SUCCEEDED',
        gatewayStatus: 'CHANGE',
        needsAttention: null,
        failure: null,
        order: { reservedAmount: 100, refundedAmount: 100 },
      });
      const history = await h.refunds.history(refund.id);
      expect(history[history.length - 1]).toEqual({
        at: h.clock.now().toISOString(),
        from: 'PROCESSING',
        to: 'SUCCEEDED',
        source: 'operator',
        applied: true,
        gatewayStatus: null,
        code: null,
        message: 'Bank statement 2026-11-30 shows the refund paid out',
        repeats: 0,
        lastHeardAt: null,
        actor: 'ops-alice',
      });
      const succeeded = h.events.filter((e) => e instanceof RefundSucceededEvent);
      expect(succeeded).toHaveLength(1);
      expect(succeeded[0].refund).toMatchObject({ refundId: refund.id, amount: 100 });
      const row = await h.orm.em.fork().findOneOrFail(Refund, refund.id);
      expect(row).toMatchObject({ nextSyncAt: null, attentionReason: null, leaseOwner: null });
    });

    it('settles an UNKNOWN refund FAILED: the reservation is released and the reason is the failure', async () => {
      await start(new FakeGateway('fake').onSubmit(TIMEOUT));
      const { refund } = await h.refunds.request(command());
      expect(refund).toMatchObject({ status: 'UNKNOWN', order: { reservedAmount: 100 } });

      const reason = 'Gateway support confirms the refund was never made';
      const settled = await h.refunds.resolve(resolution(refund.id, { status: 'FAILED', reason }));

      expect(settled).toMatchObject({
        status: 'FAILED',
        failure: { code: 'RESOLVED_BY_OPERATOR', message: reason },
        order: { reservedAmount: 0, refundedAmount: 0 },
      });
      const history = await h.refunds.history(refund.id);
      expect(history[history.length - 1]).toMatchObject({
        from: 'UNKNOWN',
        to: 'FAILED',
        source: 'operator',
        code: 'RESOLVED_BY_OPERATOR',
        message: reason,
        actor: 'ops-alice',
      });
      const failed = h.events.filter((e) => e instanceof RefundFailedEvent);
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ code: 'RESOLVED_BY_OPERATOR', message: reason });
      // The released amount may be refunded again.
      const again = await h.refunds.request(command({ refundNo: 'R2', amount: 300 }));
      expect(again.refund.order).toMatchObject({ reservedAmount: 300 });
    });

    it('refuses a final refund, says its status, and changes nothing', async () => {
      await start(new FakeGateway('fake').onSubmit({ kind: 'succeeded', rawStatus: 'SUCCESS' }));
      const { refund } = await h.refunds.request(command());
      const historyBefore = await h.refunds.history(refund.id);
      const eventsBefore = h.events.length;

      const attempt = h.refunds.resolve(resolution(refund.id, { status: 'FAILED' }));

      await expect(attempt).rejects.toBeInstanceOf(RefundAlreadyFinalError);
      await expect(attempt).rejects.toMatchObject({ status: 'SUCCEEDED' });
      expect(await h.refunds.get(refund.id)).toMatchObject({
        status: 'SUCCEEDED',
        order: { reservedAmount: 100, refundedAmount: 100 },
      });
      expect(await h.refunds.history(refund.id)).toEqual(historyBefore);
      expect(h.events).toHaveLength(eventsBefore);
    });

    it.each([
      ['status', { status: 'PROCESSING' as unknown as 'FAILED' }],
      ['reason', { reason: '' }],
      ['reason', { reason: '   ' }],
      ['reason', { reason: 'x'.repeat(257) }],
      ['reason', { reason: 'bad\u0000text' }],
      ['actor', { actor: '' }],
    ])('refuses a bad %s and changes nothing', async (field, change) => {
      await start(new FakeGateway('fake').onSubmit(TIMEOUT));
      const { refund } = await h.refunds.request(command());
      const attempt = h.refunds.resolve(resolution(refund.id, change));
      await expect(attempt).rejects.toBeInstanceOf(RefundValidationError);
      await expect(attempt).rejects.toMatchObject({ problems: [expect.objectContaining({ field })] });
      expect((await h.refunds.get(refund.id)).status).toBe('UNKNOWN');
    });

    it('takes a reason of exactly 256 characters, counted as characters', async () => {
      await start(new FakeGateway('fake').onSubmit(TIMEOUT));
      const { refund } = await h.refunds.request(command());
      const reason = '退'.repeat(255) + '😀';
      const settled = await h.refunds.resolve(resolution(refund.id, { status: 'FAILED', reason }));
      expect(settled.failure).toMatchObject({ message: reason });
    });

    it('answers not found for an id no refund has', async () => {
      await start(new FakeGateway('fake'));
      await expect(h.refunds.resolve(resolution('rf_0000'))).rejects.toBeInstanceOf(RefundNotFoundError);
      await expect(h.refunds.resolve(resolution('rf_\u0000'))).rejects.toBeInstanceOf(RefundNotFoundError);
    });

    it('waits for the holder of the refund claim, then settles it', async () => {
      await start(new FakeGateway('fake').onSubmit(TIMEOUT));
      const { refund } = await h.refunds.request(command());
      const claims = h.app.get(RefundClaims);
      const lease = await claims.claim(refund.id);
      expect(lease).not.toBeNull();

      let done = false;
      const resolving = h.refunds.resolve(resolution(refund.id)).finally(() => {
        done = true;
      });
      // While the holder works, nothing is settled.
      expect((await h.refunds.get(refund.id)).status).toBe('UNKNOWN');
      expect(done).toBe(false);
      await claims.release(refund.id, lease!);

      expect(await resolving).toMatchObject({ status: 'SUCCEEDED' });
    });

    it('answers busy when the claim is still held after the longest gateway call', async () => {
      await start(new FakeGateway('fake').onSubmit(TIMEOUT), 50);
      const { refund } = await h.refunds.request(command());
      const lease = await h.app.get(RefundClaims).claim(refund.id);
      expect(lease).not.toBeNull();
      await expect(h.refunds.resolve(resolution(refund.id))).rejects.toBeInstanceOf(RefundBusyError);
      expect((await h.refunds.get(refund.id)).status).toBe('UNKNOWN');
    });

    it('keeps an operator-settled refund final: a later gateway answer is recorded, not applied', async () => {
      await start(new FakeGateway('fake').onSubmit(CHANGE).onQuery({ kind: 'succeeded', rawStatus: 'SUCCESS' }));
      const { refund } = await h.refunds.request(command());
      await h.refunds.resolve(resolution(refund.id, { status: 'FAILED' }));
      const after = await h.refunds.sync(refund.id);
      expect(after).toMatchObject({ status: 'FAILED', order: { reservedAmount: 0, refundedAmount: 0 } });
      expect(h.events.filter((e) => e instanceof RefundNeedsAttentionEvent)).toHaveLength(1);
      expect(h.events.filter((e) => e instanceof RefundSucceededEvent)).toHaveLength(0);
    });
  });
}
