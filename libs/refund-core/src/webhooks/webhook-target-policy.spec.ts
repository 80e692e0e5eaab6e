import { ResolvedAddress, WebhookHostResolver } from './webhook-host-resolver';
import { WebhookSettings } from './webhook-settings';
import { WebhookTargetPolicy } from './webhook-target-policy';

/** A resolver that answers from a table, and counts what it was asked. */
class TableResolver extends WebhookHostResolver {
  readonly asked: string[] = [];
  constructor(private readonly table: Record<string, ResolvedAddress[] | Error>) {
    super();
  }
  async resolve(hostname: string): Promise<ResolvedAddress[]> {
    this.asked.push(hostname);
    const found = this.table[hostname];
    if (found === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    if (found instanceof Error) throw found;
    return found;
  }
}

const v4 = (address: string): ResolvedAddress => ({ address, family: 4 });
const v6 = (address: string): ResolvedAddress => ({ address, family: 6 });

const PUBLIC_ADDRESSES = [v4('93.184.216.34'), v6('2606:2800:220:1:248:1893:25c8:1946')];

const RESOLVER = new TableResolver({
  'hooks.example.com': PUBLIC_ADDRESSES,
  localhost: [v4('127.0.0.1'), v6('::1')],
  'internal.example.com': [v4('10.0.0.7')],
  'metadata.example.com': [v4('169.254.169.254')],
  'ula.example.com': [v6('fd00::5')],
  'mixed.example.com': [v4('93.184.216.34'), v4('192.168.0.10')],
  'mapped.example.com': [v6('::ffff:127.0.0.1')],
  'empty.example.com': [],
});

function policy(allowPrivateTargets = false, resolver: WebhookHostResolver = RESOLVER): WebhookTargetPolicy {
  return new WebhookTargetPolicy(WebhookSettings.from({ allowPrivateTargets }), resolver);
}

describe(WebhookTargetPolicy.name, () => {
  describe('at request time (no lookup)', () => {
    it.each([
      ['http://127.0.0.1:8080/hooks', 'loopback', '127.0.0.1'],
      ['https://10.0.0.1/hooks', 'private', '10.0.0.1'],
      ['http://[::1]/hooks', 'loopback', '::1'],
      ['http://[fd00::1]/hooks', 'unique-local', 'fd00::1'],
      ['http://[fe80::1]/hooks', 'link-local', 'fe80::1'],
      ['http://169.254.169.254/latest/meta-data', 'link-local', '169.254.169.254'],
      // The URL parser reads these as 127.0.0.1, and so would the HTTP client.
      ['http://2130706433/hooks', 'loopback', '127.0.0.1'],
      ['http://0x7f.1/hooks', 'loopback', '127.0.0.1'],
      ['http://[::ffff:127.0.0.1]/hooks', 'loopback (IPv4-mapped)', '::ffff:7f00:1'],
    ])('refuses %s as a %s address', (url, range, address) => {
      expect(policy().problemOf(url)).toBe(
        `must not point at a ${range} address (${address}); webhooks go to public addresses only`,
      );
    });

    it('takes names and public addresses as they are (names are resolved at delivery)', () => {
      expect(policy().problemOf('https://hooks.example.com/refunds?token=x')).toBeNull();
      expect(policy().problemOf('http://localhost:3000/hooks')).toBeNull();
      expect(policy().problemOf('https://93.184.216.34/hooks')).toBeNull();
    });

    it('wants http(s) whatever the settings', () => {
      expect(policy().problemOf('ftp://hooks.example.com/x')).toBe('must be an http(s) URL');
      expect(policy(true).problemOf('file:///etc/passwd')).toBe('must be an http(s) URL');
      expect(policy(true).problemOf('not a url')).toBe('must be an http(s) URL');
    });

    it('lets private addresses through when they are allowed', () => {
      expect(policy(true).problemOf('http://127.0.0.1:8080/hooks')).toBeNull();
    });
  });

  describe('at delivery time', () => {
    it('connects only to the checked addresses of a public name', async () => {
      expect(await policy().check('https://hooks.example.com/refunds')).toEqual({
        allowed: true,
        addresses: PUBLIC_ADDRESSES,
      });
    });

    it.each([
      ['localhost', '127.0.0.1', 'loopback'],
      ['internal.example.com', '10.0.0.7', 'private'],
      ['metadata.example.com', '169.254.169.254', 'link-local'],
      ['ula.example.com', 'fd00::5', 'unique-local'],
      ['mapped.example.com', '::ffff:127.0.0.1', 'loopback (IPv4-mapped)'],
      // One address that is not public is enough: the client could connect to any of them.
      ['mixed.example.com', '192.168.0.10', 'private'],
    ])('refuses %s, which resolves to %s (%s), for good', async (host, address, range) => {
      expect(await policy().check(`https://${host}/hooks`)).toEqual({
        allowed: false,
        reason: `target refused: ${host} resolves to ${address}, a ${range} address (webhooks go to public addresses only)`,
        final: true,
      });
    });

    it('refuses a literal private address without a lookup', async () => {
      const resolver = new TableResolver({});
      expect(await policy(false, resolver).check('http://127.0.0.1:1/x')).toMatchObject({
        allowed: false,
        final: true,
      });
      expect(resolver.asked).toEqual([]);
    });

    it('takes a name that does not resolve now as a failure to retry, not a refusal', async () => {
      expect(await policy().check('https://gone.example.com/hooks')).toEqual({
        allowed: false,
        reason: 'cannot resolve gone.example.com: ENOTFOUND',
        final: false,
      });
      expect(await policy().check('https://empty.example.com/hooks')).toMatchObject({ allowed: false, final: false });
    });

    it('resolves nothing itself when private targets are allowed: the client connects as usual', async () => {
      const resolver = new TableResolver({});
      expect(await policy(true, resolver).check('http://localhost:8080/hooks')).toEqual({
        allowed: true,
        addresses: null,
      });
      expect(resolver.asked).toEqual([]);
    });
  });
});
