import { lookup } from 'node:dns/promises';

/** One address a host name resolved to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Resolves the host of a webhook URL at delivery time, so that every address it names can be
 * checked before anything is sent. Injectable: tests (and hosts with their own DNS) replace it.
 */
export abstract class WebhookHostResolver {
  /** Every address of `hostname`; throws when it cannot be resolved (a delivery to retry later). */
  abstract resolve(hostname: string): Promise<ResolvedAddress[]>;
}

/** The system's resolver (getaddrinfo: /etc/hosts, then DNS), as the HTTP client would use it. */
export class SystemWebhookHostResolver extends WebhookHostResolver {
  async resolve(hostname: string): Promise<ResolvedAddress[]> {
    const found = await lookup(hostname, { all: true, verbatim: true });
    return found.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
  }
}
