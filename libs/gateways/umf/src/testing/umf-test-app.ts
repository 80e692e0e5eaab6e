import { generateKeyPairSync } from 'node:crypto';

import { Test, type TestingModule } from '@nestjs/testing';
import { TEST_CALL_TIMEOUT_MS, TestCredentialsModule } from '@refundhub/gateway-kit/testing';

import { UMF_SANDBOX_MODULE_OPTIONS, UmfSandbox, type UmfSandboxOptions } from '../sandbox';
import { UmfGateway } from '../umf.gateway';
import { UmfModule } from '../umf.module';
import type { UmfOptions } from '../umf.options';
import type { UmfMerchantCredentials } from '../umf.types';

export const MERCHANT = '30000101';
export const PROXY_ID = '0025';

let merchantKeys: { publicKey: string; privateKey: string } | undefined;

/** The test merchant's RSA key pair (1024-bit, as UMF's), made once per test file. */
export function umfMerchantKeys(): { publicKey: string; privateKey: string } {
  merchantKeys ??= generateKeyPairSync('rsa', {
    modulusLength: 1024,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return merchantKeys;
}

export interface UmfTestApp {
  sandbox: UmfSandbox;
  gateway: UmfGateway;
  credentials: UmfMerchantCredentials;
  moduleRef: TestingModule;
  close(): Promise<void>;
}

/**
 * `UmfModule` on its own, talking over HTTP to a sandbox with one merchant, configured as a host does
 * for `baseUrl: sandbox` (the sandbox's platform key as `platformCertificate`, its refusal codes) and
 * with a short HTTP timeout.
 */
export async function createUmfTestApp(
  options: Partial<UmfOptions> = {},
  sandboxOptions: Partial<UmfSandboxOptions> = {},
): Promise<UmfTestApp> {
  const credentials: UmfMerchantCredentials = { proxyId: PROXY_ID, privateKey: umfMerchantKeys().privateKey };
  const sandbox = new UmfSandbox({ merchants: { [MERCHANT]: credentials }, ...sandboxOptions });
  const baseUrl = await sandbox.start();
  try {
    const moduleRef = await Test.createTestingModule({
      imports: [
        TestCredentialsModule.forRoot({ umf: { [MERCHANT]: { ...credentials } } }),
        UmfModule.forRoot({
          baseUrl,
          timeoutMs: TEST_CALL_TIMEOUT_MS,
          platformCertificate: sandbox.platformCertificate,
          ...UMF_SANDBOX_MODULE_OPTIONS,
          ...options,
        }),
      ],
    }).compile();
    return {
      sandbox,
      gateway: moduleRef.get(UmfGateway),
      credentials,
      moduleRef,
      close: async () => {
        await moduleRef.close();
        await sandbox.stop();
      },
    };
  } catch (error) {
    await sandbox.stop();
    throw error;
  }
}
