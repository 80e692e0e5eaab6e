import { Test, type TestingModule } from '@nestjs/testing';
import { TestCredentialsModule } from '@refundhub/gateway-kit/testing';

import { BaofooGateway } from '../baofoo.gateway';
import { BaofooModule } from '../baofoo.module';
import type { BaofooOptions } from '../baofoo.options';
import { BAOFOO_SANDBOX_MODULE_OPTIONS, BaofooSandbox, type BaofooSandboxOptions } from '../sandbox';

export const MERCHANT = 'M000001';
export const KEY = 'TESTKEY0123456789ABCDEF0123456789';

export interface BaofooTestApp {
  sandbox: BaofooSandbox;
  gateway: BaofooGateway;
  moduleRef: TestingModule;
  close(): Promise<void>;
}

/**
 * `BaofooModule` on its own, talking over HTTP to a sandbox with one merchant, configured with the
 * sandbox's refusal codes (as a host does for `baseUrl: sandbox`) and a short HTTP timeout.
 */
export async function createBaofooTestApp(
  options: Partial<BaofooOptions> = {},
  sandboxOptions: Partial<BaofooSandboxOptions> = {},
): Promise<BaofooTestApp> {
  const sandbox = new BaofooSandbox({ merchants: { [MERCHANT]: { key: KEY } }, ...sandboxOptions });
  const baseUrl = await sandbox.start();
  const moduleRef = await Test.createTestingModule({
    imports: [
      TestCredentialsModule.forRoot({ baofoo: { [MERCHANT]: { key: KEY } } }),
      BaofooModule.forRoot({ baseUrl, timeoutMs: 300, ...BAOFOO_SANDBOX_MODULE_OPTIONS, ...options }),
    ],
  }).compile();
  return {
    sandbox,
    gateway: moduleRef.get(BaofooGateway),
    moduleRef,
    close: async () => {
      await moduleRef.close();
      await sandbox.stop();
    },
  };
}
