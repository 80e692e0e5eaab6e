import { Test, type TestingModule } from '@nestjs/testing';
import { TEST_CALL_TIMEOUT_MS, TestCredentialsModule } from '@refundhub/gateway-kit/testing';

import { __Id__Gateway } from '../__ID__.gateway';
import { __Id__Module } from '../__ID__.module';
import type { __Id__Options } from '../__ID__.options';
import { __ID_UPPER___SANDBOX_MODULE_OPTIONS, __Id__Sandbox, type __Id__SandboxOptions } from '../sandbox';

export const MERCHANT = 'M000001';
export const KEY = 'TESTKEY0123456789ABCDEF0123456789';

export interface __Id__TestApp {
  sandbox: __Id__Sandbox;
  gateway: __Id__Gateway;
  moduleRef: TestingModule;
  close(): Promise<void>;
}

/**
 * `__Id__Module` on its own, talking over HTTP to a sandbox with one merchant, configured with the
 * sandbox's refusal codes (as a host does for `baseUrl: sandbox`) and a short HTTP timeout.
 */
export async function create__Id__TestApp(
  options: Partial<__Id__Options> = {},
  sandboxOptions: Partial<__Id__SandboxOptions> = {},
): Promise<__Id__TestApp> {
  const sandbox = new __Id__Sandbox({ merchants: { [MERCHANT]: { key: KEY } }, ...sandboxOptions });
  const baseUrl = await sandbox.start();
  const moduleRef = await Test.createTestingModule({
    imports: [
      TestCredentialsModule.forRoot({ __ID__: { [MERCHANT]: { key: KEY } } }),
      __Id__Module.forRoot({ baseUrl, timeoutMs: TEST_CALL_TIMEOUT_MS, ...__ID_UPPER___SANDBOX_MODULE_OPTIONS, ...options }),
    ],
  }).compile();
  return {
    sandbox,
    gateway: moduleRef.get(__Id__Gateway),
    moduleRef,
    close: async () => {
      await moduleRef.close();
      await sandbox.stop();
    },
  };
}
