import { MikroORM } from '@mikro-orm/core';
import { Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { Test, TestingModule } from '@nestjs/testing';

import {
  CredentialsProvider,
  GatewayRegistry,
  Refund,
  RefundModule,
  RefundService,
  RefundSucceededEvent,
  RefundSyncService,
  UnknownGatewayError,
  migrateRefundSchema,
  REFUND_ORM,
  RefundDatabaseModule,
  type RefundDatabaseOptions,
  type MerchantCredentials,
  type RequestRefundCommand,
  type StaticCredentials,
} from '@refundhub/core';
import { BaofooModule } from '@refundhub/baofoo';
import { ChaoyingModule } from '@refundhub/chaoying';
import { FakeClock } from '@refundhub/core/testing';
import { LeshuaModule } from '@refundhub/leshua';
import { LeshuaSandbox } from '@refundhub/leshua/sandbox';
import { UmfModule } from '@refundhub/umf';

import { TestDatabase, createTestDatabase, describeWithDialect } from './support/databases';

/**
 * A host that configures refundhub from its own ConfigService: every module through
 * `forRootAsync({ imports, inject, useFactory })`, as a host reading its settings at boot does.
 */
const SHOP = '0000000042';
const SHOP_KEYS = { tradeKey: 'HOSTTRADEKEY0123456789ABCDEF0123', notifyKey: 'HOSTNOTIFYKEY0123456789ABCDEF012' };
const PAID_ORDER = { merchantOrderNo: 'SHOP20250101000077', totalAmount: 300 };

@Injectable()
class RefundSucceededListener {
  readonly heard: RefundSucceededEvent[] = [];

  @OnEvent(RefundSucceededEvent.eventName)
  onRefundSucceeded(event: RefundSucceededEvent): void {
    this.heard.push(event);
  }
}

/** The host's secret store, one of its own providers, counting what refundhub asks it. */
@Injectable()
class HostVault extends CredentialsProvider {
  readonly asked: string[] = [];

  async get(gateway: string, merchantId: string): Promise<MerchantCredentials | undefined> {
    this.asked.push(`${gateway}/${merchantId}`);
    return gateway === 'leshua' && merchantId === SHOP ? SHOP_KEYS : undefined;
  }
}

@Module({ providers: [HostVault], exports: [HostVault] })
class HostVaultModule {}

type HostSettings = { leshuaBaseUrl: string; credentials: StaticCredentials; database: RefundDatabaseOptions };

/** The host's settings as its ConfigModule loads them (here from memory rather than the environment). */
const hostConfig = (settings: HostSettings) =>
  ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ refunds: settings })] });

/** Module options read from the host's ConfigService when the module is built. */
const fromConfig = <T>(read: (config: ConfigService) => T) => ({
  imports: [ConfigModule],
  inject: [ConfigService],
  useFactory: read,
});

