import { Test, type TestingModule } from '@nestjs/testing';
import { TEST_CALL_TIMEOUT_MS, TestCredentialsModule } from '@refundhub/gateway-kit/testing';

import { LeshuaGateway } from '../leshua.gateway';
import { LeshuaModule } from '../leshua.module';
import type { LeshuaOptions } from '../leshua.options';
import { LESHUA_SANDBOX_MODULE_OPTIONS, LeshuaSandbox, type LeshuaSandboxOptions } from '../sandbox';

export const MERCHANT = '0000000018';
export const TRADE_KEY = 'TESTTRADEKEY0123456789ABCDEF0123';
export const NOTIFY_KEY = 'TESTNOTIFYKEY0123456789ABCDEF012';

export interface LeshuaTestApp {
  sandbox: LeshuaSandbox;
  gateway: LeshuaGateway;
  moduleRef: TestingModule;
  close(): Promise<void>;
}

/**
 * `LeshuaModule` on its own, talking over HTTP to a sandbox with one merchant, configured with the
 * sandbox's error codes (as a host does for `baseUrl: sandbox`) and a short HTTP timeout.
 */
export async function createLeshuaTestApp(
  options: Partial<LeshuaOptions> = {},
  sandboxOptions: Partial<LeshuaSandboxOptions> = {},
): Promise<LeshuaTestApp> {
  const sandbox = new LeshuaSandbox({
    merchants: { [MERCHANT]: { tradeKey: TRADE_KEY, notifyKey: NOTIFY_KEY } },
    ...sandboxOptions,
  });
  const baseUrl = await sandbox.start();
  const moduleRef = await Test.createTestingModule({
    imports: [
      TestCredentialsModule.forRoot({ leshua: { [MERCHANT]: { tradeKey: TRADE_KEY, notifyKey: NOTIFY_KEY } } }),
      LeshuaModule.forRoot({ baseUrl, timeoutMs: TEST_CALL_TIMEOUT_MS, ...LESHUA_SANDBOX_MODULE_OPTIONS, ...options }),
    ],
  }).compile();
  return {
    sandbox,
    gateway: moduleRef.get(LeshuaGateway),
    moduleRef,
    close: async () => {
      await moduleRef.close();
      await sandbox.stop();
    },
  };
}
