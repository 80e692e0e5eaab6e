import { MikroORM } from '@mikro-orm/core';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/knex';
import type { Migrator } from '@mikro-orm/migrations';

import { refundOrmOptions } from './refund-database.options';
import type { RefundDatabaseOptions } from './refund-database.options';
import { supportsRowLocks } from './storage-dialect';

/** The advisory lock every refundhub process takes on PostgreSQL while it migrates ('rfhb' in ASCII). */
const MIGRATION_LOCK_KEY = 0x72666862;

/** SQLite's answer when two processes starting on a new file both create the migrator's own table. */
const BOOKKEEPING_TABLE_RACE = /table [`"]?refundhub_migrations[`"]? already exists/i;

/**
 * Applies pending schema migrations; returns the names applied. Any number of processes may start
 * at once and one of them migrates while the others wait, then find nothing left to do.
 */
export async function migrateRefundSchema(orm: MikroORM): Promise<string[]> {
  const migrator = orm.getMigrator() as Migrator;
  const em = orm.em.fork() as SqlEntityManager;
  if (!supportsRowLocks(em)) return migrateSqlite(migrator);
  // The lock lives in a transaction of its own connection, held while the migrator works on another.
  return em.getKnex().transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK_KEY]);
    return names(await migrator.up());
  });
}

/**
 * On SQLite the migrations run in one `BEGIN IMMEDIATE` transaction that reads the list of applied
 * ones only once it holds the write lock, so a second process waits for the first and applies
 * nothing twice. The migrator creates its bookkeeping table before that transaction, though: on a
 * new file two processes may both try, and the one that lost runs again, now finding the table.
 */
async function migrateSqlite(migrator: Migrator): Promise<string[]> {
  try {
    return names(await migrator.up());
  } catch (error) {
    if (!(error instanceof Error) || !BOOKKEEPING_TABLE_RACE.test(error.message)) throw error;
    return names(await migrator.up());
  }
}

function names(applied: { name: string }[]): string[] {
  return applied.map((migration) => migration.name);
}

/**
 * Applies refundhub's migrations to a database the host's own MikroORM setup also uses
 * (`RefundDatabaseModule.forExisting`): a short-lived connection of refundhub's own runs them and
 * keeps its bookkeeping in `refundhub_migrations`, beside the host's migrations, never among them.
 */
export async function migrateRefundDatabase(database: RefundDatabaseOptions): Promise<string[]> {
  const orm = await MikroORM.init(await refundOrmOptions(database));
  try {
    return await migrateRefundSchema(orm);
  } finally {
    await orm.close();
  }
}
