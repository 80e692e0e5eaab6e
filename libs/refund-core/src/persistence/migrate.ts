import type { MikroORM } from '@mikro-orm/core';
import type { Migrator } from '@mikro-orm/migrations';

/** Applies pending schema migrations; returns the names applied. */
export async function migrateRefundSchema(orm: MikroORM): Promise<string[]> {
  const migrator = orm.getMigrator() as Migrator;
  const applied = await migrator.up();
  return applied.map((m) => m.name);
}
