import { MikroORM } from '@mikro-orm/core';
import type { Migrator } from '@mikro-orm/migrations';

import { RefundOrderRef } from '../../entities/refund-order-ref.entity';
import { RefundOrder } from '../../entities/refund-order.entity';
import { Refund } from '../../entities/refund.entity';
import { refundOrmOptions } from '../../persistence/refund-database.options';
import { TestDatabase, TestDialect, createTestDatabase, describeWithDialect } from './test-databases';

/** The last migration before order references. */
const BEFORE_REFERENCES = 'Migration20261130070000';

interface LegacyOrder {
  id: string;
  merchantId?: string;
  orderRef: string;
  merchantOrderNo: string | null;
  gatewayOrderNo: string | null;
  reserved: number;
}

interface LegacyRefund {
  id: string;
  order: string;
  status: string;
  merchantOrderNo?: string | null;
  gatewayOrderNo?: string | null;
  attentionReason?: string;
}

/**
 * Orders recorded before references were linked, as the old key allowed them: the demo order named
 * three ways (three balances, one gateway order number), a plain order, and the same numbers at another
 * merchant.
 */
const ORDERS: LegacyOrder[] = [
  { id: 'ro_1', orderRef: 'T1', merchantOrderNo: 'T1', gatewayOrderNo: 'G1', reserved: 250 },
  { id: 'ro_2', orderRef: 'gw:G1', merchantOrderNo: null, gatewayOrderNo: 'G1', reserved: 280 },
  { id: 'ro_3', orderRef: 'ALIAS1', merchantOrderNo: 'ALIAS1', gatewayOrderNo: 'G1', reserved: 200 },
  { id: 'ro_4', orderRef: 'T4', merchantOrderNo: 'T4', gatewayOrderNo: null, reserved: 50 },
  { id: 'ro_5', merchantId: 'm2', orderRef: 'T1', merchantOrderNo: 'T1', gatewayOrderNo: 'G1', reserved: 100 },
];

const REFUNDS: LegacyRefund[] = [
  { id: 'rf_1', order: 'ro_1', status: 'PROCESSING', merchantOrderNo: 'T1' },
  { id: 'rf_1b', order: 'ro_1', status: 'SUCCEEDED', merchantOrderNo: 'T1' },
  { id: 'rf_1c', order: 'ro_1', status: 'PROCESSING', merchantOrderNo: 'T1', attentionReason: 'sync_exhausted' },
  { id: 'rf_2', order: 'ro_2', status: 'UNKNOWN', gatewayOrderNo: 'G1' },
  { id: 'rf_3', order: 'ro_3', status: 'FAILED', merchantOrderNo: 'ALIAS1', gatewayOrderNo: 'G1' },
  { id: 'rf_3b', order: 'ro_3', status: 'REQUESTED', merchantOrderNo: 'ALIAS1', gatewayOrderNo: 'G1' },
  // A second gateway number given with T4 only ever reached the refund row.
  { id: 'rf_4', order: 'ro_4', status: 'PROCESSING', merchantOrderNo: 'T4', gatewayOrderNo: 'G4' },
  { id: 'rf_5', order: 'ro_5', status: 'PROCESSING', merchantOrderNo: 'T1' },
];

