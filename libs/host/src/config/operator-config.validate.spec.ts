import { validateOperatorConfig } from './operator-config.validate';
import { captureConfigError } from './testing/capture-config-error';
import { installedGatewayIds } from '../gateways/installed-gateways';

/** The installed gateways as the messages list them, so that installing one more changes no expectation here. */
const INSTALLED = installedGatewayIds().join(', ');

const SHA_A = 'a'.repeat(64);
const SANDBOX_LESHUA = {
  baseUrl: 'sandbox',
  merchants: { '0000000018': { tradeKey: 't', notifyKey: 'n' } },
};

function validate(raw: unknown, env: Record<string, string> = {}) {
  return validateOperatorConfig(raw, { source: 'test.yaml', env });
}

function problemsOf(raw: unknown, env: Record<string, string> = {}): readonly string[] {
  return captureConfigError(() => validate(raw, env)).problems;
}

describe(validateOperatorConfig.name, () => {
  it('needs a url for postgresql and refuses one for sqlite', () => {
    expect(
      problemsOf({
        database: { driver: 'postgresql', path: './x' },
        gateways: { leshua: SANDBOX_LESHUA },
      }),
    ).toEqual(['database.path: only used with driver sqlite', 'database.url: required for driver postgresql']);
    expect(
      problemsOf({
        database: { url: 'postgres://h/db', pool: { max: 2 } },
        gateways: { leshua: SANDBOX_LESHUA },
      }),
    ).toEqual(['database.url: only used with driver postgresql', 'database.pool: only used with driver postgresql']);
  });

  it('reads how SQLite writers take turns, and refuses it for postgresql', () => {
    expect(
      validate({
        database: { path: './x.sqlite', sqlite: { synchronous: 'normal', busyTimeout: '10s' } },
        gateways: { leshua: SANDBOX_LESHUA },
      }).database,
    ).toEqual({ driver: 'sqlite', path: './x.sqlite', synchronous: 'normal', busyTimeoutMs: 10_000 });
    expect(validate({ gateways: { leshua: SANDBOX_LESHUA } }).database).toEqual({
      driver: 'sqlite',
      path: './data/refundhub.sqlite',
    });
    expect(
      problemsOf({
        database: { path: './x.sqlite', sqlite: { synchronous: 'off' } },
        gateways: { leshua: SANDBOX_LESHUA },
      }),
    ).toEqual([expect.stringMatching(/^database\.sqlite\.synchronous: /)]);
    expect(
      problemsOf({
        database: { driver: 'postgresql', url: 'postgres://h/db', sqlite: { synchronous: 'full' } },
        gateways: { leshua: SANDBOX_LESHUA },
      }),
    ).toEqual(['database.sqlite: only used with driver sqlite']);
  });

  it('checks the postgresql url and pool', () => {
    const database = { driver: 'postgresql', url: 'mysql://h/db', pool: { min: 5, max: 2 } };

    expect(problemsOf({ database, gateways: { leshua: SANDBOX_LESHUA } })).toEqual([
      'database.url: must be a postgres:// or postgresql:// URL',
      'database.pool: min must not exceed max',
    ]);
  });

  it('accepts numbers and booleans written as strings, as ${VAR} produces them', () => {
    const sut = validate(
      {
        api: { port: '${PORT}' },
        scheduler: { enabled: '${IN_API}', intervalMs: '250' },
        gateways: { leshua: SANDBOX_LESHUA },
      },
      { PORT: '8080', IN_API: 'false' },
    );

    expect(sut.api.port).toBe(8080);
    expect(sut.scheduler).toMatchObject({ enabled: false, intervalMs: 250 });
  });

  it('stores API key hashes in lowercase and refuses anything but 64 hex characters', () => {
    const keys = [{ name: 'a', sha256: 'A'.repeat(64), merchants: ['*'] }];
    expect(validate({ api: { keys }, gateways: { leshua: SANDBOX_LESHUA } }).api.keys[0].sha256).toBe(SHA_A);

    const bad = [{ name: 'a', sha256: 'rh_live_key', merchants: [] }];
    expect(problemsOf({ api: { keys: bad }, gateways: { leshua: SANDBOX_LESHUA } })).toEqual([
      'api.keys.0.sha256: must be the SHA-256 of the key as 64 hex characters',
      'api.keys.0.merchants: must have at least 1 entry',
    ]);
  });

  it('reads the scopes of a key: none by default, operator when given, nothing else', () => {
    const keys = [
      { name: 'shop', sha256: SHA_A, merchants: ['*'] },
      { name: 'ops', sha256: 'b'.repeat(64), merchants: ['*'], scopes: ['operator'] },
    ];
    expect(validate({ api: { keys }, gateways: { leshua: SANDBOX_LESHUA } }).api.keys.map((k) => k.scopes)).toEqual([
      [],
      ['operator'],
    ]);

    const bad = [{ name: 'a', sha256: SHA_A, merchants: ['*'], scopes: ['admin'] }];
    expect(problemsOf({ api: { keys: bad }, gateways: { leshua: SANDBOX_LESHUA } })).toEqual([
      'api.keys.0.scopes.0: must be one of "operator"',
    ]);
  });

  it('wants unique key names and hashes, and scopes on configured merchants', () => {
    const keys = [
      { name: 'a', sha256: SHA_A, merchants: ['leshua:0000000018', 'stripe:1', 'paypal:1', 'leshua'] },
      { name: 'a', sha256: 'A'.repeat(64), merchants: ['*'] },
    ];

    expect(problemsOf({ api: { keys }, gateways: { leshua: SANDBOX_LESHUA } })).toEqual([
      `api.keys.0.merchants.1: unknown gateway "stripe" (one of ${INSTALLED})`,
      `api.keys.0.merchants.2: unknown gateway "paypal" (one of ${INSTALLED})`,
      'api.keys.0.merchants.3: must be "*" or "<gateway>:<merchantId>"',
      'api.keys.1.name: same name as api.keys.0',
      'api.keys.1.sha256: same key as api.keys.0',
    ]);
  });

  it('needs at least one gateway, each with at least one merchant', () => {
    expect(problemsOf({})).toEqual(['gateways: required']);
    expect(problemsOf({ gateways: {} })).toEqual([`gateways: configure at least one gateway (${INSTALLED})`]);
    expect(problemsOf({ gateways: { leshua: { baseUrl: 'sandbox', merchants: {} } } })).toEqual([
      'gateways.leshua.merchants: configure at least one merchant',
    ]);
  });

  it('refuses a gateway that is not installed in this build', () => {
    expect(
      problemsOf({
        gateways: { leshua: SANDBOX_LESHUA, stripe: { baseUrl: 'sandbox', merchants: { '1': { key: 'k' } } } },
      }),
    ).toEqual([`gateways.stripe: not installed in this build (installed: ${INSTALLED})`]);
  });

  it('takes every Leshua option, error codes included, with no code assumed by default', () => {
    expect(validate({ gateways: { leshua: SANDBOX_LESHUA } }).gateways.leshua).toMatchObject({
      failedErrorCodes: [],
      busyErrorCodes: [],
      notFoundErrorCodes: [],
    });
    const leshua = {
      ...SANDBOX_LESHUA,
      failedErrorCodes: ['PARAM_ERROR'],
      busyErrorCodes: ['SYSTEM_BUSY'],
      notFoundErrorCodes: ['REFUND_NOT_EXIST'],
    };
    expect(validate({ gateways: { leshua } }).gateways.leshua).toMatchObject({
      failedErrorCodes: ['PARAM_ERROR'],
      busyErrorCodes: ['SYSTEM_BUSY'],
      notFoundErrorCodes: ['REFUND_NOT_EXIST'],
    });
    expect(problemsOf({ gateways: { leshua: { ...SANDBOX_LESHUA, notFoundErrorCodes: 'REFUND_NOT_EXIST' } } })).toEqual(
      ['gateways.leshua.notFoundErrorCodes: expected a list, got a string'],
    );
  });

  it('refuses an unknown gateway and bad leshua options', () => {
    const leshua = {
      ...SANDBOX_LESHUA,
      responseVerification: 'never',
      notifyUrlEncoding: 'double',
      timeoutMs: 0,
    };

    expect(problemsOf({ gateways: { leshua, alipay: {} } })).toEqual([
      'gateways.leshua.responseVerification: must be one of "auto", "doc", "skip-empty"',
      'gateways.leshua.notifyUrlEncoding: must be one of "encoded", "raw"',
      'gateways.leshua.timeoutMs: must be >= 1',
      `gateways.alipay: not installed in this build (installed: ${INSTALLED})`,
    ]);
  });

  it('applies the defaults of every section', () => {
    const sut = validate({ gateways: { leshua: SANDBOX_LESHUA } });

    expect(sut.database).toEqual({ driver: 'sqlite', path: './data/refundhub.sqlite' });
    expect(sut.api).toEqual({
      host: '0.0.0.0',
      port: 3000,
      keys: [],
      rateLimit: { enabled: true, perKey: 1200, perAddress: 3000, window: 60_000 },
      metrics: { public: false },
    });
    expect(sut.logging).toEqual({ level: 'info', format: 'json' });
    expect(sut.console).toEqual({ enabled: false });
    expect(sut.scheduler).toEqual({
      enabled: true,
      intervalMs: 5000,
      batchSize: 50,
      concurrencyPerGateway: 4,
      requestedGraceMs: 60000,
      jitter: 0.1,
      exhaustAfter: 259_200_000,
    });
  });

  it('refuses a log level it does not know, naming the ones it does', () => {
    expect(() => validate({ logging: { level: 'verbose' }, gateways: { leshua: SANDBOX_LESHUA } })).toThrow(
      /logging\.level/,
    );
  });

  it('turns the operations console on with console.enabled, and refuses anything but a boolean or other keys', () => {
    expect(validate({ console: { enabled: true }, gateways: { leshua: SANDBOX_LESHUA } }).console).toEqual({
      enabled: true,
    });
    expect(() => validate({ console: { enabled: 'yes' }, gateways: { leshua: SANDBOX_LESHUA } })).toThrow(
      /console\.enabled/,
    );
    expect(() => validate({ console: { path: '/admin' }, gateways: { leshua: SANDBOX_LESHUA } })).toThrow(
      /console\.path/,
    );
  });

  it('refuses a rate limit of zero requests', () => {
    expect(() => validate({ api: { rateLimit: { perKey: 0 } }, gateways: { leshua: SANDBOX_LESHUA } })).toThrow(
      /api\.rateLimit\.perKey/,
    );
  });
});
