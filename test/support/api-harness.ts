import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { MikroORM } from '@mikro-orm/core';

import {
  AnyRefundEvent,
  Refund,
  RefundFailedEvent,
  RefundHistory,
  RefundNeedsAttentionEvent,
  RefundOrder,
  RefundRequestedEvent,
  RefundSucceededEvent,
  WebhookDelivery,
  WebhookSender,
} from '@refundhub/core';
import {
  GatewaySandboxes,
  LoadedConfig,
  LogDestination,
  RefundSyncLoop,
  RequestIdSource,
  WebhookDeliveryLoop,
  sha256Hex,
  validateOperatorConfig,
} from '@refundhub/host';
import { ChaoyingSandbox } from '@refundhub/chaoying/sandbox';
import { LeshuaSandbox } from '@refundhub/leshua/sandbox';

import { createApiApp, listenApi } from '../../apps/api/src/bootstrap';
import { TestDatabase, TestDialect, createTestDatabase } from './databases';
import { freePort } from './free-port';

export const MERCHANT = '0000000018';
export const OTHER_MERCHANT = '0000000019';
export const LESHUA_KEYS = {
  [MERCHANT]: { tradeKey: 'E2ETRADEKEY0123456789ABCDEF01234', notifyKey: 'E2ENOTIFYKEY0123456789ABCDEF0123' },
  [OTHER_MERCHANT]: { tradeKey: 'E2ETRADEKEY9999999999ABCDEF01234', notifyKey: 'E2ENOTIFYKEY9999999999ABCDEF0123' },
};
/**
 * Bearer keys: every merchant, the first merchant only, the other merchant only; then two with the
 * `operator` scope (settling refunds by hand): every merchant, and the other merchant only.
 */
export const KEYS = {
  all: 'rh_e2e_all_0001',
  shop: 'rh_e2e_shop_0018',
  other: 'rh_e2e_shop_0019',
  operator: 'rh_e2e_operator_0001',
  otherOperator: 'rh_e2e_operator_0019',
};
export const ORDER = { merchantOrderNo: 'T20250101000001', gatewayOrderNo: '8001122165823107', totalAmount: 300 };
/** ChaoYing (v2, merchant key) and its paid order, when the harness is asked for it. */
export const CY_MERCHANT = '00000001';
export const CY_KEY = 'E2ECYKEY0123456789ABCDEF01234567';
export const CY_ORDER = { merchantOrderNo: 'CY20250101000001', totalAmount: 500, payMethod: 'WECHAT' };

export interface HttpAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export interface ApiHarness {
  url: string;
  app: NestFastifyApplication;
  sandbox: LeshuaSandbox;
  /** The ChaoYing sandbox, when `chaoying` was asked for. */
  chaoying: ChaoyingSandbox | null;
  /** The running simulator of any gateway configured with `baseUrl: sandbox` (see `gateways`). */
  simulator<T extends { releaseHeld(): unknown }>(gateway: string, type: abstract new (...args: never[]) => T): T;
  /** The database of this harness, and the exact configuration the API started with. */
  db: TestDatabase;
  loaded: LoadedConfig;
  events: AnyRefundEvent[];
  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    key?: string | null,
  ): Promise<HttpAnswer<T>>;
  postRaw(path: string, body: Buffer | string, contentType: string): Promise<HttpAnswer<string>>;
  /** Runs one round of the sync loop now (the interval is off in tests). */
  syncRound(): Promise<void>;
  /** Moves a refund's next sync to the past, instead of waiting out its backoff. */
  makeDue(refundId: string): Promise<void>;
  /** Runs one round of the webhook deliveries now (its interval runs too). */
  webhookRound(): Promise<void>;
  /** Makes a refund's pending webhook deliveries due now, instead of waiting out their backoff. */
  makeWebhooksDue(refundId: string): Promise<void>;
  /** Resolves once the webhook attempts started so far (a new delivery's first, a retry) are recorded. */
  webhooksSettled(): Promise<void>;
  rowCounts(): Promise<{ refunds: number; orders: number; history: number }>;
  /** Closes the API and keeps the database (another host may still have it open). */
  closeApp(): Promise<void>;
  /** Closes the API and drops its database. */
  close(): Promise<void>;
}

