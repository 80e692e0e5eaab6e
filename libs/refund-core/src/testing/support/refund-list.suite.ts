import { FakeGateway } from '../fake-gateway';
import { CoreHarness, createCoreHarness } from './core-harness';
import { command } from './refund-service.suite';
import { TestDatabase, TestDialect, createTestDatabase, describeWithDialect } from './test-databases';

/** `RefundService.list` with a creation-time range, against a real database. */
export function refundListSuite(dialect: TestDialect): void {
  describeWithDialect(dialect, 'RefundService.list by creation time', () => {
    let db: TestDatabase;
    let h: CoreHarness;

    beforeEach(async () => {
      db = await createTestDatabase(dialect);
      const gateway = new FakeGateway('fake');
      h = await createCoreHarness(db.options, { gateway });
      const succeeded = { kind: 'succeeded', rawStatus: 'DONE' } as const;
      // R1 fails, the others succeed.
      gateway.onSubmit(
        succeeded,
        { kind: 'failed', code: 'REFUSED', message: 'refused' },
        succeeded,
        succeeded,
        succeeded,
      );
    });

    afterEach(async () => {
      try {
        await h?.close();
      } finally {
        await db?.drop();
      }
    });

    /** Refunds R0..R4, one a minute; their creation times. */
    const requestOnePerMinute = async (): Promise<Date[]> => {
      const times: Date[] = [];
      for (let i = 0; i < 5; i += 1) {
        times.push(h.clock.now());
        await h.refunds.request(command({ refundNo: `R${i}`, amount: 10 }));
        h.clock.advance(60_000);
      }
      return times;
    };
    const refundNos = async (filter: Parameters<CoreHarness['refunds']['list']>[0]) =>
      (await h.refunds.list(filter, '*')).items.map((refund) => refund.refundNo);

    it('includes createdFrom and excludes createdTo, to the millisecond', async () => {
      const at = await requestOnePerMinute();
      expect(await refundNos({ createdFrom: at[1], createdTo: at[3] })).toEqual(['R2', 'R1']);
      const justAfter = new Date(at[1].getTime() + 1);
      const justBefore = new Date(at[3].getTime() + 1);
      expect(await refundNos({ createdFrom: justAfter, createdTo: justBefore })).toEqual(['R3', 'R2']);
    });

    it('combines the range with a status and pages through it with the cursor', async () => {
      const at = await requestOnePerMinute();
      const filter = { status: 'SUCCEEDED' as const, createdFrom: at[0], createdTo: at[4] };
      const first = await h.refunds.list({ ...filter, limit: 2 }, '*');
      expect(first.items.map((refund) => refund.refundNo)).toEqual(['R3', 'R2']);
      const second = await h.refunds.list({ ...filter, limit: 2, cursor: first.nextCursor ?? undefined }, '*');
      expect(second.items.map((refund) => refund.refundNo)).toEqual(['R0']);
      expect(second.nextCursor).toBeNull();
    });

    it('finds nothing in a range before 1970 or one that ends before it starts', async () => {
      await requestOnePerMinute();
      expect(await refundNos({ createdTo: new Date('1969-12-31T23:59:59.000Z') })).toEqual([]);
      expect(await refundNos({ createdFrom: new Date('1969-12-31T23:59:59.000Z') })).toHaveLength(5);
      expect(await refundNos({ createdFrom: h.clock.now(), createdTo: new Date('2000-01-01T00:00:00.000Z') })).toEqual(
        [],
      );
    });
  });
}
