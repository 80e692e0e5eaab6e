import { Test, type TestingModule } from '@nestjs/testing';
import { TEST_CALL_TIMEOUT_MS, TestCredentialsModule } from '@refundhub/gateway-kit/testing';

import { ChaoyingGateway } from '../chaoying.gateway';
import { ChaoyingModule } from '../chaoying.module';
import type { ChaoyingOptions } from '../chaoying.options';
import { CHAOYING_SANDBOX_MODULE_OPTIONS, ChaoyingSandbox, type ChaoyingSandboxOptions } from '../sandbox';

export const MERCHANT = '00000001';
/** PROTOCOLS.md §2's made-up key. */
export const KEY = 'TESTCYKEY0123456789ABCDEF0123456';

export interface ChaoyingTestApp {
  sandbox: ChaoyingSandbox;
  gateway: ChaoyingGateway;
  moduleRef: TestingModule;
  close(): Promise<void>;
}

/**
 * `ChaoyingModule` on its own, talking over HTTP to a sandbox with one merchant (v2, the merchant's key,
 * unless `agentId` is given to both), configured with the sandbox's refusal codes (as a host does for
 * `baseUrl: sandbox`) and a short HTTP timeout.
 */
export async function createChaoyingTestApp(
  options: Partial<ChaoyingOptions> = {},
  sandboxOptions: Partial<ChaoyingSandboxOptions> = {},
): Promise<ChaoyingTestApp> {
  const sandbox = new ChaoyingSandbox({ merchants: { [MERCHANT]: { key: KEY } }, ...sandboxOptions });
  const baseUrl = await sandbox.start();
  const moduleRef = await Test.createTestingModule({
    imports: [
      TestCredentialsModule.forRoot({ chaoying: { [MERCHANT]: { key: KEY } } }),
      ChaoyingModule.forRoot({
        baseUrl,
        timeoutMs: TEST_CALL_TIMEOUT_MS,
        ...CHAOYING_SANDBOX_MODULE_OPTIONS,
        ...options,
      }),
    ],
  }).compile();
  return {
    sandbox,
    gateway: moduleRef.get(ChaoyingGateway),
    moduleRef,
    close: async () => {
      await moduleRef.close();
      await sandbox.stop();
    },
  };
}
