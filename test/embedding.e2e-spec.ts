import { MikroORM } from '@mikro-orm/core';
import { Injectable, Module, type ModuleMetadata } from '@nestjs/common';
import { EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { Test, TestingModule } from '@nestjs/testing';

import {
  CredentialsProvider,
  DuplicateGatewayError,
  GatewayRegistry,
  Refund,
  RefundGatewayProvider,
  RefundModule,
  RefundService,
  RefundSucceededEvent,
  UnknownMerchantError,
  migrateRefundSchema,
  REFUND_ORM,
  RefundDatabaseModule,
  type GatewayOutcome,
  type GatewayQueryOutcome,
  type GatewayValidation,
  type RefundGateway,
  type RequestRefundCommand,
} from '@refundhub/core';
import { LeshuaGateway, LeshuaModule } from '@refundhub/leshua';
import { LeshuaSandbox } from '@refundhub/leshua/sandbox';

import { TestDatabase, createTestDatabase, describeWithDialect } from './support/databases';

/** A merchant of the host's own, known only to its vault (not to any refundhub configuration). */
const SHOP = '0000000042';
const SHOP_KEYS = { tradeKey: 'HOSTTRADEKEY0123456789ABCDEF0123', notifyKey: 'HOSTNOTIFYKEY0123456789ABCDEF012' };
const PAID_ORDER = { merchantOrderNo: 'SHOP20250101000042', totalAmount: 500 };

/** The host's secret store: refundhub asks it for a merchant's keys on demand. */
class HostVault extends CredentialsProvider {
  readonly asked: Array<[string, string]> = [];
  private readonly secrets: Record<string, Record<string, Record<string, unknown>>> = { leshua: { [SHOP]: SHOP_KEYS } };

  async get(gateway: string, merchantId: string): Promise<Readonly<Record<string, unknown>> | undefined> {
    this.asked.push([gateway, merchantId]);
    return this.secrets[gateway]?.[merchantId];
  }
}

/** What a commerce app does with the domain events: react when money went back to the payer. */
@Injectable()
class OrderRefundListener {
  readonly succeeded: RefundSucceededEvent[] = [];

  @OnEvent(RefundSucceededEvent.eventName)
  onRefundSucceeded(event: RefundSucceededEvent): void {
    this.succeeded.push(event);
  }
}

/** A second adapter claiming the id of one that is already installed. */
@RefundGatewayProvider()
@Injectable()
class HomeMadeLeshuaGateway implements RefundGateway {
  readonly id = 'leshua';
  validate(): GatewayValidation {
    return { problems: [], refusals: [] };
  }
  async submit(): Promise<GatewayOutcome> {
    return { kind: 'unknown', reason: 'adapter_error', detail: 'not implemented' };
  }
  async query(): Promise<GatewayQueryOutcome> {
    return { kind: 'unknown', reason: 'adapter_error', detail: 'not implemented' };
  }
}

describeWithDialect('sqlite', 'refundhub embedded in a host NestJS app (no libs/host, no apps/api)', () => {
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

  /** The host's root module, as a commerce app would write it. */
  const hostModule = (vault: CredentialsProvider, extra: Pick<ModuleMetadata, 'imports' | 'providers'> = {}) =>
    Test.createTestingModule({
      imports: [
        EventEmitterModule.forRoot(),
        RefundDatabaseModule.forRoot({ database: db.options }),
        RefundModule.forRoot({ credentials: vault, notifyBaseUrl: null }),
        LeshuaModule.forRoot({ baseUrl: sandbox.baseUrl, timeoutMs: 1000 }),
        ...(extra.imports ?? []),
      ],
      providers: [OrderRefundListener, ...(extra.providers ?? [])],
    });

  describe('with its own vault and listener', () => {
    let app: TestingModule;
    let vault: HostVault;
    let refunds: RefundService;

    beforeEach(async () => {
      vault = new HostVault();
      app = await (await hostModule(vault).compile()).init();
      await migrateRefundSchema(app.get<MikroORM>(REFUND_ORM));
      refunds = app.get(RefundService);
    });

    afterEach(async () => {
      await app.close();
    });

    const command = (overrides: Partial<RequestRefundCommand> = {}): RequestRefundCommand => ({
      gateway: 'leshua',
      merchantId: SHOP,
      refundNo: 'SHOPR0001',
      amount: 120,
      order: { merchantOrderNo: PAID_ORDER.merchantOrderNo, totalAmount: PAID_ORDER.totalAmount },
      reason: 'size did not fit',
      ...overrides,
    });

    it('requests and syncs a refund; the host listener hears RefundSucceeded once, with the refund ids and amount', async () => {
      expect(app.get(GatewayRegistry).ids()).toEqual(['leshua']);
      expect(app.get(GatewayRegistry).get('leshua')).toBeInstanceOf(LeshuaGateway);

      const requested = await refunds.request(command());
      expect(requested.created).toBe(true);
      expect(requested.refund).toMatchObject({
        gateway: 'leshua',
        merchantId: SHOP,
        refundNo: 'SHOPR0001',
        amount: 120,
        status: 'PROCESSING',
        order: {
          merchantOrderNo: PAID_ORDER.merchantOrderNo,
          totalAmount: 500,
          reservedAmount: 120,
          refundedAmount: 0,
        },
      });
      // The keys came from the host's vault: the sandbox only accepts requests signed with them.
      expect(vault.asked).toContainEqual(['leshua', SHOP]);
      expect(vault.asked.every(([gateway, merchantId]) => gateway === 'leshua' && merchantId === SHOP)).toBe(true);
      const submissions = sandbox.requests().filter((r) => r.service === 'unified_refund');
      expect(submissions).toHaveLength(1);
      expect(submissions[0].params).toMatchObject({
        merchant_id: SHOP,
        merchant_refund_id: 'SHOPR0001',
        refund_amount: '120',
      });
      // notifyBaseUrl: null -> no notify_url is sent; the refund is settled by queries alone.
      expect(submissions[0].params.notify_url).toBeUndefined();
      expect(app.get(OrderRefundListener).succeeded).toHaveLength(0);

      const synced = await refunds.sync(requested.refund.id);
      expect(synced).toMatchObject({
        id: requested.refund.id,
        status: 'SUCCEEDED',
        order: { refundedAmount: 120, reservedAmount: 120 },
      });
      expect(synced.finishedAt).not.toBeNull();
      expect(await refunds.get(requested.refund.id)).toMatchObject({ status: 'SUCCEEDED' });

      // A second sync of a final refund asks nobody and publishes nothing.
      const queriesBefore = sandbox.requests().length;
      await refunds.sync(requested.refund.id);
      expect(sandbox.requests()).toHaveLength(queriesBefore);
      await sandbox.settled();
      expect(sandbox.notifications()).toEqual([]);

      const heard = app.get(OrderRefundListener).succeeded;
      expect(heard).toHaveLength(1);
      expect(heard[0]).toBeInstanceOf(RefundSucceededEvent);
      expect(heard[0].refund).toMatchObject({
        refundId: requested.refund.id,
        gateway: 'leshua',
        merchantId: SHOP,
        refundNo: 'SHOPR0001',
        amount: 120,
        merchantOrderNo: PAID_ORDER.merchantOrderNo,
        orderTotalAmount: 500,
        gatewayRefundNo: synced.gatewayRefundNo,
      });
      expect(heard[0].finishedAt.toISOString()).toBe(synced.finishedAt);

      const replay = await refunds.request(command());
      expect(replay).toMatchObject({ created: false, refund: { id: requested.refund.id, status: 'SUCCEEDED' } });
      expect(sandbox.refundSubmissions('SHOPR0001')).toBe(1);
    });

    it('refuses a merchant the host vault does not know with UnknownMerchantError, before any write or gateway call', async () => {
      const error = await refunds.request(command({ merchantId: '0000000099' })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnknownMerchantError);
      expect(error).toMatchObject({ gateway: 'leshua', merchantId: '0000000099', code: 'MERCHANT_UNKNOWN' });
      expect(vault.asked).toEqual([['leshua', '0000000099']]);
      expect(sandbox.requests()).toHaveLength(0);
      expect(await app.get<MikroORM>(REFUND_ORM).em.fork().count(Refund, {})).toBe(0);
      expect(app.get(OrderRefundListener).succeeded).toHaveLength(0);
    });
  });

  describe('two adapters under the same gateway id fail the boot with DuplicateGatewayError', () => {
    const expectBootToFail = async (extra: Pick<ModuleMetadata, 'imports' | 'providers'>) => {
      const compiled = await hostModule(new HostVault(), extra).compile();
      try {
        const failure = await compiled.init().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(failure).toBeInstanceOf(DuplicateGatewayError);
        expect(failure).toMatchObject({ gateway: 'leshua', code: 'GATEWAY_DUPLICATE' });
      } finally {
        // close() replays the failed init and rethrows, so the database connection is closed by hand.
        await compiled.close().catch(() => compiled.get<MikroORM>(REFUND_ORM).close(true));
      }
    };

    it('LeshuaModule imported a second time by another feature module of the host', async () => {
      @Module({ imports: [LeshuaModule.forRoot({ baseUrl: sandbox.baseUrl, timeoutMs: 1000 })] })
      class MarketplaceRefundsModule {}
      await expectBootToFail({ imports: [MarketplaceRefundsModule] });
    });

    it('a host provider decorated with RefundGatewayProvider whose id is leshua', async () => {
      await expectBootToFail({ providers: [HomeMadeLeshuaGateway] });
    });
  });
});
