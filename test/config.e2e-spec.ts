import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  ConfigError,
  LoadedConfig,
  RefundHostModule,
  demoOperatorConfig,
  installedGatewayIds,
  loadOperatorConfig,
} from '@refundhub/host';

import { captureConfigError } from '../libs/host/src/config/testing/capture-config-error';
import { SchedulerModule } from '../apps/scheduler/src/scheduler.module';

/**
 * What an operator sees when the configuration is wrong: the loader the API and scheduler
 * entrypoints call (they print ConfigError's message and exit 2), and the host module that
 * refuses gateways this build cannot talk to, before it opens the database.
 */
describe('a wrong operator configuration stops the hosts before they start', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'refundhub-config-e2e-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const loadError = (env: Record<string, string>): ConfigError => {
    try {
      loadOperatorConfig({ env, cwd: dir });
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
    throw new Error('expected a ConfigError, but the configuration loaded');
  };

  it('lists every mistake of the file by its path, in file order, without echoing a secret', () => {
    const path = write(
      'refundhub.yaml',
      `
database:
  driver: postgresql
  path: ./data/refundhub.sqlite
api:
  port: "\${LEAKED_SECRET}"
  publicUrl: ftp://refunds.example.com
  keys:
    - { name: shop-a, sha256: not-a-hash, merchants: ["leshua:0000000018"] }
scheduler:
  enabeld: true
  intervalMs: 10
gateways:
  leshua:
    baseUrl: paygate.leshuazf.com
    merchants:
      "0000000018": { tradeKey: "\${LESHUA_TRADE_KEY}" }
`,
    );

    const error = loadError({ REFUNDHUB_CONFIG: 'refundhub.yaml', LEAKED_SECRET: 'S3CRET-VALUE-0001' });

    expect(error.source).toBe(path);
    const paths = error.problems.map((problem) => problem.slice(0, problem.indexOf(': ')));
    expect(paths).toEqual([
      'database.path',
      'database.url',
      'api.port',
      'api.publicUrl',
      'api.keys.0.sha256',
      'scheduler.enabeld',
      'scheduler.intervalMs',
      'gateways.leshua.baseUrl',
      'gateways.leshua.merchants.0000000018.tradeKey',
      'gateways.leshua.merchants.0000000018.notifyKey',
    ]);
    expect(error.problems).toEqual(
      expect.arrayContaining([
        'database.path: only used with driver sqlite',
        'database.url: required for driver postgresql',
        'scheduler.enabeld: unknown key',
        'scheduler.intervalMs: must be >= 100',
        'gateways.leshua.merchants.0000000018.tradeKey: environment variable LESHUA_TRADE_KEY is not set',
        'gateways.leshua.merchants.0000000018.notifyKey: required',
      ]),
    );
    expect(error.message.split('\n')).toEqual([
      `${path}: invalid refundhub configuration (10 problems)`,
      ...error.problems.map((problem) => `  - ${problem}`),
    ]);
    expect(error.message).not.toContain('S3CRET-VALUE-0001');
  });

  describe('a configured gateway this build does not support', () => {
    const strangerConfig = (databasePath: string) => {
      const path = write(
        'refundhub.yaml',
        `
database: { driver: sqlite, path: ${JSON.stringify(databasePath)} }
api: { host: 127.0.0.1, port: 0 }
gateways:
  leshua:
    baseUrl: sandbox
    merchants:
      "0000000018": { tradeKey: "\${LESHUA_TRADE_KEY}", notifyKey: "\${LESHUA_NOTIFY_KEY}" }
  stripe:
    baseUrl: https://api.stripe.example
    merchants:
      "30000101": { privateKey: "\${STRIPE_PRIVATE_KEY}" }
`,
      );
      return loadOperatorConfig({
        env: {
          REFUNDHUB_CONFIG: path,
          LESHUA_TRADE_KEY: 't',
          LESHUA_NOTIFY_KEY: 'n',
          STRIPE_PRIVATE_KEY: 'S3CRET-STRIPE-KEY',
        },
        cwd: dir,
      });
    };

    it('is refused when the file is read, naming the gateway and what is installed, before any database is opened', () => {
      const databasePath = join(dir, 'refunds.sqlite');
      const error = captureConfigError(() => strangerConfig(databasePath));
      expect(error.problems).toEqual([
        `gateways.stripe: not installed in this build (installed: ${installedGatewayIds().join(', ')})`,
      ]);
      expect(error.message).not.toContain('S3CRET-STRIPE-KEY');
      expect(existsSync(databasePath)).toBe(false);
    });
  });

  it('keeps the built-in sandbox out of the scheduler: it lives in the API process only', () => {
    const loaded: LoadedConfig = { config: demoOperatorConfig({}), source: 'embedded demo', demo: true };
    // The demo has no file: the scheduler says what it needs instead.
    expect(captureConfigError(() => SchedulerModule.forConfig(loaded)).problems).toEqual([
      expect.stringMatching(/^no configuration file \(REFUNDHUB_CONFIG, or \.\/refundhub\.yaml\)/),
    ]);
    // A file that names the sandbox: each gateway is named.
    const sandboxFile: LoadedConfig = { ...loaded, source: 'refundhub.yaml', demo: false };
    expect(captureConfigError(() => SchedulerModule.forConfig(sandboxFile)).problems).toEqual([
      expect.stringMatching(/^gateways\.leshua\.baseUrl: "sandbox" runs inside the API process only/),
      expect.stringMatching(/^gateways\.chaoying\.baseUrl: "sandbox" runs inside the API process only/),
      expect.stringMatching(/^gateways\.umf\.baseUrl: "sandbox" runs inside the API process only/),
      expect.stringMatching(/^gateways\.baofoo\.baseUrl: "sandbox" runs inside the API process only/),
    ]);
    expect(() => RefundHostModule.forConfig(loaded, { runSyncLoop: true, allowSandboxes: true })).not.toThrow();
  });
});
