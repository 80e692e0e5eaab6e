import { EntitySchema, MikroORM, type Options } from '@mikro-orm/core';
import { InjectMikroORM, MikroOrmModule } from '@mikro-orm/nestjs';
import { Injectable, type ModuleMetadata } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Test, TestingModule } from '@nestjs/testing';

import {
  REFUND_CONTEXT_NAME,
  REFUND_ENTITIES,
  REFUND_MIGRATIONS,
  REFUND_ORM,
  REFUND_TABLES,
  Refund,
  RefundDatabaseModule,
  RefundModule,
  RefundService,
  migrateRefundDatabase,
  type RequestRefundCommand,
} from '@refundhub/core';
import { LeshuaModule } from '@refundhub/leshua';
import { LeshuaSandbox } from '@refundhub/leshua/sandbox';

import { TestDatabase, TestDialect, createTestDatabase, describeWithDialect } from './support/databases';

/**
 * The two ways a host app stores refunds: refundhub's own connection beside the host's MikroORM
 * setup, or refundhub's entities inside that setup. Both on the host's one database.
 */
const SHOP = '0000000042';
const SHOP_KEYS = { tradeKey: 'HOSTTRADEKEY0123456789ABCDEF0123', notifyKey: 'HOSTNOTIFYKEY0123456789ABCDEF012' };
const PAID_ORDER = { merchantOrderNo: 'SHOP20250101000099', totalAmount: 800 };

/** One of the host's own tables. */
class ShopOrder {
  id!: string;
  total!: number;
}
const ShopOrderSchema = new EntitySchema<ShopOrder>({
  class: ShopOrder,
  tableName: 'shop_order',
  properties: { id: { type: 'string', primary: true }, total: { type: 'integer' } },
});

/** A host service that reads refundhub's connection by its MikroORM context name. */
@Injectable()
class RefundAudit {
  constructor(@InjectMikroORM(REFUND_CONTEXT_NAME) readonly orm: MikroORM) {}
}

