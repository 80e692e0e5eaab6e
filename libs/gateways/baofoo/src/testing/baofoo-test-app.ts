import { Test, type TestingModule } from '@nestjs/testing';
import { TEST_CALL_TIMEOUT_MS, TestCredentialsModule } from '@refundhub/gateway-kit/testing';

import { BaofooGateway } from '../baofoo.gateway';
import { BaofooModule } from '../baofoo.module';
import type { BaofooOptions } from '../baofoo.options';
import type { BaofooMerchantCredentials } from '../baofoo.types';
import {
  BAOFOO_SANDBOX_MODULE_OPTIONS,
  BaofooSandbox,
  generateBaofooSandboxKeyPair,
  type BaofooSandboxKeyPair,
  type BaofooSandboxOptions,
} from '../sandbox';

export const MERCHANT = '100000';
export const TERMINAL = '200000';

let keys: { merchant: BaofooSandboxKeyPair; baofoo: BaofooSandboxKeyPair } | undefined;

/** The merchant's and Baofoo's key pairs, made once per test file (2048-bit RSA takes a while). */
export function baofooTestKeys(): { merchant: BaofooSandboxKeyPair; baofoo: BaofooSandboxKeyPair } {
  keys ??= { merchant: generateBaofooSandboxKeyPair(), baofoo: generateBaofooSandboxKeyPair() };
  return keys;
}

/** The merchant as `gateways.baofoo.merchants.<merId>` (and the CredentialsProvider) has it. */
export function baofooTestCredentials(): BaofooMerchantCredentials {
  return { terId: TERMINAL, privateKey: baofooTestKeys().merchant.privateKeyPem, signSn: '1', ncrptnSn: '1' };
}

export interface BaofooTestApp {
  sandbox: BaofooSandbox;
  gateway: BaofooGateway;
  moduleRef: TestingModule;
  close(): Promise<void>;
}

/**
 * `BaofooModule` on its own, talking over HTTP to a sandbox with one merchant, configured with the
 * sandbox's public key and codes (as a host does for `baseUrl: sandbox`) and a short HTTP timeout.
 */
export async function createBaofooTestApp(
  options: Partial<BaofooOptions> = {},
  sandboxOptions: Partial<BaofooSandboxOptions> = {},
): Promise<BaofooTestApp> {
  const credentials = baofooTestCredentials();
  const sandbox = new BaofooSandbox({
    merchants: { [MERCHANT]: { terId: TERMINAL, privateKey: credentials.privateKey } },
    keyPair: baofooTestKeys().baofoo,
    ...sandboxOptions,
  });
  const baseUrl = await sandbox.start();
  const moduleRef = await Test.createTestingModule({
    imports: [
      TestCredentialsModule.forRoot({ baofoo: { [MERCHANT]: { ...credentials } } }),
      BaofooModule.forRoot({
        baseUrl,
        timeoutMs: TEST_CALL_TIMEOUT_MS,
        platformPublicKey: sandbox.platformPublicKey,
        ...BAOFOO_SANDBOX_MODULE_OPTIONS,
        ...options,
      }),
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
