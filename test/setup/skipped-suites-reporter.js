/**
 * Says at the end of a run which suites could not run, and why: the PostgreSQL suites without a
 * reachable server, the browser suites ("[browser]" in their title) without /usr/bin/chromium.
 */
const { existsSync } = require('node:fs');

const CHROMIUM = '/usr/bin/chromium';

function skippedSuites(results, marker) {
  const suites = new Set();
  for (const file of results.testResults) {
    for (const test of file.testResults) {
      const title = test.ancestorTitles.find((t) => t.includes(marker));
      if (title && test.status === 'pending') suites.add(`${title} (${file.testFilePath})`);
    }
  }
  return [...suites];
}

class SkippedSuitesReporter {
  onRunComplete(_contexts, results) {
    if (process.env.REFUNDHUB_PG_AVAILABLE === '0') {
      const reason = process.env.REFUNDHUB_PG_UNAVAILABLE_REASON || 'not reachable';
      process.stdout.write(
        `\nPostgreSQL not available (${reason}); these suites did NOT run:\n` +
          skippedSuites(results, '[PostgreSQL]')
            .map((s) => `  - ${s}`)
            .join('\n') +
          '\nSet REFUNDHUB_TEST_PG_URL to a reachable server to run them.\n',
      );
    }
    const browserSuites = existsSync(CHROMIUM) ? [] : skippedSuites(results, '[browser]');
    if (browserSuites.length > 0) {
      process.stdout.write(
        `\nChromium not found at ${CHROMIUM}; these browser suites did NOT run:\n` +
          browserSuites.map((s) => `  - ${s}`).join('\n') +
          '\nInstall it (apt-get install chromium) to run them; under CI=true they fail instead.\n',
      );
    }
  }
}
module.exports = SkippedSuitesReporter;
