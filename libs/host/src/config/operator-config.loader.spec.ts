import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ConfigError } from './config-error';
import { DEMO_API_KEY } from './demo-config';
import { loadOperatorConfig } from './operator-config.loader';
import { captureConfigError } from './testing/capture-config-error';

const SHA = 'a'.repeat(64);

const VALID_YAML = `
# merchant id unquoted on purpose: it must stay "0000000018", not become 18
database:
  driver: postgresql
  url: postgres://refundhub:\${PG_PASSWORD}@db:5432/refundhub
api:
  port: 8080
  publicUrl: https://refunds.example.com/
  keys:
    - name: shop-a
      sha256: ${SHA}
      merchants: ["leshua:0000000018"]
scheduler:
  enabled: false
gateways:
  leshua:
    baseUrl: https://paygate.leshuazf.com
    merchants:
      0000000018: { tradeKey: "\${LESHUA_TRADE_KEY}", notifyKey: "\${LESHUA_NOTIFY_KEY}" }
`;

const ENV = {
  PG_PASSWORD: 'pg-pass',
  LESHUA_TRADE_KEY: 'trade-key',
  LESHUA_NOTIFY_KEY: 'notify-key',
};

describe(loadOperatorConfig.name, () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'refundhub-config-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function write(name: string, text: string): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }

  it('loads a YAML file named by REFUNDHUB_CONFIG, interpolated, with defaults', () => {
    const path = write('refundhub.yaml', VALID_YAML);

    const sut = loadOperatorConfig({ env: { ...ENV, REFUNDHUB_CONFIG: path }, cwd: '/' });

    expect(sut).toMatchObject({ source: path, demo: false });
    expect(sut.demoApiKey).toBeUndefined();
    expect(sut.config).toEqual({
      database: { driver: 'postgresql', url: 'postgres://refundhub:pg-pass@db:5432/refundhub' },
      api: {
        host: '0.0.0.0',
        port: 8080,
        publicUrl: 'https://refunds.example.com',
        keys: [{ name: 'shop-a', sha256: SHA, merchants: ['leshua:0000000018'], scopes: [] }],
        rateLimit: { enabled: true, perKey: 1200, perAddress: 3000, window: 60_000 },
        metrics: { public: false },
      },
      scheduler: {
        enabled: false,
        intervalMs: 5000,
        batchSize: 50,
        concurrencyPerGateway: 4,
        requestedGraceMs: 60000,
        jitter: 0.1,
        exhaustAfter: 259_200_000,
      },
      outbox: { intervalMs: 1000, maxAttempts: 10, readyBacklog: 1000 },
      webhooks: { allowPrivateTargets: false, intervalMs: 1000 },
      logging: { level: 'info', format: 'json' },
      console: { enabled: false },
      gateways: {
        leshua: {
          baseUrl: 'https://paygate.leshuazf.com',
          timeoutMs: 10000,
          responseVerification: 'auto',
          notifyKey: 'notify',
          notifyUrlEncoding: 'encoded',
          failedErrorCodes: [],
          busyErrorCodes: [],
          notFoundErrorCodes: [],
          merchants: { '0000000018': { tradeKey: 'trade-key', notifyKey: 'notify-key' } },
        },
      },
    });
  });

  it('loads a JSON file, resolving a relative REFUNDHUB_CONFIG against the working directory', () => {
    mkdirSync(join(dir, 'etc'));
    write(
      'etc/refundhub.json',
      JSON.stringify({
        database: { path: './data/x.sqlite' },
        gateways: {
          leshua: {
            baseUrl: 'sandbox',
            merchants: { '00000001': { tradeKey: '${LS_KEY}', notifyKey: 'n' } },
          },
        },
      }),
    );

    const sut = loadOperatorConfig({
      env: { REFUNDHUB_CONFIG: 'etc/refundhub.json', LS_KEY: 'k' },
      cwd: dir,
    });

    expect(sut.source).toBe(join(dir, 'etc/refundhub.json'));
    expect(sut.config.database).toEqual({ driver: 'sqlite', path: './data/x.sqlite' });
    expect(sut.config.gateways.leshua?.merchants['00000001']).toEqual({ tradeKey: 'k', notifyKey: 'n' });
    expect(sut.config.api).toMatchObject({ host: '0.0.0.0', port: 3000, keys: [] });
  });

  it('uses ./refundhub.yaml from the working directory when REFUNDHUB_CONFIG is not set', () => {
    const path = write('refundhub.yaml', VALID_YAML);

    const sut = loadOperatorConfig({ env: ENV, cwd: dir });

    expect(sut).toMatchObject({ source: path, demo: false });
  });

  it('falls back to the embedded demo when there is no file and no REFUNDHUB_CONFIG', () => {
    const sut = loadOperatorConfig({ env: { REFUNDHUB_CONFIG: '' }, cwd: dir });

    expect(sut).toMatchObject({ source: 'embedded demo', demo: true, demoApiKey: DEMO_API_KEY });
    expect(sut.config.gateways.leshua?.baseUrl).toBe('sandbox');
  });

  it('refuses a missing file named by REFUNDHUB_CONFIG instead of starting the demo', () => {
    const path = join(dir, 'missing.yaml');

    const error = captureConfigError(() => loadOperatorConfig({ env: { REFUNDHUB_CONFIG: path }, cwd: dir }));

    expect(error.problems).toEqual(['file not found']);
    expect(error.message.split('\n')[0]).toBe(`${path}: invalid refundhub configuration (1 problem)`);
  });

  it('reports every problem of a wrong file by its path, one per line', () => {
    const path = write(
      'refundhub.yaml',
      `
databse: {}
database: { driver: mysql }
api:
  port: 70000
  keys:
    - { name: shop-a, sha256: ${SHA}, merchants: ["leshua:0000000019"] }
gateways:
  leshua:
    baseUrl: sandbox
    merchants:
      "0000000018": { notifyKey: "\${LESHUA_NOTIFY_KEY}" }
`,
    );

    const error = captureConfigError(() => loadOperatorConfig({ env: { ...ENV, REFUNDHUB_CONFIG: path } }));

    expect(error.problems).toEqual([
      'databse: unknown key',
      'database.driver: must be one of "sqlite", "postgresql"',
      'api.port: must be <= 65535',
      'api.keys.0.merchants.0: merchant "0000000019" is not configured under gateways.leshua.merchants',
      'gateways.leshua.merchants.0000000018.tradeKey: required',
    ]);
    expect(error.message).toBe(
      [`${path}: invalid refundhub configuration (5 problems)`, ...error.problems.map((p) => `  - ${p}`)].join('\n'),
    );
  });

  it('accepts the example configuration at the repository root', () => {
    const example = join(__dirname, '../../../../refundhub.example.yaml');
    const env = {
      REFUNDHUB_CONFIG: example,
      POSTGRES_PASSWORD: 'pw',
      REFUNDHUB_PUBLIC_URL: 'https://refunds.example.com',
      SHOP_A_API_KEY_SHA256: SHA,
      LESHUA_TRADE_KEY: 'trade',
      LESHUA_NOTIFY_KEY: 'notify',
    };

    const sut = loadOperatorConfig({ env });

    expect(sut.config.database).toEqual({
      driver: 'postgresql',
      url: 'postgres://refundhub:pw@postgres:5432/refundhub',
    });
    expect(sut.config.scheduler.enabled).toBe(false);
    expect(Object.keys(sut.config.gateways)).toEqual(['leshua']);
  });

  it('reports an unset variable at the path that uses it', () => {
    const path = write('refundhub.yaml', VALID_YAML);
    const { LESHUA_TRADE_KEY: _unset, ...env } = ENV;

    const error = captureConfigError(() => loadOperatorConfig({ env: { ...env, REFUNDHUB_CONFIG: path } }));

    expect(error.problems).toEqual([
      'gateways.leshua.merchants.0000000018.tradeKey: environment variable LESHUA_TRADE_KEY is not set',
    ]);
  });

  it('reports syntax errors by line and column', () => {
    const path = write('refundhub.yaml', 'api:\n  port: 1\n  port: 2\n');

    const error = captureConfigError(() => loadOperatorConfig({ env: { REFUNDHUB_CONFIG: path } }));

    expect(error.problems).toEqual(['line 3, column 3: Map keys must be unique']);
  });

  it('refuses an empty file and an unknown file type', () => {
    const empty = write('empty.yml', '# nothing yet\n');
    const toml = write('refundhub.toml', 'x = 1\n');

    expect(captureConfigError(() => loadOperatorConfig({ env: { REFUNDHUB_CONFIG: empty } })).problems).toEqual([
      '(root): the file is empty',
    ]);
    expect(captureConfigError(() => loadOperatorConfig({ env: { REFUNDHUB_CONFIG: toml } })).problems).toEqual([
      'unsupported file type ".toml": use .yaml, .yml, .json',
    ]);
  });

  it('never puts a secret into a message', () => {
    const secrets = {
      LESHUA_TRADE_KEY: 'S3CRET-TRADE',
      LESHUA_NOTIFY_KEY: 'S3CRET-NOTIFY',
      PG_PASSWORD: 'S3CRET-PG',
    };
    const path = write(
      'refundhub.yaml',
      `
database: { driver: sqlite, url: "postgres://u:\${PG_PASSWORD}@h/db", pool: { min: "\${PG_PASSWORD}" } }
api:
  port: "\${LESHUA_TRADE_KEY}"
  keys:
    - { name: k, sha256: "\${LESHUA_NOTIFY_KEY}", merchants: ["\${LESHUA_NOTIFY_KEY}"] }
gateways:
  leshua:
    baseUrl: "\${LESHUA_TRADE_KEY}"
    notifyKey: "\${LESHUA_NOTIFY_KEY}"
    merchants:
      "0000000018": { tradekey: LITERAL-S3CRET, notifyKey: 12345678901234567890 }
`,
    );
    const broken = write('broken.yaml', 'gateways:\n  leshua: { tradeKey: LITERAL-S3CRET: x }\n');
    const escape = write('escape.yaml', 'a: "LITERAL-S3CRET\\q"\n');
    const alias = write('alias.yaml', 'a: *LITERAL-S3CRET\n');

    const errors = [
      captureConfigError(() => loadOperatorConfig({ env: { ...secrets, REFUNDHUB_CONFIG: path } })),
      captureConfigError(() => loadOperatorConfig({ env: { REFUNDHUB_CONFIG: broken } })),
      captureConfigError(() => loadOperatorConfig({ env: { REFUNDHUB_CONFIG: escape } })),
      captureConfigError(() => loadOperatorConfig({ env: { REFUNDHUB_CONFIG: alias } })),
    ];

    expect(errors.map((error) => error.problems.length)).toEqual([9, 1, 1, 1]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(ConfigError);
      for (const value of [...Object.values(secrets), 'LITERAL-S3CRET', '12345678901234567890']) {
        expect(error.message).not.toContain(value);
      }
    }
  });
});
