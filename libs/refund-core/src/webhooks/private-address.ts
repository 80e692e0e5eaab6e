import { BlockList, isIP } from 'node:net';

/** An address range a webhook may not reach (unless private targets are allowed), and its name for people. */
interface NonPublicRange {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
  name: string;
}

/**
 * The IPv4 ranges that are not globally reachable (IANA's special-purpose registry): a webhook
 * aimed at one reaches the host itself, the local network or the cloud's metadata service.
 */
const IPV4_RANGES: readonly NonPublicRange[] = [
  { address: '0.0.0.0', prefix: 8, name: 'this network' },
  { address: '10.0.0.0', prefix: 8, name: 'private' },
  { address: '100.64.0.0', prefix: 10, name: 'shared (carrier-grade NAT)' },
  { address: '127.0.0.0', prefix: 8, name: 'loopback' },
  { address: '169.254.0.0', prefix: 16, name: 'link-local' },
  { address: '172.16.0.0', prefix: 12, name: 'private' },
  { address: '192.0.0.0', prefix: 24, name: 'IETF protocol assignments' },
  { address: '192.0.2.0', prefix: 24, name: 'documentation' },
  { address: '192.168.0.0', prefix: 16, name: 'private' },
  { address: '198.18.0.0', prefix: 15, name: 'benchmarking' },
  { address: '198.51.100.0', prefix: 24, name: 'documentation' },
  { address: '203.0.113.0', prefix: 24, name: 'documentation' },
  { address: '224.0.0.0', prefix: 4, name: 'multicast' },
  { address: '240.0.0.0', prefix: 4, name: 'reserved' },
].map((range) => ({ ...range, family: 'ipv4' as const }));

const IPV6_RANGES: readonly NonPublicRange[] = [
  { address: '::', prefix: 128, name: 'unspecified' },
  { address: '::1', prefix: 128, name: 'loopback' },
  // IPv4-compatible (deprecated): the low 32 bits are an IPv4 address.
  { address: '::', prefix: 96, name: 'IPv4-compatible' },
  { address: '64:ff9b:1::', prefix: 48, name: 'local-use NAT64' },
  { address: '100::', prefix: 64, name: 'discard-only' },
  // Teredo and 6to4 tunnel to an IPv4 address of their own choosing.
  { address: '2001::', prefix: 32, name: 'Teredo' },
  { address: '2001:db8::', prefix: 32, name: 'documentation' },
  { address: '2002::', prefix: 16, name: '6to4' },
  { address: 'fc00::', prefix: 7, name: 'unique-local' },
  { address: 'fe80::', prefix: 10, name: 'link-local' },
  { address: 'fec0::', prefix: 10, name: 'site-local' },
  { address: 'ff00::', prefix: 8, name: 'multicast' },
  // IPv4-mapped and NAT64 addresses reach the IPv4 address in their low 32 bits: the IPv4 ranges again.
  ...IPV4_RANGES.flatMap((range) => [
    { address: `::ffff:${range.address}`, prefix: 96 + range.prefix, name: `${range.name} (IPv4-mapped)` },
    { address: `64:ff9b::${range.address}`, prefix: 96 + range.prefix, name: `${range.name} (NAT64)` },
  ]),
].map((range) => ({ ...range, family: 'ipv6' as const }));

/** One list per range, so that a match can be named. Most specific first: `::1` before `::/96`. */
const MATCHERS: ReadonlyArray<{ range: NonPublicRange; list: BlockList }> = [...IPV4_RANGES, ...IPV6_RANGES]
  .sort((a, b) => b.prefix - a.prefix)
  .map((range) => {
    const list = new BlockList();
    list.addSubnet(range.address, range.prefix, range.family);
    return { range, list };
  });

/**
 * Why `address` (an IPv4 or IPv6 literal) is not a public address (`loopback`, `private`,
 * `link-local`, `unique-local`, ...), or null when it is one. Anything that is not an IP literal
 * counts as not public: a caller that cannot tell must not connect.
 */
export function nonPublicRangeOf(address: string): string | null {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const version = isIP(bare);
  if (version === 0) return 'not an IP address';
  const family = version === 4 ? 'ipv4' : 'ipv6';
  for (const { range, list } of MATCHERS) {
    if (range.family === family && list.check(bare, family)) return range.name;
  }
  return null;
}

/** The IP literal a URL's host is, without IPv6 brackets, or null for a name. */
export function ipLiteralOf(hostname: string): string | null {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) === 0 ? null : bare;
}
