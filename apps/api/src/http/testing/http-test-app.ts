import { createHash } from 'node:crypto';

import { DynamicModule, Module } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import {
  GatewayRegistry,
  REFUND_ORM,
  RefundOverviewService,
  RefundService,
  RefundView,
  WebhookService,
} from '@refundhub/core';

import type { ApiKeyRecord } from '../api-keys';
import { HttpApiModule } from '../http.module';
import { notificationBodyLimit } from '../notify.controller';
import { registerRawBodyParsers } from '../raw-body';

export const SHOP_A_KEY = 'rk_test_shop_a_0123456789';
export const ADMIN_KEY = 'rk_test_admin_9876543210';

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export const TEST_API_KEYS: ApiKeyRecord[] = [
  { name: 'shop-a', sha256: sha256Hex(SHOP_A_KEY), scope: ['leshua:0000000018'] },
  { name: 'admin', sha256: sha256Hex(ADMIN_KEY), scope: '*' },
];

export function bearer(key: string): { authorization: string } {
  return { authorization: `Bearer ${key}` };
}

export type FakeRefundService = {
  [
    K in
      | 'request'
      | 'check'
      | 'get'
      | 'history'
      | 'historyPage'
      | 'list'
      | 'sync'
      | 'handleNotification'
      | 'notificationBodyLimit'
  ]: jest.Mock;
};

/** Jest fakes of the service; `check` finds nothing unless told otherwise. */
export function fakeRefundService(): FakeRefundService {
  return {
    request: jest.fn(),
    check: jest.fn(() => []),
    get: jest.fn(),
    history: jest.fn(),
    historyPage: jest.fn(),
    list: jest.fn(),
    sync: jest.fn(),
    handleNotification: jest.fn(),
    notificationBodyLimit: jest.fn(() => 1024 * 1024),
  };
}

export type FakeWebhookService = { [K in 'notifyUrlProblems' | 'deliveriesOf' | 'retry']: jest.Mock };

/** Jest fakes of the webhooks' service; every notify URL is acceptable unless told otherwise. */
export function fakeWebhookService(): FakeWebhookService {
  return { notifyUrlProblems: jest.fn(() => []), deliveriesOf: jest.fn(), retry: jest.fn() };
}

export interface FakeOrm {
  isConnected: jest.Mock<Promise<boolean>, []>;
}

export function refundView(overrides: Partial<RefundView> = {}): RefundView {
  return {
    id: 'rf_01',
    gateway: 'leshua',
    merchantId: '0000000018',
    refundNo: 'R20250101000001',
    amount: 100,
    status: 'PROCESSING',
    gatewayRefundNo: '9001122165823107',
    order: {
      merchantOrderNo: 'T20250101000001',
      gatewayOrderNo: null,
      totalAmount: 300,
      refundedAmount: 0,
      reservedAmount: 100,
    },
    reason: null,
    notifyUrl: null,
    failure: null,
    needsAttention: null,
    deferredAt: null,
    gatewayStatus: '10',
    attempts: 1,
    createdAt: '2025-01-01T04:00:00.000Z',
    updatedAt: '2025-01-01T04:00:00.000Z',
    finishedAt: null,
    ...overrides,
  };
}

export interface HttpTestApp {
  app: NestFastifyApplication;
  refunds: FakeRefundService;
  webhooks: FakeWebhookService;
  orm: FakeOrm;
}

/**
 * The real HttpApiModule (guard, pipe, filter, controllers) on Fastify, with the core replaced
 * by jest fakes handed over through the module's `imports` option, as a non-global core would be.
 */
export async function createHttpTestApp(
  options: { gatewayIds?: string[]; nestRawBody?: boolean; rawBodyParsers?: boolean } = {},
): Promise<HttpTestApp> {
  const refunds = fakeRefundService();
  const webhooks = fakeWebhookService();
  const orm: FakeOrm = { isConnected: jest.fn(async () => true) };
  const registry = { ids: () => options.gatewayIds ?? ['leshua'] };

  @Module({})
  class FakeCoreModule {
    static register(): DynamicModule {
      const providers = [
        { provide: RefundService, useValue: refunds },
        { provide: WebhookService, useValue: webhooks },
        { provide: REFUND_ORM, useValue: orm },
        { provide: GatewayRegistry, useValue: registry },
        // The overview reads the database itself; these apps test the HTTP layer, not its figures.
        { provide: RefundOverviewService, useValue: { overview: jest.fn() } },
      ];
      return { module: FakeCoreModule, providers, exports: providers.map((p) => p.provide) };
    }
  }

  const moduleRef = await Test.createTestingModule({
    imports: [HttpApiModule.forRoot({ apiKeys: TEST_API_KEYS, imports: [FakeCoreModule.register()] })],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
    logger: false,
    rawBody: options.nestRawBody ?? false,
  });
  if (options.rawBodyParsers !== false) {
    registerRawBodyParsers(app.getHttpAdapter().getInstance(), { limit: notificationBodyLimit(refunds) });
  }
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return { app, refunds, webhooks, orm };
}
