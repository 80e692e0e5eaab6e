import { WebhookSecrets } from './webhook-secrets';
import { webhookSecretKey } from './webhook-signature';

const secret = (fill: number) => `whsec_${Buffer.alloc(32, fill).toString('base64')}`;

describe(WebhookSecrets.name, () => {
  it("signs with the requester's own secrets, else the common ones", () => {
    const sut = WebhookSecrets.from({ secret: secret(1), secretsByRequester: { 'shop-a': [secret(2), secret(3)] } });
    expect(sut.keysFor('shop-a')).toEqual([webhookSecretKey(secret(2)), webhookSecretKey(secret(3))]);
    expect(sut.keysFor('shop-b')).toEqual([webhookSecretKey(secret(1))]);
    expect(sut.keysFor(null)).toEqual([webhookSecretKey(secret(1))]);
  });

  it('can sign nothing without a secret for the requester or a common one', () => {
    const sut = WebhookSecrets.from({ secretsByRequester: { 'shop-a': secret(2) } });
    expect(sut.canSign('shop-a')).toBe(true);
    expect(sut.canSign('shop-b')).toBe(false);
    expect(sut.canSign(null)).toBe(false);
    expect(WebhookSecrets.from().canSign(null)).toBe(false);
  });

  it('refuses a malformed secret when the module starts, naming the option and not the value', () => {
    const leaked = 'sk_live_0123456789abcdef0123456789';
    expect(() => WebhookSecrets.from({ secretsByRequester: { 'shop-a': [secret(2), leaked] } })).toThrow(
      /^RefundModule option webhooks\.secretsByRequester\.shop-a\.1 must be "whsec_"/,
    );
    expect(() => WebhookSecrets.from({ secret: leaked })).toThrow(/^RefundModule option webhooks\.secret must/);
    try {
      WebhookSecrets.from({ secret: leaked });
    } catch (error) {
      expect((error as Error).message).not.toContain(leaked);
    }
  });
});
