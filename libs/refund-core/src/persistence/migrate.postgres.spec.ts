import { MikroORM } from '@mikro-orm/core';

import { POSTGRESQL_MIGRATIONS } from './migrations/postgresql';
import { migrateRefundSchema } from './migrate';
import { refundOrmOptions } from './refund-database.options';
import { TestDatabase, createTestDatabase, describeWithDialect } from '../testing/support/test-databases';

describeWithDialect('postgresql', 'migrateRefundSchema', () => {
  let db: TestDatabase;
  const orms: MikroORM[] = [];

  afterEach(async () => {
    try {
      for (const orm of orms.splice(0)) await orm.close(true);
    } finally {
      await db?.drop();
    }
  });

  it('lets replicas that start together migrate once: one applies everything, the others wait and find nothing', async () => {
    db = await createTestDatabase('postgresql');
    for (let i = 0; i < 3; i += 1) orms.push(await MikroORM.init(await refundOrmOptions(db.options)));

    const applied = await Promise.all(orms.map((orm) => migrateRefundSchema(orm)));

    const all = POSTGRESQL_MIGRATIONS.map((migration) => migration.name);
    expect(applied.filter((names) => names.length > 0)).toEqual([all]);
    expect(applied.filter((names) => names.length === 0)).toHaveLength(2);
    expect(await migrateRefundSchema(orms[0])).toEqual([]);
  });
});
