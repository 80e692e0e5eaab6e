import { Test, type TestingModule } from '@nestjs/testing';
import { TestCredentialsModule } from '@refundhub/gateway-kit/testing';

import { UmfGateway } from '../umf.gateway';
import { UmfModule } from '../umf.module';
import type { UmfOptions } from '../umf.options';
import { UMF_SANDBOX_MODULE_OPTIONS, UmfSandbox, type UmfSandboxOptions } from '../sandbox';

export const MERCHANT = 'M000001';
export const KEY = 'TESTKEY0123456789ABCDEF0123456789';

export interface UmfTestApp {
  sandbox: UmfSandbox;
  gateway: UmfGateway;
  moduleRef: TestingModule;
  close(): Promise<void>;
}

/**
 * `UmfModule` on its own, talking over HTTP to a sandbox with one merchant, configured with the
 * sandbox's refusal codes (as a host does for `baseUrl: sandbox`) and a short HTTP timeout.
 */
export async function createUmfTestApp(
  options: Partial<UmfOptions> = {},
  sandboxOptions: Partial<UmfSandboxOptions> = {},
): Promise<UmfTestApp> {
  const sandbox = new UmfSandbox({ merchants: { [MERCHANT]: { key: KEY } }, ...sandboxOptions });
  const baseUrl = await sandbox.start();
  const moduleRef = await Test.createTestingModule({
    imports: [
      TestCredentialsModule.forRoot({ umf: { [MERCHANT]: { key: KEY } } }),
      UmfModule.forRoot({ baseUrl, timeoutMs: 300, ...UMF_SANDBOX_MODULE_OPTIONS, ...options }),
    ],
  }).compile();
  return {
    sandbox,
    gateway: moduleRef.get(UmfGateway),
    moduleRef,
    close: async () => {
      await moduleRef.close();
      await sandbox.stop();
    },
  };
}
