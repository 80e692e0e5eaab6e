'use strict';
/**
 * The throughput stage's databases: one for the API and one for the reference per dialect, each
 * fresh (lib/databases.js: a SQLite file in a temp dir, or a PostgreSQL database dropped at the end),
 * and the refund count each holds afterwards, which must equal the refunds it answered 201.
 */
const path = require('node:path');
const Database = require('better-sqlite3');
const { Client } = require('pg');

const { createBenchDatabase } = require('../lib/databases');

const { migrateRefundDatabase } = require(path.join(__dirname, '..', '..', 'libs/refund-core/dist'));

/** A fresh database for `mode` ({ dialect, synchronous }): `{ options, describe, drop() }`. */
function freshDatabase(mode, settings) {
  return createBenchDatabase(mode.dialect, settings);
}

/** The reference has no migrations of its own: refundhub's, run as the product runs them, make its schema. */
async function migrate(db, mode) {
  const options = mode.dialect === 'sqlite' ? { ...db.options, synchronous: mode.synchronous } : db.options;
  return migrateRefundDatabase(options);
}

/** { refunds, processing }: rows in `refund`, and those PROCESSING. */
async function countRefunds(db) {
  const sql =
    "select count(*) as refunds, sum(case when status = 'PROCESSING' then 1 else 0 end) as processing from refund";
  if (db.options.driver === 'sqlite') {
    const sqlite = new Database(db.options.path, { readonly: true });
    try {
      const row = sqlite.prepare(sql).get();
      return { refunds: Number(row.refunds), processing: Number(row.processing ?? 0) };
    } finally {
      sqlite.close();
    }
  }
  const client = new Client({ connectionString: db.options.url });
  await client.connect();
  try {
    const { rows } = await client.query(sql);
    return { refunds: Number(rows[0].refunds), processing: Number(rows[0].processing ?? 0) };
  } finally {
    await client.end();
  }
}

module.exports = { freshDatabase, migrate, countRefunds };
