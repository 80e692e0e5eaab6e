import { validateOperatorConfig } from './operator-config.validate';
import { captureConfigError } from './testing/capture-config-error';

const LESHUA = { baseUrl: 'sandbox', merchants: { '0000000018': { tradeKey: 't', notifyKey: 'n' } } };
const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const key = (extra: Record<string, unknown> = {}) => ({
  name: 'shop-a',
  sha256: 'a'.repeat(64),
  merchants: ['*'],
  ...extra,
});

function validate(raw: Record<string, unknown>, env: Record<string, string> = {}) {
  return validateOperatorConfig({ gateways: { leshua: LESHUA }, ...raw }, { source: 'test.yaml', env });
}

function problemsOf(raw: Record<string, unknown>, env: Record<string, string> = {}): readonly string[] {
  return captureConfigError(() => validate(raw, env)).problems;
}

describe('webhooks configuration', () => {
  it('defaults to no secret, no private targets, a round every second', () => {
    expect(validate({}).webhooks).toEqual({ allowPrivateTargets: false, intervalMs: 1000 });
  });

  it('reads secrets from the environment, one or a list, for the whole API and per key', () => {
    const sut = validate(
      {
        api: { keys: [key({ webhookSecret: ['${NEW_SECRET}', SECRET] })] },
        webhooks: { secret: '${COMMON_SECRET}', allowPrivateTargets: 'true' },
      },
      { NEW_SECRET: SECRET, COMMON_SECRET: SECRET },
    );
    expect(sut.webhooks).toEqual({ secret: [SECRET], allowPrivateTargets: true, intervalMs: 1000 });
    expect(sut.api.keys[0].webhookSecret).toEqual([SECRET, SECRET]);
  });

  it('names every malformed secret by its path, and never repeats it', () => {
    const leaked = 'sk_live_this_is_not_a_webhook_secret';
    const short = `whsec_${Buffer.alloc(8).toString('base64')}`;
    const error = captureConfigError(() =>
      validate({
        api: {
          keys: [
            key({ webhookSecret: leaked }),
            key({ name: 'b', sha256: 'b'.repeat(64), webhookSecret: [SECRET, short] }),
          ],
        },
        webhooks: { secret: 'whsec_not base64!', allowPrivateTargets: 'sometimes' },
      }),
    );
    expect(error.problems).toEqual([
      expect.stringMatching(/^api\.keys\.0\.webhookSecret: must be "whsec_" followed by the key in base64/),
      'api.keys.1.webhookSecret.1: must hold a key of at least 24 bytes (32 base64 characters after "whsec_")',
      expect.stringMatching(/^webhooks\.secret: must be "whsec_" followed by the key in base64/),
      'webhooks.allowPrivateTargets: expected a boolean, got a string',
    ]);
    expect(error.message).not.toContain(leaked);
    expect(error.message).not.toContain(short);
  });

  it('refuses a secret that is neither a string nor a list, an empty list, and unknown keys', () => {
    expect(problemsOf({ webhooks: { secret: 42, retries: 3 } })).toEqual([
      'webhooks.secret: expected a "whsec_..." secret, or a list of them while a secret is rotated',
      'webhooks.retries: unknown key',
    ]);
    expect(problemsOf({ webhooks: { secret: [] } })).toEqual(['webhooks.secret: must have at least 1 entry']);
  });

  it('keeps API key names within the 64 characters a refund records', () => {
    expect(problemsOf({ api: { keys: [key({ name: 'k'.repeat(65) })] } })).toEqual([
      'api.keys.0.name: must have at most 64 characters',
    ]);
  });
});
