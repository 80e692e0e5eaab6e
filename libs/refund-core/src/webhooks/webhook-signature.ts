import { createHmac } from 'node:crypto';

/** Standard Webhooks secrets are `whsec_` followed by the base64 of the key. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** The shortest key accepted: the 24 bytes (192 bits) Standard Webhooks asks for at least. */
export const WEBHOOK_SECRET_MIN_BYTES = 24;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * What is wrong with a webhook secret, or null when it is a usable `whsec_<base64>`. Never repeats
 * the value: it is a secret, and may be one that landed in the wrong field.
 */
export function webhookSecretProblem(secret: string): string | null {
  const encoded = secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : null;
  if (encoded === null || encoded === '' || !BASE64.test(encoded)) {
    return `must be "${WEBHOOK_SECRET_PREFIX}" followed by the key in base64 (make one with: echo "${WEBHOOK_SECRET_PREFIX}$(openssl rand -base64 32)")`;
  }
  if (Buffer.from(encoded, 'base64').length < WEBHOOK_SECRET_MIN_BYTES) {
    return `must hold a key of at least ${WEBHOOK_SECRET_MIN_BYTES} bytes (32 base64 characters after "${WEBHOOK_SECRET_PREFIX}")`;
  }
  return null;
}

/** The HMAC key of a `whsec_` secret: the base64-decoded part. Throws (without the value) on a malformed one. */
export function webhookSecretKey(secret: string): Buffer {
  const problem = webhookSecretProblem(secret);
  if (problem) throw new Error(`Webhook secret ${problem}`);
  return Buffer.from(secret.slice(WEBHOOK_SECRET_PREFIX.length), 'base64');
}

/**
 * The `webhook-signature` header of Standard Webhooks v1: `v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`
 * for each key, space-separated, so that a receiver holding any one of the keys (old or new, during
 * a rotation) verifies the message.
 */
export function signWebhook(input: {
  keys: readonly Buffer[];
  id: string;
  /** Unix seconds, as sent in `webhook-timestamp`. */
  timestamp: number;
  /** The exact bytes sent as the body. */
  body: string;
}): string {
  if (input.keys.length === 0) throw new Error('A webhook needs at least one key to be signed');
  const content = `${input.id}.${input.timestamp}.${input.body}`;
  return input.keys.map((key) => `v1,${createHmac('sha256', key).update(content, 'utf8').digest('base64')}`).join(' ');
}
