import type { GatewaySyncOptions, RefundModuleOptions, RefundSyncOptions, RefundWebhookOptions } from '@refundhub/core';

import type { OperatorConfig } from './config';

/** The merchants' secrets, as each gateway reads them: the host's own settings (rate limits) stay out. */
export function credentialsOf(config: OperatorConfig): Record<string, Record<string, Record<string, unknown>>> {
  const credentials: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const [gateway, settings] of Object.entries(config.gateways)) {
    if (!settings) continue;
    credentials[gateway] = Object.fromEntries(
      Object.entries(settings.merchants).map(([merchantId, merchant]) => {
        const { rateLimitPerSecond: _limit, ...secrets } = merchant;
        return [merchantId, secrets];
      }),
    );
  }
  return credentials;
}

/** The sync loop's settings: the scheduler's, each gateway's own schedule and concurrency, the merchants' rate limits. */
export function syncOptionsOf(config: OperatorConfig): RefundSyncOptions {
  const gateways: Record<string, GatewaySyncOptions> = {};
  const rateLimitPerSecond: Record<string, Record<string, number>> = {};
  for (const [gateway, settings] of Object.entries(config.gateways)) {
    if (!settings) continue;
    if (settings.sync) gateways[gateway] = { backoffMs: settings.sync.backoff, concurrency: settings.sync.concurrency };
    for (const [merchantId, merchant] of Object.entries(settings.merchants)) {
      const rate = merchant['rateLimitPerSecond'];
      if (typeof rate === 'number') (rateLimitPerSecond[gateway] ??= {})[merchantId] = rate;
    }
  }
  const { scheduler } = config;
  return {
    batchSize: scheduler.batchSize,
    concurrencyPerGateway: scheduler.concurrencyPerGateway,
    requestedGraceMs: scheduler.requestedGraceMs,
    backoffMs: scheduler.backoff,
    jitter: scheduler.jitter,
    exhaustAfterMs: scheduler.exhaustAfter,
    gateways,
    rateLimitPerSecond,
  };
}

/**
 * The webhooks' settings: the common secret, each API key's own (by the key's name, which the API
 * records with every refund the key requests), and whether private targets are allowed.
 */
export function webhookOptionsOf(config: OperatorConfig): RefundWebhookOptions {
  const secretsByRequester: Record<string, string[]> = {};
  for (const key of config.api.keys) if (key.webhookSecret) secretsByRequester[key.name] = key.webhookSecret;
  return {
    secret: config.webhooks.secret ?? null,
    secretsByRequester,
    allowPrivateTargets: config.webhooks.allowPrivateTargets,
  };
}

/** What the core waits for a gateway call beyond the gateway's own HTTP timeout before it calls the outcome unknown. */
const GATEWAY_CALL_MARGIN_MS = 5_000;

/**
 * The core's bound on one gateway call: the longest configured gateway timeout plus a margin, so
 * a gateway module always reports its own timeout first. Claims last twice this, so the refunds
 * of a process that died come back after about twice the slowest gateway's timeout.
 */
export function gatewayCallTimeoutOf(config: OperatorConfig): number {
  const timeouts = Object.values(config.gateways).flatMap((settings) => (settings ? [settings.timeoutMs] : []));
  return Math.max(0, ...timeouts) + GATEWAY_CALL_MARGIN_MS;
}

/**
 * `RefundModule`'s options from the operator configuration, for a host app's
 * `RefundModule.forRootAsync({ inject: [ConfigService], useFactory: (c) => refundModuleOptionsOf(operatorConfigOf(c).config) })`.
 */
export function refundModuleOptionsOf(
  config: OperatorConfig,
  extra: Pick<RefundModuleOptions, 'observer' | 'clock'> = {},
): RefundModuleOptions {
  return {
    credentials: credentialsOf(config),
    notifyBaseUrl: config.api.publicUrl ?? null,
    gatewayCallTimeoutMs: gatewayCallTimeoutOf(config),
    sync: syncOptionsOf(config),
    outbox: { maxAttempts: config.outbox.maxAttempts },
    webhooks: webhookOptionsOf(config),
    ...extra,
  };
}
