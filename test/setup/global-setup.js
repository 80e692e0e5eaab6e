/**
 * Checks once per run whether the PostgreSQL server is reachable. Suites that need it read
 * REFUNDHUB_PG_AVAILABLE; each creates and drops a database of its own. Under CI=true an
 * unreachable server fails the run instead of skipping those suites.
 */
const { Client } = require('pg');

module.exports = async function globalSetup() {
  const url = process.env.REFUNDHUB_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';
  process.env.REFUNDHUB_TEST_PG_URL = url;
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
    process.env.REFUNDHUB_PG_AVAILABLE = '1';
  } catch (error) {
    const where = url.replace(/\/\/[^@/]*@/, '//***@');
    if (process.env.CI === 'true') {
      throw new Error(`PostgreSQL is required under CI=true but ${where} is not reachable: ${error.message}`);
    }
    process.env.REFUNDHUB_PG_AVAILABLE = '0';
    process.env.REFUNDHUB_PG_UNAVAILABLE_REASON = `${where}: ${error.message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
};
