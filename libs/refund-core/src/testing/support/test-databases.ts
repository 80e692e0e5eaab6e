import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client } from 'pg';

import type { RefundDatabaseOptions } from '../../persistence/refund-database.options';

export interface TestDatabase {
  options: RefundDatabaseOptions;
  drop(): Promise<void>;
}

export type TestDialect = 'sqlite' | 'postgresql';

export const postgresAvailable = process.env.REFUNDHUB_PG_AVAILABLE !== '0';

/**
 * `describe` for suites that need PostgreSQL: marked `[PostgreSQL]` so the run can say which
 * ones were skipped when no server was reachable (never under CI=true, see global-setup).
 */
export function describeWithDialect(dialect: TestDialect, name: string, fn: () => void): void {
  if (dialect === 'sqlite') return describe(`${name} [SQLite]`, fn);
  (postgresAvailable ? describe : describe.skip)(`${name} [PostgreSQL]`, fn);
}

/** A fresh SQLite file, or a fresh PostgreSQL database of this run's own. */
export async function createTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
  return dialect === 'sqlite' ? createSqliteDatabase() : createPostgresDatabase();
}

function createSqliteDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'refundhub-test-'));
  return {
    options: { driver: 'sqlite', path: join(dir, 'refunds.sqlite') },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function createPostgresDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.REFUNDHUB_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `refundhub_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    options: { driver: 'postgresql', url: url.toString(), pool: { max: 20 } },
    drop: () =>
      withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

async function withAdmin<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
