import { configuredSecrets } from './configured-secrets';
import { scrubSecrets } from './secret-scrubber';

const PEM = [
  '-----BEGIN PRIVATE KEY-----',
  'MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBAL',
  'QwSBn5C5nqW1b3aZ7uYqR2y0h4nJ8gDe3ZpPq1uXfLw2cV6b',
  '-----END PRIVATE KEY-----',
].join('\n');

describe('configuredSecrets', () => {
  it('finds every credential in a configuration, and each line of a PEM', () => {
    const secrets = configuredSecrets({
      api: { keys: [{ name: 'shop', sha256: 'a'.repeat(64), webhookSecret: 'whsec_abcdefgh' }], port: 3000 },
      gateways: {
        leshua: {
          notifyKey: 'notify',
          merchants: { '0000000018': { tradeKey: 'TRADEKEY01', notifyKey: 'NOTIFY0001' } },
        },
        umf: { merchants: { '30000101': { privateKey: PEM, proxyId: '0025' } } },
      },
      webhooks: { secret: ['whsec_one_1234', 'whsec_two_1234'] },
      database: { driver: 'postgresql', password: 'db-password', host: 'db.internal' },
    });

    expect(secrets.sort()).toEqual(
      [
        'a'.repeat(64),
        'whsec_abcdefgh',
        'TRADEKEY01',
        'NOTIFY0001',
        PEM,
        'MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBAL',
        'QwSBn5C5nqW1b3aZ7uYqR2y0h4nJ8gDe3ZpPq1uXfLw2cV6b',
        'whsec_one_1234',
        'whsec_two_1234',
        'db-password',
      ].sort(),
    );
  });
});

describe('scrubSecrets', () => {
  const scrubbed = (line: string, secrets: string[]) => {
    const lines: string[] = [];
    scrubSecrets({ write: (text) => lines.push(text) }, secrets).write(line);
    return lines[0];
  };

  it('replaces a secret anywhere in a line, as it is or as JSON escapes it', () => {
    const line = `${JSON.stringify({ msg: `signed with TRADEKEY01 and ${PEM}`, other: 'x TRADEKEY01' })}\n`;

    const out = scrubbed(line, configuredSecrets({ tradeKey: 'TRADEKEY01', privateKey: PEM }));

    expect(out).not.toContain('TRADEKEY01');
    expect(out).not.toContain('MIICdgIBADANBgkq');
    expect(JSON.parse(out)).toEqual({ msg: 'signed with [redacted] and [redacted]', other: 'x [redacted]' });
  });

  it('leaves a line without secrets as it is', () => {
    expect(scrubbed('{"msg":"hello"}\n', ['TRADEKEY01'])).toBe('{"msg":"hello"}\n');
  });
});
