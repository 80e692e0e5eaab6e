import { createPublicKey, generateKeyPairSync } from 'node:crypto';

import { rsaPrivateKey, rsaPublicKey } from '@refundhub/gateway-kit';

/** The doc's example signatures come from 1024-bit keys; they also keep key generation quick in tests. */
const MODULUS_BITS = 1024;

let forgery: string | undefined;

/** A fresh platform private key (PKCS#8 PEM) for one sandbox. */
export function newPlatformKeyPem(): string {
  return generateKeyPairSync('rsa', { modulusLength: MODULUS_BITS }).privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  }) as string;
}

/** A key that is nobody's: what forged notifications and `badsign` answers are signed with. */
export function forgeryKeyPem(): string {
  forgery ??= newPlatformKeyPem();
  return forgery;
}

/** The SPKI PEM of a private key, a public key or a certificate; errors name `keyName`, never the key. */
export function publicKeyPemOf(pem: string, keyName: string): string {
  const key = /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)
    ? createPublicKey(rsaPrivateKey(pem, keyName))
    : rsaPublicKey(pem, keyName);
  return key.export({ type: 'spki', format: 'pem' }) as string;
}
