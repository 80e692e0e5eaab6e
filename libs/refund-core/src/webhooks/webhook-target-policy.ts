import { Injectable } from '@nestjs/common';

import { ipLiteralOf, nonPublicRangeOf } from './private-address';
import { ResolvedAddress, WebhookHostResolver } from './webhook-host-resolver';
import { WebhookSettings } from './webhook-settings';

/** Where a delivery may go now: the checked addresses to connect to, or why not. */
export type TargetVerdict =
  /** `addresses` null: private targets are allowed, connect as the system resolves the host. */
  | { allowed: true; addresses: readonly ResolvedAddress[] | null }
  /** `final`: the target itself is refused (no retry); otherwise the host could not be resolved now. */
  | { allowed: false; reason: string; final: boolean };

/**
 * Which webhook URLs refundhub may call. Only http(s); and unless `allowPrivateTargets`, never an
 * address that is loopback, private, link-local, unique-local or otherwise not public: a webhook URL
 * is chosen by the API's caller, and must not become a way to reach the services beside refundhub
 * (its database, the cloud's metadata endpoint). A name is resolved at delivery time and every one
 * of its addresses is checked; the transport then connects only to those addresses, so a name that
 * resolves differently a moment later cannot slip through.
 */
@Injectable()
export class WebhookTargetPolicy {
  constructor(
    private readonly settings: WebhookSettings,
    private readonly resolver: WebhookHostResolver,
  ) {}

  /** What is wrong with a notify URL as it is given (scheme, a literal address), or null; no lookup. */
  problemOf(url: string): string | null {
    const parsed = URL.canParse(url) ? new URL(url) : null;
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) return 'must be an http(s) URL';
    if (this.settings.allowPrivateTargets) return null;
    const literal = ipLiteralOf(parsed.hostname);
    const range = literal === null ? null : nonPublicRangeOf(literal);
    return range === null
      ? null
      : `must not point at a ${range} address (${literal}); webhooks go to public addresses only`;
  }

  /** Resolves the URL's host now and checks every address it has. */
  async check(url: string): Promise<TargetVerdict> {
    const problem = this.problemOf(url);
    if (problem) return { allowed: false, reason: `notifyUrl ${problem}`, final: true };
    if (this.settings.allowPrivateTargets) return { allowed: true, addresses: null };
    const { hostname } = new URL(url);
    const literal = ipLiteralOf(hostname);
    let addresses: ResolvedAddress[];
    if (literal !== null) {
      addresses = [{ address: literal, family: literal.includes(':') ? 6 : 4 }];
    } else {
      try {
        addresses = await this.resolver.resolve(hostname);
      } catch (error) {
        return { allowed: false, reason: `cannot resolve ${hostname}: ${errorText(error)}`, final: false };
      }
      if (addresses.length === 0) return { allowed: false, reason: `${hostname} has no address`, final: false };
    }
    for (const { address } of addresses) {
      const range = nonPublicRangeOf(address);
      if (range !== null) {
        return {
          allowed: false,
          reason: `target refused: ${hostname} resolves to ${address}, a ${range} address (webhooks go to public addresses only)`,
          final: true,
        };
      }
    }
    return { allowed: true, addresses };
  }
}

function errorText(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}
