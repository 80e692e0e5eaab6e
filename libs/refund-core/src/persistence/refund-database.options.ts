import type { MigrationObject, Options } from '@mikro-orm/core';

import { REFUND_ENTITIES } from '../entities';
import { POSTGRESQL_MIGRATIONS } from './migrations/postgresql';
import { SQLITE_MIGRATIONS } from './migrations/sqlite';

/** Where refunds are stored: an embedded SQLite file, or PostgreSQL for production. */
export type RefundDatabaseOptions =
  { driver: 'sqlite'; path: string } | { driver: 'postgresql'; url: string; pool?: { min?: number; max?: number } };

/**
 * MikroORM options for refund-core's tables, with the migrations of that dialect. Drivers are
 * loaded on demand so that a PostgreSQL deployment needs no SQLite build and the reverse.
 *
 * @example
 * ```ts
 * MikroOrmModule.forRootAsync({ useFactory: () => refundOrmOptions({ driver: 'sqlite', path: './data/refunds.sqlite' }) })
 * ```
 */
export async function refundOrmOptions(db: RefundDatabaseOptions): Promise<Options> {
  const { Migrator } = await import('@mikro-orm/migrations');
  const common: Options = {
    entities: REFUND_ENTITIES,
    extensions: [Migrator],
    // Entities declare their column types, so no TypeScript reflection is needed at run time.
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true },
    forceUtcTimezone: true,
    allowGlobalContext: false,
    debug: false,
  };
  if (db.driver === 'sqlite') {
    const { BetterSqliteDriver } = await import('@mikro-orm/better-sqlite');
    return {
      ...common,
      driver: BetterSqliteDriver,
      dbName: db.path,
      // One connection: transactions queue on it, which is what makes SQLite the single writer.
      pool: { min: 1, max: 1 },
      migrations: migrationOptions(SQLITE_MIGRATIONS),
    };
  }
  const { PostgreSqlDriver } = await import('@mikro-orm/postgresql');
  return {
    ...common,
    driver: PostgreSqlDriver,
    clientUrl: db.url,
    pool: { min: db.pool?.min ?? 0, max: db.pool?.max ?? 10 },
    migrations: migrationOptions(POSTGRESQL_MIGRATIONS),
  };
}

function migrationOptions(list: MigrationObject[]): Options['migrations'] {
  return {
    migrationsList: list,
    tableName: 'refundhub_migrations',
    transactional: true,
    allOrNothing: true,
    snapshot: false,
    silent: true,
  };
}
