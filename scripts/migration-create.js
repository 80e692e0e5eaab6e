#!/usr/bin/env node
/**
 * Writes a new schema migration for each dialect (SQLite and PostgreSQL) from the difference
 * between the entities and a database migrated to the current head.
 * Usage: npm run migration:create   (needs PostgreSQL at REFUNDHUB_TEST_PG_URL or the default)
 */
const { execSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

execSync('npx tsc -b libs/refund-core/tsconfig.build.json', { stdio: 'inherit' });
const core = require('../libs/refund-core/dist');
const { MikroORM } = require('@mikro-orm/core');
const { Client } = require('pg');

const adminUrl = process.env.REFUNDHUB_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';

async function create(dialect, options) {
  const dir = path.join(__dirname, '..', 'libs/refund-core/src/persistence/migrations', dialect);
  const orm = await MikroORM.init(options);
  try {
    await core.migrateRefundSchema(orm);
    orm.config.set('migrations', {
      ...orm.config.get('migrations'),
      path: dir,
      pathTs: dir,
      emit: 'ts',
      migrationsList: undefined,
    });
    const migrator = orm.getMigrator();
    const result = await migrator.createMigration(dir, false, false);
    console.log(result.diff.up.length ? `${dialect}: wrote ${result.fileName}` : `${dialect}: schema is up to date`);
  } finally {
    await orm.close(true);
  }
}

(async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'refundhub-migration-'));
  await create('sqlite', await core.refundOrmOptions({ driver: 'sqlite', path: path.join(tmp, 'schema.sqlite') }));
  const dbName = `refundhub_migration_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${dbName}`;
    await create('postgresql', await core.refundOrmOptions({ driver: 'postgresql', url: url.toString() }));
  } finally {
    await admin.query(`DROP DATABASE ${dbName}`);
    await admin.end();
  }
  console.log('Add the new classes to migrations/<dialect>/index.ts.');
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
