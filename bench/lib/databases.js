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

/** `{ options, describe, drop() }`; `options` is the operator config's `database` section. */
async function createBenchDatabase(dialect, settings) {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'refundhub-bench-'));
    const path = join(dir, 'refunds.sqlite');
    return {
      options: { driver: 'sqlite', path },
      describe: `SQLite file ${path}`,
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
    drop: async () => {
      if (dropped) return;
      dropped = true;
      // FORCE: a connection the app failed to close must not leave the database behind.
      await withAdmin(settings.pgUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

module.exports = { checkPostgres, createBenchDatabase, redact };
