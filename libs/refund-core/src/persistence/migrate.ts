import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/knex';
import type { Migrator } from '@mikro-orm/migrations';

import { supportsRowLocks } from './storage-dialect';

/** The advisory lock every refundhub process takes on PostgreSQL while it migrates ('rfhb' in ASCII). */
const MIGRATION_LOCK_KEY = 0x72666862;

/**
 * Applies pending schema migrations; returns the names applied. Any number of processes may start
 * at once: on PostgreSQL each takes one advisory lock for the duration, so one migrates and the
 * others wait, then find nothing left to do. (SQLite has one writer: its migrations queue anyway.)
 */
export async function migrateRefundSchema(orm: MikroORM): Promise<string[]> {
  const migrator = orm.getMigrator() as Migrator;
  const em = orm.em.fork() as SqlEntityManager;
  if (!supportsRowLocks(em)) return (await migrator.up()).map((m) => m.name);
  // The lock lives in a transaction of its own connection, held while the migrator works on another.
  return em.getKnex().transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK_KEY]);
    return (await migrator.up()).map((m) => m.name);
  });
}
