/** Says at the end of a run which PostgreSQL suites could not run, and why. */
class SkippedSuitesReporter {
  onRunComplete(_contexts, results) {
    if (process.env.REFUNDHUB_PG_AVAILABLE !== '0') return;
    const suites = new Set();
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        const title = test.ancestorTitles.find((t) => t.includes('[PostgreSQL]'));
        if (title && test.status === 'pending') suites.add(`${title} (${file.testFilePath})`);
      }
    }
    const reason = process.env.REFUNDHUB_PG_UNAVAILABLE_REASON || 'not reachable';
    process.stdout.write(
      `\nPostgreSQL not available (${reason}); these suites did NOT run:\n` +
        [...suites].map((s) => `  - ${s}`).join('\n') +
        '\nSet REFUNDHUB_TEST_PG_URL to a reachable server to run them.\n',
    );
  }
}
module.exports = SkippedSuitesReporter;
