import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LoadedConfig, validateOperatorConfig } from '@refundhub/host';

import { createApiApp } from '../../bootstrap';

/** The API app with nothing outside it, and how to be rid of it and its files. */
export interface OfflineApiApp {
  app: NestFastifyApplication;
  close(): Promise<void>;
}

/**
 * The API app as it describes itself, built on a configuration that needs nothing outside this
 * process: SQLite in a temporary folder, no scheduler, and one gateway whose address is never
 * called. The routes and their documents are the same under any configuration.
 */
export async function createOfflineApiApp(): Promise<OfflineApiApp> {
  const folder = mkdtempSync(join(tmpdir(), 'refundhub-openapi-'));
  const source = 'OpenAPI document';
  const config = validateOperatorConfig(
    {
      database: { driver: 'sqlite', path: join(folder, 'refundhub.sqlite') },
      api: { host: '127.0.0.1', port: 0 },
      scheduler: { enabled: false },
      // On, so the route check sees the console's routes too (static files, outside the document).
      console: { enabled: true },
      gateways: {
        leshua: {
          baseUrl: 'https://leshua.invalid',
          merchants: {
            '0000000018': {
              tradeKey: 'OPENAPI0123456789ABCDEF012345678',
              notifyKey: 'OPENAPI0123456789ABCDEF012345678',
            },
          },
        },
      },
    },
    { source, env: {} },
  );
  const loaded: LoadedConfig = { config, source, demo: false };
  const app = await createApiApp(loaded, { logger: false });
  return {
    app,
    close: async () => {
      try {
        await app.close();
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  };
}