export interface ApiHarnessOptions {
  /** Settings of the `database` section beside the test database itself (`sqlite: { busyTimeout }`). */
  database?: Record<string, unknown>;
  leshuaTimeoutMs?: number;
  /** Tell the gateway to notify the API (`api.publicUrl`). Default true. */
  notifications?: boolean;
  /** Also configure ChaoYing on its sandbox, holding {@link CY_ORDER} as paid. */
  chaoying?: { timeoutMs?: number };
  /**
   * More gateway sections of the operator file, as written there (for example
   * `{ umf: { baseUrl: 'sandbox', merchants: {...} } }`); their simulators are found with `simulator()`
   * and held answers are released on close.
   */
  gateways?: Record<string, Record<string, unknown>>;
  /** The operator file's `webhooks` section, as written there. */
  webhooks?: Record<string, unknown>;
  /** `api.keys[].webhookSecret` of the harness's keys, by their names in {@link KEYS}. */
  keyWebhookSecrets?: Partial<Record<keyof typeof KEYS, string | string[]>>;
  /** The operator file's `api.rateLimit`, as written there; by default limits no suite reaches. */
  rateLimit?: Record<string, unknown>;
  /** Where the app's log goes (pino's lines, as the operator's log would hold them); by default nothing is logged. */
  logs?: LogDestination;
  /** The operator file's `logging` section, as written there; a captured log is at `trace` unless told. */
  logging?: Record<string, unknown>;
  /** Where new request ids come from. */
  requestIds?: RequestIdSource;
  /** Serve the operations console under /console (`console.enabled`). */
  console?: boolean;
}

/**
 * The real API app over real HTTP, on a database of its own, with the built-in Leshua sandbox
 * (a real HTTP server) holding one paid order for the first merchant.
 */
