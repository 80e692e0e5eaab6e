import { NestFastifyApplication } from '@nestjs/platform-fastify';

import { GatewaySandboxes, LoadedConfig, sha256Hex, validateOperatorConfig } from '@refundhub/host';
import type { LeshuaSandbox } from '@refundhub/leshua';

import { createApiApp, listenApi } from '../../apps/api/src/bootstrap';
import { HttpAnswer, KEYS, LESHUA_KEYS, MERCHANT, ORDER } from './api-harness';
import { TestDatabase, createTestDatabase } from './databases';
import { freePort } from './free-port';

/**
 * The API host on a database that another host (the scheduler) will open too. Unlike
 * `startApi`, it exposes the database and the exact configuration it was started with, and it
 * can run without `api.publicUrl`, so that no gateway notification races the other host.
 */
export interface SharedDatabaseApi {
  url: string;
  app: NestFastifyApplication;
  sandbox: LeshuaSandbox;
  db: TestDatabase;
  loaded: LoadedConfig;
  call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<HttpAnswer<T>>;
  /** Closes the API; the database is dropped by {@link SharedDatabaseApi.dropDatabase}, once every host is closed. */
  close(): Promise<void>;
  dropDatabase(): Promise<void>;
}

export async function startApiOnSharedDatabase(options: { notifications: boolean }): Promise<SharedDatabaseApi> {
  const db = await createTestDatabase('sqlite');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = validateOperatorConfig(
    {
      database: db.options,
      api: {
        host: '127.0.0.1',
        port,
        ...(options.notifications ? { publicUrl: url } : {}),
        keys: [{ name: 'all', sha256: sha256Hex(KEYS.all), merchants: ['*'] }],
      },
      scheduler: { enabled: false },
      gateways: { leshua: { baseUrl: 'sandbox', timeoutMs: 1000, merchants: LESHUA_KEYS } },
    },
    { source: 'e2e api (shared database)', env: {} },
  );
  const loaded: LoadedConfig = { config, source: 'e2e api (shared database)', demo: false };
  const app = await createApiApp(loaded, { logger: false });
  await listenApi(app, loaded);
  const sandbox = app.get(GatewaySandboxes).leshua;
  if (!sandbox) throw new Error('the Leshua sandbox did not start');
  sandbox.seedOrder({ merchantId: MERCHANT, thirdOrderId: ORDER.merchantOrderNo, leshuaOrderId: ORDER.gatewayOrderNo, totalAmount: ORDER.totalAmount });

  return {
    url,
    app,
    sandbox,
    db,
    loaded,
    call: async <T>(method: string, path: string, body?: unknown): Promise<HttpAnswer<T>> => {
      const headers: Record<string, string> = { authorization: `Bearer ${KEYS.all}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body: parsed as T, text, headers: response.headers };
    },
    close: async () => {
      sandbox.releaseHeld();
      await app.close();
    },
    dropDatabase: () => db.drop(),
  };
}

/**
 * The scheduler's configuration next to that API: the same database, and the API's sandbox
 * by its URL (`sandbox` would start a second, empty simulator inside the scheduler). The
 * interval is long so that only the test's own `tick()` runs rounds.
 */
export function schedulerConfigFor(api: SharedDatabaseApi, intervalMs = 3_600_000): LoadedConfig {
  const { config } = api.loaded;
  const leshua = config.gateways.leshua;
  if (!leshua) throw new Error('the API has no Leshua configuration');
  const scheduler = validateOperatorConfig(
    {
      database: config.database,
      api: config.api.publicUrl ? { publicUrl: config.api.publicUrl } : {},
      scheduler: { enabled: true, intervalMs },
      gateways: { leshua: { baseUrl: api.sandbox.baseUrl, timeoutMs: leshua.timeoutMs, merchants: leshua.merchants } },
    },
    { source: 'e2e scheduler (shared database)', env: {} },
  );
  return { config: scheduler, source: 'e2e scheduler (shared database)', demo: false };
}
