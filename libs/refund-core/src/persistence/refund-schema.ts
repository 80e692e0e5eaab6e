import type { MigrationObject } from '@mikro-orm/core';

import { POSTGRESQL_MIGRATIONS } from './migrations/postgresql';
import { SQLITE_MIGRATIONS } from './migrations/sqlite';

/**
 * refundhub's migrations per dialect, in order. `migrateRefundDatabase` runs them with their own
 * bookkeeping table. Their names follow MikroORM's `Migration<timestamp>` scheme, so a host that
 * runs them with a migrator of its own keeps them in a bookkeeping table apart from its own.
 */
export const REFUND_MIGRATIONS: Readonly<Record<'sqlite' | 'postgresql', readonly MigrationObject[]>> = {
  sqlite: SQLITE_MIGRATIONS,
  postgresql: POSTGRESQL_MIGRATIONS,
};

/** Where refundhub keeps the names of the migrations it applied. */
export const REFUND_MIGRATIONS_TABLE = 'refundhub_migrations';

/**
 * The tables refundhub's migrations own. A host whose MikroORM setup lists `REFUND_ENTITIES` passes
 * these to `schemaGenerator.skipTables`, so its own schema diffs and migrations leave them alone.
 */
export const REFUND_TABLES: readonly string[] = [
  'refund',
  'refund_order',
  'refund_order_ref',
  'refund_history',
  'refund_exchange',
  'refund_outbox',
  'webhook_delivery',
  'webhook_attempt',
  REFUND_MIGRATIONS_TABLE,
];