export async function startApi(dialect: TestDialect, options: ApiHarnessOptions = {}): Promise<ApiHarness> {
  const db = await createTestDatabase(dialect);
  /** The app on a port free a moment ago; another process may take it first, and then we try another. */
  const bootOn = async (port: number) => {
    const url = `http://127.0.0.1:${port}`;
    const config = validateOperatorConfig(
      {
        database: { ...db.options, ...options.database },
        api: {
          host: '127.0.0.1',
          port,
          ...(options.notifications === false ? {} : { publicUrl: url }),
          // On, so every suite goes through the limiter, with budgets only the rate-limit suite spends.
          rateLimit: options.rateLimit ?? { perKey: 1_000_000, perAddress: 1_000_000 },
          keys: [
            { name: 'all', sha256: sha256Hex(KEYS.all), merchants: ['*'] },
            { name: 'shop', sha256: sha256Hex(KEYS.shop), merchants: [`leshua:${MERCHANT}`] },
            { name: 'other', sha256: sha256Hex(KEYS.other), merchants: [`leshua:${OTHER_MERCHANT}`] },
            { name: 'operator', sha256: sha256Hex(KEYS.operator), merchants: ['*'], scopes: ['operator'] },
            {
              name: 'otherOperator',
              sha256: sha256Hex(KEYS.otherOperator),
              merchants: [`leshua:${OTHER_MERCHANT}`],
              scopes: ['operator'],
            },
          ].map((key) => {
            const webhookSecret = options.keyWebhookSecrets?.[key.name as keyof typeof KEYS];
            return webhookSecret ? { ...key, webhookSecret } : key;
          }),
        },
        // As the outbox: rounds run when a test asks (deliveries are also attempted as soon as they are recorded).
        webhooks: { intervalMs: 3_600_000, ...options.webhooks },
        logging: { level: 'trace', ...options.logging },
        scheduler: { enabled: false },
        ...(options.console ? { console: { enabled: true } } : {}),
        // The tests run relay rounds themselves when they need one: a timer in each of two hosts on one
        // SQLite file in one process would let one host's busy wait stall the other's open transaction.
        outbox: { intervalMs: 3_600_000 },
        gateways: {
          leshua: { baseUrl: 'sandbox', timeoutMs: options.leshuaTimeoutMs ?? 1000, merchants: LESHUA_KEYS },
          ...(options.chaoying
            ? {
                chaoying: {
                  baseUrl: 'sandbox',
                  timeoutMs: options.chaoying.timeoutMs ?? 1000,
                  merchants: { [CY_MERCHANT]: { key: CY_KEY } },
                },
              }
            : {}),
          ...options.gateways,
        },
      },
      { source: `e2e (${dialect})`, env: {} },
    );
    const loaded: LoadedConfig = { config, source: `e2e (${dialect})`, demo: false };
    const app = await createApiApp(
      loaded,
      options.logs ? { logs: { destination: options.logs, requestIds: options.requestIds } } : { logger: false },
    );
    try {
      await listenApi(app, loaded);
    } catch (error) {
      await app.close();
      throw error;
    }
    return { url, loaded, app };
  };
  let booted: Awaited<ReturnType<typeof bootOn>> | undefined;
  try {
    for (let attempt = 1; !booted; attempt += 1) {
      try {
        booted = await bootOn(await freePort());
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'EADDRINUSE' || attempt >= 5) throw error;
      }
    }
  } catch (error) {
    // The caller never gets a harness to close: the database is ours to drop.
    await db.drop();
    throw error;
  }
  const { url, loaded, app } = booted;
  const sandbox = app.get(GatewaySandboxes).simulator('leshua', LeshuaSandbox);
  if (!sandbox) {
    try {
      await app.close();
    } finally {
      await db.drop();
    }
    throw new Error('the Leshua sandbox did not start');
  }
  sandbox.seedOrder({
    merchantId: MERCHANT,
    thirdOrderId: ORDER.merchantOrderNo,
    leshuaOrderId: ORDER.gatewayOrderNo,
    totalAmount: ORDER.totalAmount,
  });
  const chaoying = app.get(GatewaySandboxes).simulator('chaoying', ChaoyingSandbox);
  chaoying?.seedOrder({
    merchantId: CY_MERCHANT,
    outTradeNo: CY_ORDER.merchantOrderNo,
    totalFee: CY_ORDER.totalAmount,
    payType: CY_ORDER.payMethod,
  });
  const events: AnyRefundEvent[] = [];
  const emitter = app.get(EventEmitter2);
  for (const name of [
    RefundRequestedEvent.eventName,
    RefundSucceededEvent.eventName,
    RefundFailedEvent.eventName,
    RefundNeedsAttentionEvent.eventName,
  ]) {
    emitter.on(name, (event: AnyRefundEvent) => events.push(event));
  }

  const answer = async <T>(response: Response): Promise<HttpAnswer<T>> => {
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: body as T, text, headers: response.headers };
  };

  const simulators: { releaseHeld(): unknown }[] = [];
  const simulator = <T extends { releaseHeld(): unknown }>(
    gateway: string,
    type: abstract new (...args: never[]) => T,
  ): T => {
    const found = app.get(GatewaySandboxes).simulator(gateway, type);
    if (!found) throw new Error(`the ${gateway} sandbox did not start: configure it with baseUrl 'sandbox'`);
    if (!simulators.includes(found)) simulators.push(found);
    return found;
  };

  const closeApp = async () => {
    sandbox.releaseHeld();
    chaoying?.releaseHeld();
    for (const held of simulators) held.releaseHeld();
    await app.close();
  };

  return {
    url,
    app,
    sandbox,
    chaoying,
    simulator,
    db,
    loaded,
    events,
    call: async (method, path, body, key = KEYS.all) => {
      const headers: Record<string, string> = {};
      if (key) headers.authorization = `Bearer ${key}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${url}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      return answer(response);
    },
    postRaw: async (path, body, contentType) =>
      answer<string>(await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body })),
    syncRound: () => app.get(RefundSyncLoop).tick(),
    makeDue: async (refundId) => {
      await app
        .get(MikroORM)
        .em.fork()
        .nativeUpdate(Refund, { id: refundId }, { nextSyncAt: new Date(Date.now() - 1000) });
    },
    webhookRound: () => app.get(WebhookDeliveryLoop).tick(),
    makeWebhooksDue: async (refundId) => {
      await app
        .get(MikroORM)
        .em.fork()
        .nativeUpdate(WebhookDelivery, { refundId, status: 'pending' }, { nextAttemptAt: new Date(Date.now() - 1000) });
    },
    webhooksSettled: () => app.get(WebhookSender).settled(),
    rowCounts: async () => {
      const em = app.get(MikroORM).em.fork();
      return {
        refunds: await em.count(Refund, {}),
        orders: await em.count(RefundOrder, {}),
        history: await em.count(RefundHistory, {}),
      };
    },
    closeApp,
    close: async () => {
      try {
        await closeApp();
      } finally {
        await db.drop();
      }
    },
  };
}

export function refundBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    gateway: 'leshua',
    merchantId: MERCHANT,
    refundNo: 'R20250101000001',
    amount: 100,
    order: { merchantOrderNo: ORDER.merchantOrderNo, totalAmount: ORDER.totalAmount },
    reason: 'customer returned the goods',
    ...overrides,
  };
}
