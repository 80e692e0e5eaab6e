/**
 * Jest's node environment, plus a last cleanup: PostgreSQL databases the test file created with
 * createTestDatabase and did not drop (a hook that threw or timed out before its drop) are dropped
 * when the file ends, and named on stderr so the suite that left them can be fixed. Only the
 * databases this file listed are touched, never another run's (see TEST_DATABASE_LEDGER in
 * libs/refund-core/src/testing/support/test-databases.ts).
 */
const { TestEnvironment } = require('jest-environment-node');
const { Client } = require('pg');

const TEST_DATABASE_LEDGER = Symbol.for('refundhub.test.databaseLedger');

class RefundhubTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testPath = context.testPath;
  }

  async teardown() {
    const ledger = this.global[TEST_DATABASE_LEDGER];
    if (ledger) {
      // A test that timed out may still be running: it gets no database that nothing would drop.
      ledger.closed = true;
      for (const [name, adminUrl] of [...ledger.undropped]) {
        process.stderr.write(`${this.testPath} left PostgreSQL database ${name}: dropping it\n`);
        try {
          await dropDatabase(adminUrl, name);
          ledger.undropped.delete(name);
        } catch (error) {
          process.stderr.write(`could not drop ${name}: ${error.message}\n`);
        }
      }
    }
    await super.teardown();
  }
}

async function dropDatabase(adminUrl, name) {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

module.exports = RefundhubTestEnvironment;
