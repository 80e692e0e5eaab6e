'use strict';
/**
 * A database of the benchmark's own for each run: a SQLite file in a temp directory, or a
 * PostgreSQL database created on the server and dropped afterwards, so a run never touches
 * (or is slowed by) anyone else's data.
 */
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { Client } = require('pg');

/** Hides a password in a URL before it is printed. */
function redact(url) {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/** { ok: true, version } or { ok: false, reason }: a missing server skips the PG part, it does not fail the run. */
async function checkPostgres(url) {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const { rows } = await client.query('select version() as version');
    return { ok: true, version: rows[0].version };
  } catch (error) {
    return { ok: false, reason: `${redact(url)}: ${error.message}` };
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function withAdmin(url, work) {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * `{ options, describe, analyze(), drop() }`; `options` is the operator config's `database` section.
 *
 * `analyze()` gives PostgreSQL statistics of the rows a warm-up wrote. Until autovacuum's first
 * ANALYZE (about a minute after the tables fill), a fresh database plans by guesses: it looked up a
 * refund by its key through the (gateway, merchant, status) index, filtering every refund of the
 * merchant, which on a benchmark of one merchant cost PostgreSQL most of a core. The measured runs are
 * meant to show the steady state, so both refundhub's and the reference's databases are analyzed after
 * their warm-up. SQLite plans these statements the same without statistics: a no-op there.
 */
async function createBenchDatabase(dialect, settings) {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'refundhub-bench-'));
    const path = join(dir, 'refunds.sqlite');
    return {
      options: { driver: 'sqlite', path },
      describe: `SQLite file ${path}`,
      analyze: async () => undefined,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  // Only [a-z0-9_]: the name is interpolated into DDL, which takes no parameters.
  const name = `refundhub_bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await withAdmin(settings.pgUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(settings.pgUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    options: {
      driver: 'postgresql',
      url: url.toString(),
      ...(settings.pgPoolMax ? { pool: { max: settings.pgPoolMax } } : {}),
    },
    describe: `PostgreSQL database ${name}`,
    analyze: () => withAdmin(url.toString(), (client) => client.query('ANALYZE')),
    drop: async () => {
      if (dropped) return;
      dropped = true;
      // FORCE: a connection the app failed to close must not leave the database behind.
      await withAdmin(settings.pgUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

module.exports = { checkPostgres, createBenchDatabase, redact };
