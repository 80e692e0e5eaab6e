import type { RefundWebhookOptions } from '../refund-module.options';
import { webhookSecretKey, webhookSecretProblem } from './webhook-signature';

/**
 * The keys that sign a refund's webhooks, by the name the refund was requested under (an API key's
 * name): that requester's own secrets, else the common ones. Several secrets sign together during a
 * rotation. Secrets are checked when the module starts, and never appear in a message.
 */
export class WebhookSecrets {
  private constructor(
    private readonly common: readonly Buffer[],
    private readonly byRequester: ReadonlyMap<string, readonly Buffer[]>,
  ) {}

  static from(options: RefundWebhookOptions = {}): WebhookSecrets {
    const keysOf = (path: string, value: string | readonly string[] | null | undefined): Buffer[] => {
      const list = value === null || value === undefined ? [] : typeof value === 'string' ? [value] : [...value];
      return list.map((secret, i) => {
        const problem = webhookSecretProblem(secret);
        if (problem)
          throw new Error(`RefundModule option ${path}${typeof value === 'string' ? '' : `.${i}`} ${problem}`);
        return webhookSecretKey(secret);
      });
    };
    const byRequester = new Map<string, Buffer[]>();
    for (const [name, secrets] of Object.entries(options.secretsByRequester ?? {})) {
      const keys = keysOf(`webhooks.secretsByRequester.${name}`, secrets);
      if (keys.length) byRequester.set(name, keys);
    }
    return new WebhookSecrets(keysOf('webhooks.secret', options.secret), byRequester);
  }

  /** The keys for a refund requested under `requestedBy`; empty when nothing can sign its webhooks. */
  keysFor(requestedBy: string | null): readonly Buffer[] {
    return (requestedBy !== null ? this.byRequester.get(requestedBy) : undefined) ?? this.common;
  }

  canSign(requestedBy: string | null): boolean {
    return this.keysFor(requestedBy).length > 0;
  }
}
