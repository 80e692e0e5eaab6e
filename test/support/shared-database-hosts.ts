import { LESHUA_SANDBOX_MODULE_OPTIONS } from '@refundhub/leshua/sandbox';
import { LoadedConfig, validateOperatorConfig } from '@refundhub/host';

import { ApiHarness, startApi } from './api-harness';

/**
 * The API host on a database that another host (the scheduler) will open too: `close()`
 * keeps the database, `dropDatabase()` drops it once every host is closed. Without
 * notifications no gateway callback races the other host.
 */
export interface SharedDatabaseApi extends Omit<ApiHarness, 'close'> {
  close(): Promise<void>;
  dropDatabase(): Promise<void>;
}

export async function startApiOnSharedDatabase(options: { notifications: boolean }): Promise<SharedDatabaseApi> {
  const api = await startApi('sqlite', { notifications: options.notifications });
  return { ...api, close: api.closeApp, dropDatabase: () => api.db.drop() };
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
      outbox: { intervalMs: 3_600_000 },
      webhooks: { intervalMs: 3_600_000 },
      // The API's sandbox by its URL, as a sandbox in a process of its own: its error codes are named like a real gateway's.
      gateways: {
        leshua: {
          baseUrl: api.sandbox.baseUrl,
          timeoutMs: leshua.timeoutMs,
          merchants: leshua.merchants,
          ...LESHUA_SANDBOX_MODULE_OPTIONS,
        },
      },
    },
    { source: 'e2e scheduler (shared database)', env: {} },
  );
  return { config: scheduler, source: 'e2e scheduler (shared database)', demo: false };
}
