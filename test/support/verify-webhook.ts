import { createHmac, timingSafeEqual } from 'node:crypto';

/** The webhook's parsed body if it is genuine and recent; throws otherwise. `body` is the raw request body. */
export function verifyWebhook(secret: string, headers: Record<string, unknown>, body: string, toleranceSeconds = 300) {
  const [id, timestamp, signatures] = ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) =>
    String(headers[name] ?? ''),
  );
  // An old webhook replayed fails here, and so does one without a readable timestamp (NaN is never <=).
  if (!(Math.abs(Date.now() / 1000 - Number(timestamp)) <= toleranceSeconds)) throw new Error('webhook too old');
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  const genuine = signatures.split(' ').some((entry) => {
    const [version, signature = ''] = entry.split(',');
    const given = Buffer.from(signature, 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!id || !genuine) throw new Error('webhook signature does not match');
  return JSON.parse(body);
}
