import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

import { type ApiHarness, refundBody, startApi } from './support/api-harness';
import { describeWithDialect } from './support/databases';

/** Another process on the same SQLite file that takes the write lock and lets go when told. */
const LOCK_HOLDER = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1], { timeout: 0 });
db.exec('BEGIN IMMEDIATE');
process.stdout.write('holding\\n');
process.stdin.once('data', () => { db.exec('COMMIT'); process.exit(0); });
`;

describeWithDialect('sqlite', 'a SQLite file whose write lock another process holds', () => {
  let h: ApiHarness;
  let holder: ChildProcess | undefined;

  beforeEach(async () => {
    h = await startApi('sqlite', { database: { sqlite: { busyTimeout: '200ms' } } });
  });

  afterEach(async () => {
    holder?.kill();
    holder = undefined;
    await h.close();
  });

  const holdTheLock = async (): Promise<ChildProcess> => {
    if (h.db.options.driver !== 'sqlite') throw new Error('expected SQLite');
    const child = spawn(process.execPath, ['-e', LOCK_HOLDER, h.db.options.path], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const [first] = (await once(child.stdout!, 'data')) as [Buffer];
    expect(first.toString()).toMatch(/holding/);
    return child;
  };

  it('answers 503 DATABASE_BUSY with Retry-After past the busy timeout, writes nothing, and the retry succeeds', async () => {
    holder = await holdTheLock();

    const busy = await h.call('POST', '/refunds', refundBody());
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(busy.body).toMatchObject({ statusCode: 503, code: 'DATABASE_BUSY' });
    expect(JSON.stringify(busy.body)).not.toMatch(/locked|SQLITE|select|insert/i);

    holder.stdin!.write('release\n');
    await once(holder, 'exit');
    expect(await h.rowCounts()).toMatchObject({ refunds: 0 });
    expect(h.sandbox.requests()).toHaveLength(0);

    const retried = await h.call('POST', '/refunds', refundBody());
    expect(retried.status).toBe(201);
  });
});
