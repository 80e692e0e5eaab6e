import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

import { DEMO_API_KEY, demoOperatorConfig, resetDemoDatabase, type LoadedConfig } from '@refundhub/host';

import { createApiApp, listenApi } from '../apps/api/src/bootstrap';
import { freePort } from './support/free-port';
import { buildWorkspace } from './support/workspace-build';

const ROOT = join(__dirname, '..');

/** What a new user meets in the first hour, run as they would run it. */
describe("a new user's first hour", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'refundhub-first-hour-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('the scheduler without a configuration file says what it needs and exits 2, without a stack trace', () => {
    // What `npm run start:scheduler` runs: the compiled host, from a folder without refundhub.yaml.
    buildWorkspace();
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.REFUNDHUB_CONFIG;
    const run = spawnSync(process.execPath, [join(ROOT, 'apps/scheduler/dist/main.js')], {
      cwd: dir,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no configuration file (REFUNDHUB_CONFIG, or ./refundhub.yaml)');
    expect(run.stderr).toContain('npm start');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('the README walkthrough gives the documented answers on a second run of the demo too', async () => {
    const walkthrough = async () => {
      const port = await freePort();
      const config = demoOperatorConfig({ PORT: String(port) });
      // The demo's own configuration, with its database in this test's folder rather than ./data.
      const loaded: LoadedConfig = {
        config: { ...config, database: { driver: 'sqlite', path: join(dir, 'refundhub-demo.sqlite') } },
        source: 'embedded demo',
        demo: true,
      };
      resetDemoDatabase(loaded.config);
      const app = await createApiApp(loaded, { logger: false });
      const url = await listenApi(app, loaded);
      const post = async (body: object) => {
        const response = await fetch(`${url}/refunds`, {
          method: 'POST',
          headers: { authorization: `Bearer ${DEMO_API_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      const refund = {
        gateway: 'leshua',
        merchantId: '0000000018',
        refundNo: 'R20250101000001',
        amount: 100,
        order: { merchantOrderNo: 'T20250101000001', totalAmount: 300 },
        reason: 'demo refund',
      };
      try {
        const first = await post(refund);
        const replay = await post(refund);
        const conflict = await post({ ...refund, amount: 99 });
        const over = await post({ ...refund, refundNo: 'R20250101000002', amount: 201 });
        return [
          [first.status, first.body.status],
          [replay.status, replay.body.id === first.body.id],
          [conflict.status, conflict.body.code],
          [over.status, over.body.refundableAmount],
        ];
      } finally {
        await app.close();
      }
    };
    const documented = [
      [201, 'PROCESSING'],
      [200, true],
      [409, 'REFUND_CONFLICT'],
      [422, 200],
    ];
    expect(await walkthrough()).toEqual(documented);
    expect(await walkthrough()).toEqual(documented);
  });

  it('npm run bench leaves the tracked results alone unless asked to record them', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { readSettings } = require('../bench/lib/settings.js') as { readSettings: () => { resultsFile: string } };
    const saved = process.env.BENCH_RECORD;
    try {
      delete process.env.BENCH_RECORD;
      const local = relative(ROOT, readSettings().resultsFile);
      expect(local).toBe('bench/results/local.json');
      expect(execFileSync('git', ['check-ignore', local], { cwd: ROOT, encoding: 'utf8' }).trim()).toBe(local);
      process.env.BENCH_RECORD = '1';
      expect(relative(ROOT, readSettings().resultsFile)).toBe('bench/results/latest.json');
    } finally {
      if (saved === undefined) delete process.env.BENCH_RECORD;
      else process.env.BENCH_RECORD = saved;
    }
  });
});
