import { currentLogContext, inRefundLogContext, runWithLogContext } from './log-context';

describe('log context', () => {
  it('is empty outside any refund work', () => {
    expect(currentLogContext()).toEqual({});
  });

  it('holds the refund and gateway for everything the work awaits, and only there', async () => {
    const seen = await runWithLogContext({ refundId: 'rf_1', gateway: 'leshua' }, async () => {
      await Promise.resolve();
      const later = await new Promise<object>((resolve) => setImmediate(() => resolve(currentLogContext())));
      return { now: currentLogContext(), later };
    });

    expect(seen).toEqual({
      now: { refundId: 'rf_1', gateway: 'leshua' },
      later: { refundId: 'rf_1', gateway: 'leshua' },
    });
    expect(currentLogContext()).toEqual({});
  });

  it('adds inner fields to outer ones, the inner winning, and leaves out fields not given', () => {
    const inner = runWithLogContext({ refundId: 'rf_1' }, () =>
      runWithLogContext({ gateway: 'umf', refundId: undefined }, () =>
        runWithLogContext({ refundId: 'rf_2' }, () => currentLogContext()),
      ),
    );

    expect(inner).toEqual({ refundId: 'rf_2', gateway: 'umf' });
  });

  it('keeps two refunds worked on at once apart', async () => {
    const work = (refundId: string) =>
      runWithLogContext({ refundId }, async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return currentLogContext().refundId;
      });

    expect(await Promise.all([work('rf_a'), work('rf_b')])).toEqual(['rf_a', 'rf_b']);
  });

  it("runs work for each refund in that refund's context", async () => {
    const seen = await Promise.all(
      [
        { id: 'rf_a', gateway: 'umf' },
        { id: 'rf_b', gateway: 'leshua' },
      ].map(inRefundLogContext(async () => currentLogContext())),
    );

    expect(seen).toEqual([
      { refundId: 'rf_a', gateway: 'umf' },
      { refundId: 'rf_b', gateway: 'leshua' },
    ]);
  });

  it('cannot be changed by whoever reads it', () => {
    runWithLogContext({ refundId: 'rf_1' }, () => {
      expect(Object.isFrozen(currentLogContext())).toBe(true);
    });
  });
});
