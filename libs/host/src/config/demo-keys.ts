import { generateKeyPairSync } from 'node:crypto';

const generated = new Map<string, string>();

/**
 * A merchant RSA private key (PKCS#8 PEM) for a demo gateway that signs with RSA, made once per
 * process: the demo starts from nothing on every run, and a key that never leaves the process
 * cannot be mistaken for a real one. The gateway's sandbox derives the public half from the
 * configuration it is started with.
 */
export function demoMerchantPrivateKey(gateway: string): string {
  let pem = generated.get(gateway);
  if (!pem) {
    pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string;
    generated.set(gateway, pem);
  }
  return pem;
}
