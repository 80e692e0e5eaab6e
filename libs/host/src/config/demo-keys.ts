import { generateKeyPairSync, randomBytes } from 'node:crypto';

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

let webhookSecret: string | undefined;

/**
 * The demo's webhook secret (`whsec_` and 32 random bytes), made once per process like its keys.
 * The demo banner prints it, so a receiver on this machine can check the signatures it gets.
 */
export function demoWebhookSecret(): string {
  webhookSecret ??= `whsec_${randomBytes(32).toString('base64')}`;
  return webhookSecret;
}
