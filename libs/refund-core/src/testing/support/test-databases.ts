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
 * The key on a test file's global object of its {@link TestDatabaseLedger}. test/setup/test-environment.js
 * drops the databases still listed when the file ends, so a database outlives its file only if its
 * process dies.
 */
export const TEST_DATABASE_LEDGER = Symbol.for('refundhub.test.databaseLedger');

/** The PostgreSQL databases a test file created and has not dropped (name to admin URL). */
export interface TestDatabaseLedger {
  undropped: Map<string, string>;
  /** The file has ended: work it left running must not create a database no one will drop. */
  closed: boolean;
}

function ledger(): TestDatabaseLedger {
  const holder = globalThis as typeof globalThis & { [TEST_DATABASE_LEDGER]?: TestDatabaseLedger };
  // On the global object rather than in this module: the environment reads it from outside the file's
  // module registry, and a file that resets its modules still keeps one list.
  holder[TEST_DATABASE_LEDGER] ??= { undropped: new Map(), closed: false };
  return holder[TEST_DATABASE_LEDGER];
}

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
  const { undropped, closed } = ledger();
  if (closed) throw new Error(`no new test database after the test file ended (${name})`);
  // Listed before it exists: a CREATE whose answer is lost may still have made it.
  undropped.set(name, adminUrl);
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    options: { driver: 'postgresql', url: url.toString(), pool: { max: 20 } },
    drop: async () => {
      // Cleanup paths may overlap (a finally and a later hook): the second drop has nothing to do.
      if (!undropped.has(name)) return;
      await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      undropped.delete(name);
    },
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