describeWithDialect('sqlite', 'refundhub configured with forRootAsync from a host ConfigService', () => {
  let sandbox: LeshuaSandbox;
  let db: TestDatabase;

  beforeEach(async () => {
    sandbox = new LeshuaSandbox({ merchants: { [SHOP]: SHOP_KEYS } });
    await sandbox.start();
    sandbox.seedOrder({
      merchantId: SHOP,
      thirdOrderId: PAID_ORDER.merchantOrderNo,
      totalAmount: PAID_ORDER.totalAmount,
    });
    db = await createTestDatabase('sqlite');
  });

  afterEach(async () => {
    await sandbox.stop();
    await db.drop();
  });

  /** The host's clock, so a test moves time past the sync backoff instead of waiting for it. */
  const clock = new FakeClock();

  const boot = async (gatewayModules: 'leshua only' | 'all four'): Promise<TestingModule> => {
    // Never called here: these modules only have to build and register their gateway.
    const unused = 'http://127.0.0.1:9';
    const others =
      gatewayModules === 'all four'
        ? [
            ChaoyingModule.forRootAsync(fromConfig(() => ({ baseUrl: unused }))),
            UmfModule.forRootAsync(fromConfig(() => ({ baseUrl: unused }))),
            BaofooModule.forRootAsync(fromConfig(() => ({ baseUrl: unused }))),
          ]
        : [];
    const moduleRef = await Test.createTestingModule({
      imports: [
        hostConfig({
          leshuaBaseUrl: sandbox.baseUrl,
          credentials: { leshua: { [SHOP]: SHOP_KEYS } },
          database: db.options,
        }),
        EventEmitterModule.forRoot(),
        RefundDatabaseModule.forRootAsync(
          fromConfig((config) => config.getOrThrow<RefundDatabaseOptions>('refunds.database')),
        ),
        RefundModule.forRootAsync(
          fromConfig((config) => ({
            credentials: config.getOrThrow<StaticCredentials>('refunds.credentials'),
            notifyBaseUrl: null,
            // Due a second later, so that one sync round after the clock moves settles the refund.
            sync: { backoffMs: [1_000], jitter: 0 },
            clock,
          })),
        ),
        LeshuaModule.forRootAsync(
          fromConfig((config) => ({ baseUrl: config.getOrThrow<string>('refunds.leshuaBaseUrl'), timeoutMs: 1000 })),
        ),
        ...others,
      ],
      providers: [RefundSucceededListener],
    }).compile();
    const app = await moduleRef.init();
    await migrateRefundSchema(app.get<MikroORM>(REFUND_ORM));
    return app;
  };

  const command = (overrides: Partial<RequestRefundCommand> = {}): RequestRefundCommand => ({
    gateway: 'leshua',
    merchantId: SHOP,
    refundNo: 'SHOPR0077',
    amount: 100,
    order: PAID_ORDER,
    ...overrides,
  });

  it('registers every gateway module configured asynchronously', async () => {
    const app = await boot('all four');
    try {
      expect(app.get(GatewayRegistry).ids().sort()).toEqual(['baofoo', 'chaoying', 'leshua', 'umf']);
    } finally {
      await app.close();
    }
  });

  it('requests a refund with the injected RefundService, settles it with RefundSyncService, and the listener hears it', async () => {
    const app = await boot('leshua only');
    try {
      const refunds = app.get(RefundService);
      const requested = await refunds.request(command());
      expect(requested.refund).toMatchObject({ gateway: 'leshua', status: 'PROCESSING', amount: 100 });

      clock.advance(1_000);
      await app.get(RefundSyncService).runOnce();
      expect(await refunds.get(requested.refund.id)).toMatchObject({ status: 'SUCCEEDED' });
      const heard = app.get(RefundSucceededListener).heard;
      expect(heard.map((event) => event.refund.refundId)).toEqual([requested.refund.id]);
    } finally {
      await app.close();
    }
  });

  it('resolves each merchant through the host CredentialsProvider, asking it once per TTL', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        EventEmitterModule.forRoot(),
        RefundDatabaseModule.forRoot({ database: db.options }),
        RefundModule.forRootAsync({
          imports: [HostVaultModule],
          inject: [HostVault],
          useFactory: (vault: HostVault) => ({
            credentials: vault,
            credentialsCacheTtlMs: 60_000,
            notifyBaseUrl: null,
          }),
        }),
        LeshuaModule.forRoot({ baseUrl: sandbox.baseUrl, timeoutMs: 1000 }),
      ],
    }).compile();
    const app = await moduleRef.init();
    try {
      await migrateRefundSchema(app.get<MikroORM>(REFUND_ORM));
      const refunds = app.get(RefundService);
      await refunds.request(command({ refundNo: 'SHOPR0078', amount: 10 }));
      await refunds.request(command({ refundNo: 'SHOPR0079', amount: 20 }));
      expect(sandbox.refundSubmissions('SHOPR0078') + sandbox.refundSubmissions('SHOPR0079')).toBe(2);
      expect(app.get(HostVault).asked).toEqual([`leshua/${SHOP}`]);
    } finally {
      await app.close();
    }
  });

  it('refuses a refund on a gateway whose module is not imported, naming the gateway, before any write', async () => {
    const app = await boot('leshua only');
    try {
      const error = await app
        .get(RefundService)
        .request(command({ gateway: 'umf' }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnknownGatewayError);
      expect(error).toMatchObject({ gateway: 'umf', code: 'GATEWAY_UNKNOWN', message: "Unknown gateway 'umf'" });
      expect(await app.get<MikroORM>(REFUND_ORM).em.fork().count(Refund, {})).toBe(0);
    } finally {
      await app.close();
    }
  });
});
