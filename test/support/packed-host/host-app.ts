// A host NestJS app (Express) as an npm user writes it, on the installed refundhub tarballs only.
// The test compiles it with `tsc` against the installed type declarations, then runs it.
import 'reflect-metadata';

import { EntitySchema, MikroORM } from '@mikro-orm/core';
import { MikroOrmModule, type MikroOrmModuleSyncOptions } from '@mikro-orm/nestjs';
import { Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { BaofooModule } from '@refundhub/baofoo';
import { ChaoyingModule } from '@refundhub/chaoying';
import {
  Clock,
  CredentialsProvider,
  GatewayRegistry,
  REFUND_ORM,
  RefundDatabaseModule,
  RefundModule,
  RefundService,
  RefundSucceededEvent,
  RefundSyncService,
  migrateRefundSchema,
  type MerchantCredentials,
  type RefundDatabaseOptions,
} from '@refundhub/core';
import { operatorConfigOf, refundModuleOptionsOf, refundhubConfig } from '@refundhub/host';
import { LeshuaModule } from '@refundhub/leshua';
import { LeshuaSandbox } from '@refundhub/leshua/sandbox';
import { UMF_GATEWAY_ID } from '@refundhub/umf';

const SHOP = '0000000042';
const KEYS = { tradeKey: 'HOSTTRADEKEY0123456789ABCDEF0123', notifyKey: 'HOSTNOTIFYKEY0123456789ABCDEF012' };
const ORDER = { merchantOrderNo: 'SHOP20250101000042', totalAmount: 500 };

/** One of the host's own tables, in its own MikroORM setup. */
class ShopOrder {
  id!: string;
  total!: number;
}
const ShopOrderSchema = new EntitySchema<ShopOrder>({
  class: ShopOrder,
  tableName: 'shop_order',
  properties: { id: { type: 'string', primary: true }, total: { type: 'integer' } },
});

/** The host's own listener of refundhub's events. */
@Injectable()
class OrderRefundsListener {
  readonly succeeded: string[] = [];

  @OnEvent(RefundSucceededEvent.eventName)
  onRefundSucceeded(event: RefundSucceededEvent): void {
    this.succeeded.push(event.refund.refundId);
  }
}

/** The host's secret store, asked by refundhub through its CredentialsProvider port. */
@Injectable()
class HostVault extends CredentialsProvider {
  asked = 0;

  async get(gateway: string, merchantId: string): Promise<MerchantCredentials | undefined> {
    this.asked += 1;
    return gateway === 'leshua' && merchantId === SHOP ? KEYS : undefined;
  }
}

@Module({ providers: [HostVault], exports: [HostVault] })
class VaultModule {}

/** The host's clock: it moves time past the sync backoff instead of waiting for it. */
class HostClock extends Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
const clock = new HostClock();

function appModule(hostOrm: MikroOrmModuleSyncOptions) {
  @Module({
    imports: [
      // refundhub.yaml, validated as the standalone hosts validate it, in the host's ConfigService.
      ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [refundhubConfig()] }),
      EventEmitterModule.forRoot(),
      MikroOrmModule.forRoot(hostOrm),
      RefundDatabaseModule.forRootAsync({
        inject: [ConfigService],
        useFactory: (config: ConfigService) => operatorConfigOf(config).config.database,
      }),
      RefundModule.forRootAsync({
        imports: [VaultModule],
        inject: [ConfigService, HostVault],
        useFactory: (config: ConfigService, vault: HostVault) => ({
          ...refundModuleOptionsOf(operatorConfigOf(config).config, { clock }),
          credentials: vault,
        }),
      }),
      LeshuaModule.forRootAsync({
        inject: [ConfigService],
        useFactory: (config: ConfigService) => ({
          baseUrl: operatorConfigOf(config).config.gateways.leshua?.baseUrl ?? '',
          timeoutMs: 2000,
        }),
      }),
      ChaoyingModule.forRoot({ baseUrl: 'http://127.0.0.1:9' }),
      BaofooModule.forRoot({ baseUrl: 'http://127.0.0.1:9' }),
    ],
    providers: [OrderRefundsListener],
  })
  class AppModule {}
  return AppModule;
}

async function hostOrmOptions(database: RefundDatabaseOptions): Promise<MikroOrmModuleSyncOptions> {
  const common = { entities: [ShopOrderSchema], allowGlobalContext: true };
  if (database.driver === 'sqlite') {
    const { BetterSqliteDriver } = await import('@mikro-orm/better-sqlite');
    return { ...common, driver: BetterSqliteDriver, dbName: database.path };
  }
  const { PostgreSqlDriver } = await import('@mikro-orm/postgresql');
  return { ...common, driver: PostgreSqlDriver, clientUrl: database.url };
}

async function main(): Promise<void> {
  const database = JSON.parse(process.env['HOST_DATABASE'] ?? '') as RefundDatabaseOptions;
  const sandbox = new LeshuaSandbox({ merchants: { [SHOP]: KEYS } });
  await sandbox.start();
  sandbox.seedOrder({ merchantId: SHOP, thirdOrderId: ORDER.merchantOrderNo, totalAmount: ORDER.totalAmount });
  process.env['LESHUA_BASE_URL'] = sandbox.baseUrl;
  const app = await NestFactory.create(appModule(await hostOrmOptions(database)), { logger: false });
  await app.listen(0, '127.0.0.1');
  try {
    await migrateRefundSchema(app.get<MikroORM>(REFUND_ORM));
    const refunds = app.get(RefundService);
    const command = { gateway: 'leshua', merchantId: SHOP, refundNo: 'SHOPR0001', amount: 120, order: ORDER };
    const requested = await refunds.request(command);
    // Past the first step of the configured sync schedule (about a minute by default).
    clock.advance(10 * 60_000);
    await app.get(RefundSyncService).runOnce();
    const listener = app.get(OrderRefundsListener);
    for (let waited = 0; listener.succeeded.length === 0 && waited < 5000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const readBack = await refunds.get(requested.refund.id);
    const unknownGateway = await refunds.request({ ...command, gateway: UMF_GATEWAY_ID, refundNo: 'SHOPR0002' }).then(
      () => null,
      (error: Error) => ({ name: error.constructor.name, message: error.message }),
    );
    const report = {
      refundId: requested.refund.id,
      requestedStatus: requested.refund.status,
      readBack: { status: readBack.status, amount: readBack.amount, refundedAmount: readBack.order.refundedAmount },
      heard: listener.succeeded,
      vaultAsked: app.get(HostVault).asked,
      unknownGateway,
      gateways: app.get(GatewayRegistry).ids().sort(),
      hostOrmHoldsRefunds: app.get(MikroORM).getMetadata().find('Refund') !== undefined,
      loadedFrom: Object.keys(require.cache).filter((file) => file.includes('@refundhub')),
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    await app.close();
    await sandbox.stop();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
