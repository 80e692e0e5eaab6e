/**
 * A process that migrates a database when told to, for `test/migrations.e2e-spec.ts`: forked with
 * `--require @swc-node/register`, the database's `RefundDatabaseOptions` as JSON in
 * REFUNDHUB_MIGRATE_DATABASE. Over IPC: `ready` once its connection is open, then on `go` it migrates
 * and answers `migrated` with the names it applied (or `failed` with the error), and exits.
 */
import { MikroORM } from '@mikro-orm/core';
import { migrateRefundSchema, refundOrmOptions, type RefundDatabaseOptions } from '@refundhub/core';

export type MigrateReply =
  { type: 'ready' } | { type: 'migrated'; applied: string[] } | { type: 'failed'; error: string };

function send(reply: MigrateReply): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error('not started with an IPC channel'));
    process.send(reply, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

async function main(): Promise<void> {
  const raw = process.env.REFUNDHUB_MIGRATE_DATABASE;
  if (!raw) throw new Error('REFUNDHUB_MIGRATE_DATABASE is not set');
  const orm = await MikroORM.init(await refundOrmOptions(JSON.parse(raw) as RefundDatabaseOptions));
  // The connection is open before `go`, so that the processes race on the migration alone.
  await orm.em.getConnection().execute('select 1');
  const go = new Promise<void>((resolve) => process.once('message', () => resolve()));
  await send({ type: 'ready' });
  await go;
  let reply: MigrateReply;
  try {
    reply = { type: 'migrated', applied: await migrateRefundSchema(orm) };
  } catch (error) {
    reply = { type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  await orm.close(true);
  await send(reply);
  process.disconnect();
}

main().catch((error: unknown) => {
  process.stderr.write(`migrate worker: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
