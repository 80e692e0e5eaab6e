import type { GatewaySyncOptions, RefundSyncOptions } from '@refundhub/core';

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
