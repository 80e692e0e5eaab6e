import { createHmac } from 'node:crypto';

import { signWebhook, webhookSecretKey, webhookSecretProblem } from './webhook-signature';

/** An HMAC computed here, apart from the signer, to check it against. */
function independentSignature(secret: string, content: string): string {
  const key = Buffer.from(secret.split('_')[1], 'base64');
  return createHmac('sha256', key).update(content).digest('base64');
}

describe(signWebhook.name, () => {
  it('reproduces the Standard Webhooks test vector', () => {
    // The vector the specification's reference libraries test against (secret, msg id, timestamp, body, signature).
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const sut = signWebhook({
      keys: [webhookSecretKey(secret)],
      id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      timestamp: 1614265330,
      body: '{"test": 2432232314}',
    });
    expect(sut).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    expect(sut).toBe(
      `v1,${independentSignature(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}')}`,
    );
  });

  it('signs "<id>.<timestamp>.<body>" over the UTF-8 body with the base64-decoded key', () => {
    const secret = `whsec_${Buffer.from('a 24-byte key for tests!').toString('base64')}`;
    const body = '{"type":"refund.succeeded","data":{"reason":"退货"}}';
    const sut = signWebhook({ keys: [webhookSecretKey(secret)], id: 'evt-1', timestamp: 1767585600, body });
    expect(sut).toBe(`v1,${independentSignature(secret, `evt-1.1767585600.${body}`)}`);
  });

  it('signs with every key during a rotation, space-separated, each verifiable on its own', () => {
    const secrets = [1, 2, 3].map((n) => `whsec_${Buffer.alloc(32, n).toString('base64')}`);
    const sut = signWebhook({ keys: secrets.map(webhookSecretKey), id: 'evt-2', timestamp: 1, body: '{}' });
    expect(sut.split(' ')).toEqual(secrets.map((secret) => `v1,${independentSignature(secret, 'evt-2.1.{}')}`));
  });

  it('refuses to sign without a key', () => {
    expect(() => signWebhook({ keys: [], id: 'evt', timestamp: 1, body: '{}' })).toThrow('at least one key');
  });
});

describe(webhookSecretProblem.name, () => {
  it.each([
    ['no prefix', Buffer.alloc(32).toString('base64')],
    ['another prefix', `sk_${Buffer.alloc(32).toString('base64')}`],
    ['nothing after the prefix', 'whsec_'],
    ['not base64', 'whsec_not*base64*at*all*0123456789abcdef'],
    ['a key shorter than 24 bytes', `whsec_${Buffer.alloc(23).toString('base64')}`],
  ])('refuses %s, without repeating the value', (_what, secret) => {
    const problem = webhookSecretProblem(secret);
    expect(problem).toEqual(expect.any(String));
    if (secret !== 'whsec_') expect(problem).not.toContain(secret);
    expect(() => webhookSecretKey(secret)).toThrow(/^Webhook secret must/);
  });

  it('accepts whsec_ and base64 of at least 24 bytes', () => {
    expect(webhookSecretProblem(`whsec_${Buffer.alloc(24).toString('base64')}`)).toBeNull();
    expect(webhookSecretProblem(`whsec_${Buffer.alloc(64).toString('base64')}`)).toBeNull();
  });
});