/** Migration20261130090000 on a database that already holds orders and refunds. */
export function orderRefMigrationSuite(dialect: TestDialect): void {
  describeWithDialect(dialect, 'the order references migration on existing rows', () => {
    let db: TestDatabase;
    let orm: MikroORM;
    const t0 = Date.parse('2026-11-01T00:00:00Z');
    // SQLite keeps dates as epoch milliseconds, as MikroORM writes them there.
    const at = (ms: number) => (dialect === 'sqlite' ? ms : new Date(ms));
    const sql = (query: string, params: unknown[]) => orm.em.getConnection().execute(query, params, 'run');

    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      orm = await MikroORM.init(await refundOrmOptions(db.options));
      const migrator = orm.getMigrator() as Migrator;
      await migrator.up({ to: BEFORE_REFERENCES });
      for (const [i, o] of ORDERS.entries()) {
        await sql(
          `insert into refund_order (id, gateway, merchant_id, order_ref, merchant_order_no, gateway_order_no,
                                     total_amount, reserved_amount, refunded_amount, created_at, updated_at)
           values (?, 'leshua', ?, ?, ?, ?, 300, ?, 0, ?, ?)`,
          [
            o.id,
            o.merchantId ?? 'm1',
            o.orderRef,
            o.merchantOrderNo,
            o.gatewayOrderNo,
            o.reserved,
            at(t0 + i),
            at(t0 + i),
          ],
        );
      }
      for (const r of REFUNDS) {
        const order = ORDERS.find((o) => o.id === r.order)!;
        await sql(
          `insert into refund (id, gateway, merchant_id, refund_no, order_id, amount, merchant_order_no, gateway_order_no,
                               total_amount, gateway_options, status, attention_reason, attention_since, created_at, updated_at)
           values (?, 'leshua', ?, ?, ?, 10, ?, ?, 300, '{}', ?, ?, ?, ?, ?)`,
          [
            r.id,
            order.merchantId ?? 'm1',
            r.id,
            r.order,
            r.merchantOrderNo ?? null,
            r.gatewayOrderNo ?? null,
            r.status,
            r.attentionReason ?? null,
            r.attentionReason ? at(t0) : null,
            at(t0 + 100),
            at(t0 + 100),
          ],
        );
      }
      await migrator.up();
    });

    afterAll(async () => {
      try {
        await orm?.close(true);
      } finally {
        await db?.drop();
      }
    });

    it('makes every recorded number a reference of its order; a number several orders recorded goes to the oldest', async () => {
      const refs = await orm.em
        .fork()
        .find(RefundOrderRef, {}, { orderBy: { merchantId: 'asc', kind: 'asc', value: 'asc' } });
      expect(refs.map((r) => [r.merchantId, r.kind, r.value, r.order.id, r.source])).toEqual([
        ['m1', 'gateway', 'G1', 'ro_1', 'migration'],
        ['m1', 'gateway', 'G4', 'ro_4', 'migration'],
        ['m1', 'merchant', 'ALIAS1', 'ro_3', 'migration'],
        ['m1', 'merchant', 'T1', 'ro_1', 'migration'],
        ['m1', 'merchant', 'T4', 'ro_4', 'migration'],
        ['m2', 'gateway', 'G1', 'ro_5', 'migration'],
        ['m2', 'merchant', 'T1', 'ro_5', 'migration'],
      ]);
    });

    it('flags the unfinished refunds of every order that shared a number, and touches no money', async () => {
      const now = Date.now();
      const refunds = await orm.em.fork().find(Refund, {}, { orderBy: { id: 'asc' } });
      expect(Object.fromEntries(refunds.map((r) => [r.id, r.attentionReason]))).toEqual({
        rf_1: 'order_reference_conflict',
        rf_1b: null,
        rf_1c: 'sync_exhausted',
        rf_2: 'order_reference_conflict',
        rf_3: null,
        rf_3b: 'order_reference_conflict',
        rf_4: null,
        rf_5: null,
      });
      const since = refunds.find((r) => r.id === 'rf_2')!.attentionSince!;
      expect(Math.abs(since.getTime() - now)).toBeLessThan(60_000);
      expect(refunds.map((r) => r.status)).toEqual(REFUNDS.map((r) => r.status));

      const orders = await orm.em.fork().find(RefundOrder, {}, { orderBy: { id: 'asc' } });
      expect(orders.map((o) => [o.id, o.reservedAmount, o.refundedAmount])).toEqual(
        ORDERS.map((o) => [o.id, o.reserved, 0]),
      );
    });

    it('no longer keys orders by order_ref', async () => {
      await sql(
        `insert into refund_order (id, gateway, merchant_id, order_ref, total_amount, reserved_amount, refunded_amount,
                                   created_at, updated_at)
         values ('ro_9', 'leshua', 'm1', 'T1', 300, 0, 0, ?, ?)`,
        [at(t0), at(t0)],
      );
      expect(await orm.em.fork().count(RefundOrder, { orderRef: 'T1', merchantId: 'm1' })).toBe(2);
    });
  });
}
