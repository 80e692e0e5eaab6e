import { createPublicKey, generateKeyPairSync } from 'node:crypto';

import { rsaPrivateKey } from '@refundhub/gateway-kit';

import type { BaofooSandboxKeyPair } from './baofoo-sandbox.types';

/** A fresh 2048-bit RSA pair, PKCS#8 and SPKI PEM (about 100 ms: make one per test file, not per test). */
export function generateBaofooSandboxKeyPair(): BaofooSandboxKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/** The public half of a private key PEM, as SPKI PEM: what Baofoo holds of a merchant's key. */
export function publicKeyOf(privateKeyPem: string): string {
  const key = createPublicKey(rsaPrivateKey(privateKeyPem, 'Baofoo sandbox merchant private key'));
  return key.export({ type: 'spki', format: 'pem' }).toString();
}
