import { MikroORM } from '@mikro-orm/core';

import { ApiHarness, KEYS, startApi } from './support/api-harness';
import { describeWithDialect } from './support/databases';

for (const dialect of ['sqlite', 'postgresql'] as const) {
  describeWithDialect(dialect, 'health probes over HTTP', () => {
    let h: ApiHarness;

    beforeEach(async () => {
      h = await startApi(dialect);
    });
    afterEach(() => h.close());

    const probe = (path: string, key: string | null = null) => h.call('GET', path, undefined, key);

    it('answers ready and live while the database answers', async () => {
      expect(await probe('/health/ready')).toMatchObject({ status: 200, body: { status: 'ok' } });
      expect(await probe('/health/live')).toMatchObject({ status: 200, body: { status: 'ok' } });
      expect((await probe('/health/ready', KEYS.all)).body).toMatchObject({
        checks: { database: 'up', outbox: 'up', scheduler: 'up', shutdown: 'up' },
        details: { outbox: { backlog: 0, limit: 1000 }, scheduler: { running: false }, shutdown: { stopping: false } },
      });
    });

    it('turns ready 503 when the database goes away; live stays 200 and nothing more is said', async () => {
      await h.app.get(MikroORM).close(true);

      const ready = await probe('/health/ready');
      expect(ready).toMatchObject({ status: 503, body: { status: 'error' } });
      expect(Object.keys(ready.body)).toEqual(['status']);
      expect((await probe('/health/ready', KEYS.all)).body).toMatchObject({
        status: 'error',
        checks: { database: 'down', outbox: 'down' },
      });
      for (const path of ['/health/live', '/health']) {
        expect(await probe(path)).toMatchObject({ status: 200, body: { status: 'ok' } });
      }
    });
  });
}