for (const dialect of ['sqlite', 'postgresql'] as const) {
  describeWithDialect(dialect, 'refundhub persistence inside a host app', () => {
    let sandbox: LeshuaSandbox;
    let db: TestDatabase;
    let app: TestingModule | undefined;

    beforeEach(async () => {
      sandbox = new LeshuaSandbox({ merchants: { [SHOP]: SHOP_KEYS } });
      await sandbox.start();
      sandbox.seedOrder({ merchantId: SHOP, thirdOrderId: PAID_ORDER.merchantOrderNo, totalAmount: 800 });
      db = await createTestDatabase(dialect);
    });

    afterEach(async () => {
      try {
        await app?.close();
        app = undefined;
        await sandbox.stop();
      } finally {
        await db?.drop();
      }
    });

    /** The host's own MikroORM configuration of the same database. */
    const hostOrmOptions = async (extra: Partial<Options> = {}): Promise<Options> => ({
      ...(await driverOptions(dialect, db)),
      entities: [ShopOrderSchema],
      allowGlobalContext: true,
      ...extra,
    });

    const boot = async (imports: ModuleMetadata['imports'], providers: ModuleMetadata['providers'] = []) => {
      const moduleRef = await Test.createTestingModule({
        imports: [
          EventEmitterModule.forRoot(),
          ...(imports ?? []),
          RefundModule.forRoot({ credentials: { leshua: { [SHOP]: SHOP_KEYS } }, notifyBaseUrl: null }),
          LeshuaModule.forRoot({ baseUrl: sandbox.baseUrl, timeoutMs: 1000 }),
        ],
        providers,
      }).compile();
      moduleRef.useLogger(false);
      try {
        app = await moduleRef.init();
      } catch (error) {
        // close() would replay the failed init, so the host's connection is closed by hand.
        await moduleRef.get(MikroORM, { strict: false }).close(true);
        throw error;
      }
      return app;
    };

    const command = (refundNo: string): RequestRefundCommand => ({
      gateway: 'leshua',
      merchantId: SHOP,
      refundNo,
      amount: 100,
      order: PAID_ORDER,
    });

    it("keeps refundhub's own connection beside the host's MikroORM, under the context name refundhub", async () => {
      // Without skipTables the host's schema tools would drop refundhub's tables as unknown to them.
      const host = await hostOrmOptions({ schemaGenerator: { skipTables: [...REFUND_TABLES] } });
      const booted = await boot(
        [MikroOrmModule.forRoot(host), RefundDatabaseModule.forRootAsync({ useFactory: () => db.options })],
        [RefundAudit],
      );
      await migrateRefundDatabase(db.options);
      const hostOrm = booted.get(MikroORM);
      await hostOrm.schema.updateSchema();

      const requested = await booted.get(RefundService).request(command('SHOPR0901'));
      expect(requested.refund).toMatchObject({ status: 'PROCESSING', amount: 100 });

      const refundOrm = booted.get<MikroORM>(REFUND_ORM);
      expect(refundOrm).not.toBe(hostOrm);
      expect(booted.get(RefundAudit).orm).toBe(refundOrm);
      expect(await refundOrm.em.fork().count(Refund, {})).toBe(1);
      // REFUND_TABLES names every table of refundhub's entities, and its migrations' bookkeeping.
      const entityTables = Object.values(refundOrm.getMetadata().getAll()).map((meta) => meta.tableName);
      expect([...REFUND_TABLES].sort()).toEqual([...entityTables, 'refundhub_migrations'].sort());
      // The host's setup knows its own entities only: refundhub's never leak into its metadata.
      expect(hostOrm.getMetadata().find('Refund')).toBeUndefined();
      await hostOrm.em.fork().persistAndFlush(Object.assign(new ShopOrder(), { id: 'o1', total: 800 }));
      expect(await hostOrm.em.fork().count(ShopOrder, {})).toBe(1);
    });

    it("stores refunds through the host's own MikroORM setup, whose schema tools leave refundhub's tables alone", async () => {
      const applied = await migrateRefundDatabase(db.options);
      expect(applied).toEqual(REFUND_MIGRATIONS[dialect].map((migration) => migration.name));
      const host = await hostOrmOptions({
        entities: [ShopOrderSchema, ...REFUND_ENTITIES],
        forceUtcTimezone: true,
        schemaGenerator: { skipTables: [...REFUND_TABLES] },
      });
      const booted = await boot([MikroOrmModule.forRoot(host), RefundDatabaseModule.forExisting()]);
      const hostOrm = booted.get(MikroORM);
      expect(booted.get<MikroORM>(REFUND_ORM)).toBe(hostOrm);

      const pending = await hostOrm.schema.getUpdateSchemaSQL();
      expect(pending).toMatch(/shop_order/);
      for (const table of REFUND_TABLES) expect(pending).not.toMatch(new RegExp(`["\`\\s]${table}["\`\\s]`));
      await hostOrm.schema.updateSchema();

      const requested = await booted.get(RefundService).request(command('SHOPR0902'));
      expect(requested.refund).toMatchObject({ status: 'PROCESSING', amount: 100 });
      expect(await hostOrm.em.fork().count(Refund, {})).toBe(1);
      // Run again, refundhub's migrations find nothing left to do.
      expect(await migrateRefundDatabase(db.options)).toEqual([]);
    });

    it("refuses to start on a host setup that lacks refundhub's entities or UTC times, saying which", async () => {
      const host = await hostOrmOptions({ forceUtcTimezone: false });
      const failure = await boot([MikroOrmModule.forRoot(host), RefundDatabaseModule.forExisting()]).catch(
        (e: unknown) => e,
      );
      expect(String(failure)).toMatch(/forExisting: .*lack Refund, RefundOrder.*forceUtcTimezone must be true/);
    });

    it('names RefundDatabaseModule when the host imports none', async () => {
      const failure = await boot([]).catch((e: unknown) => e);
      expect(String(failure)).toMatch(
        /RefundDatabaseModule \(refundhub needs RefundDatabaseModule.forRoot or .forExisting\)/,
      );
    });
  });
}

async function driverOptions(dialect: TestDialect, db: TestDatabase): Promise<Options> {
  if (db.options.driver === 'sqlite') {
    const { BetterSqliteDriver } = await import('@mikro-orm/better-sqlite');
    return { driver: BetterSqliteDriver, dbName: db.options.path };
  }
  const { PostgreSqlDriver } = await import('@mikro-orm/postgresql');
  expect(dialect).toBe('postgresql');
  return { driver: PostgreSqlDriver, clientUrl: db.options.url };
}
