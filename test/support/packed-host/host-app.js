'use strict';
// A host NestJS app (Express) as an npm user writes it, on the installed refundhub tarballs only.
// Plain JavaScript, decorators applied by hand, so the app runs without a build step of its own.
require('reflect-metadata');
const { MikroORM } = require('@mikro-orm/core');
const { MikroOrmModule } = require('@mikro-orm/nestjs');
const { Injectable, Module } = require('@nestjs/common');
const { ConfigModule, ConfigService } = require('@nestjs/config');
const { NestFactory } = require('@nestjs/core');
const { EventEmitterModule, OnEvent } = require('@nestjs/event-emitter');
const core = require('@refundhub/core');
const { LeshuaModule } = require('@refundhub/leshua');
const { LeshuaSandbox } = require('@refundhub/leshua/sandbox');

const SHOP = '0000000042';
const KEYS = { tradeKey: 'HOSTTRADEKEY0123456789ABCDEF0123', notifyKey: 'HOSTNOTIFYKEY0123456789ABCDEF012' };
const ORDER = { merchantOrderNo: 'SHOP20250101000042', totalAmount: 500 };

/** The host's own listener of refundhub's events. */
class OrderRefundsListener {
  constructor() {
    this.succeeded = [];
  }
  onRefundSucceeded(event) {
    this.succeeded.push(event.refund.refundId);
  }
}
Injectable()(OrderRefundsListener);
const onSucceeded = Object.getOwnPropertyDescriptor(OrderRefundsListener.prototype, 'onRefundSucceeded');
Reflect.decorate(
  [OnEvent(core.RefundSucceededEvent.eventName)],
  OrderRefundsListener.prototype,
  'onRefundSucceeded',
  onSucceeded,
);

/** The host's secret store, asked by refundhub through its CredentialsProvider port. */
class HostVault extends core.CredentialsProvider {
  constructor() {
    super();
    this.asked = 0;
  }
  async get(gateway, merchantId) {
    this.asked += 1;
    return gateway === 'leshua' && merchantId === SHOP ? KEYS : undefined;
  }
}
Injectable()(HostVault);

class VaultModule {}
Module({ providers: [HostVault], exports: [HostVault] })(VaultModule);

const fromConfig = (useFactory) => ({ imports: [ConfigModule], inject: [ConfigService], useFactory });

function appModule({ database, leshuaBaseUrl }) {
  class AppModule {}
  Module({
    imports: [
      ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ leshuaBaseUrl })] }),
      EventEmitterModule.forRoot(),
      MikroOrmModule.forRootAsync({ useFactory: () => core.refundOrmOptions(database) }),
      RefundModule(),
      LeshuaModule.forRootAsync(
        fromConfig((config) => ({ baseUrl: config.getOrThrow('leshuaBaseUrl'), timeoutMs: 2000 })),
      ),
    ],
    providers: [OrderRefundsListener],
  })(AppModule);
  return AppModule;
}

function RefundModule() {
  return core.RefundModule.forRootAsync({
    imports: [VaultModule],
    inject: [HostVault],
    useFactory: (vault) => ({ credentials: vault, notifyBaseUrl: null, sync: { backoffMs: [1], jitter: 0 } }),
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const database = JSON.parse(process.env.HOST_DATABASE);
  const sandbox = new LeshuaSandbox({ merchants: { [SHOP]: KEYS } });
  await sandbox.start();
  sandbox.seedOrder({ merchantId: SHOP, thirdOrderId: ORDER.merchantOrderNo, totalAmount: ORDER.totalAmount });
  const app = await NestFactory.create(appModule({ database, leshuaBaseUrl: sandbox.baseUrl }), { logger: false });
  await app.listen(0, '127.0.0.1');
  try {
    await core.migrateRefundSchema(app.get(MikroORM));
    const refunds = app.get(core.RefundService);
    const command = { gateway: 'leshua', merchantId: SHOP, refundNo: 'SHOPR0001', amount: 120, order: ORDER };
    const requested = await refunds.request(command);
    await sleep(5);
    await app.get(core.RefundSyncService).runOnce();
    const listener = app.get(OrderRefundsListener);
    for (let waited = 0; listener.succeeded.length === 0 && waited < 5000; waited += 50) await sleep(50);
    const readBack = await refunds.get(requested.refund.id);
    const unknownGateway = await refunds.request({ ...command, gateway: 'umf', refundNo: 'SHOPR0002' }).then(
      () => null,
      (error) => ({ name: error.constructor.name, message: error.message }),
    );
    const report = {
      refundId: requested.refund.id,
      requestedStatus: requested.refund.status,
      readBack: { status: readBack.status, amount: readBack.amount, refundedAmount: readBack.order.refundedAmount },
      heard: listener.succeeded,
      vaultAsked: app.get(HostVault).asked,
      unknownGateway,
      loadedFrom: Object.keys(require.cache).filter((file) => file.includes('@refundhub')),
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    await app.close();
    await sandbox.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
