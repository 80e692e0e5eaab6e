import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Injectable } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';

import { refundModuleOptionsOf } from '../refund-options';
import { ConfigError } from './config-error';
import { loadOperatorConfig } from './operator-config.loader';
import { operatorConfigOf, refundhubConfig } from './refundhub.config';

const CONFIG_YAML = `
database:
  driver: sqlite
  path: ./refunds.sqlite
api:
  publicUrl: https://refunds.example.com
  keys:
    - name: shop-a
      sha256: ${'a'.repeat(64)}
      merchants: ["leshua:0000000018"]
gateways:
  leshua:
    baseUrl: https://paygate.leshuazf.com
    merchants:
      "0000000018": { tradeKey: "\${LESHUA_TRADE_KEY}", notifyKey: notify-key }
`;

/** A host provider that reads the operator configuration the NestJS way. */
@Injectable()
class NotifyBase {
  constructor(readonly config: ConfigService) {}

  get url(): string | null {
    return refundModuleOptionsOf(operatorConfigOf(this.config).config).notifyBaseUrl ?? null;
  }
}

describe(refundhubConfig.name, () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'refundhub-config-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const boot = async (env: Record<string, string>) => {
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [refundhubConfig({ env, cwd: dir })] })],
      providers: [NotifyBase],
    }).compile();
    return moduleRef.init();
  };

  it('loads the operator file into ConfigService, validated and interpolated like the standalone hosts', async () => {
    const path = join(dir, 'refundhub.yaml');
    writeFileSync(path, CONFIG_YAML);
    const app = await boot({ REFUNDHUB_CONFIG: path, LESHUA_TRADE_KEY: 'trade-key' });

    const loaded = operatorConfigOf(app.get(ConfigService));
    expect(loaded).toEqual(loadOperatorConfig({ env: { REFUNDHUB_CONFIG: path, LESHUA_TRADE_KEY: 'trade-key' } }));
    expect(loaded.config.gateways.leshua?.merchants['0000000018']).toMatchObject({ tradeKey: 'trade-key' });
    expect(app.get(NotifyBase).url).toBe('https://refunds.example.com');
    const options = refundModuleOptionsOf(loaded.config);
    expect(options.credentials).toEqual({
      leshua: { '0000000018': { tradeKey: 'trade-key', notifyKey: 'notify-key' } },
    });
    await app.close();
  });

  it('stops the boot with the same ConfigError and messages as the standalone hosts', async () => {
    const path = join(dir, 'refundhub.yaml');
    writeFileSync(path, CONFIG_YAML);
    const expected = (() => {
      try {
        loadOperatorConfig({ env: { REFUNDHUB_CONFIG: path } });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(expected).toBeInstanceOf(ConfigError);

    const failure = await boot({ REFUNDHUB_CONFIG: path }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as ConfigError).message).toBe((expected as ConfigError).message);
    expect((failure as ConfigError).message).toMatch(/LESHUA_TRADE_KEY/);
  });
});
