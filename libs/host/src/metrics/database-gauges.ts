import { Gauge, Registry } from 'prom-client';

import { ATTENTION_REASONS, REFUND_STATUSES } from '@refundhub/core';

import type { RefundGaugeReadings } from './refund-gauge-readings';

/**
 * The database-backed gauges of one scrape, on a registry of their own: when the database cannot be
 * read they are left out whole, rather than shown as zeros that would look true. Every configured
 * gateway gets every status and attention reason, zero when it has none, so its series never vanish.
 */
export function databaseGaugesRegistry(input: {
  readings: RefundGaugeReadings;
  gateways: readonly string[];
  now: Date;
}): Registry {
  const { readings, gateways, now } = input;
  const registry = new Registry();
  const registers = [registry];

  const refunds = new Gauge({
    name: 'refundhub_refunds',
    help: 'Refunds in the database, by gateway and status.',
    labelNames: ['gateway', 'status'],
    registers,
  });
  for (const gateway of gateways) for (const status of REFUND_STATUSES) refunds.set({ gateway, status }, 0);
  for (const { gateway, status, count } of readings.refunds) refunds.set({ gateway, status }, count);

  const oldest = new Gauge({
    name: 'refundhub_oldest_unfinished_refund_age_seconds',
    help: 'Age of the oldest unfinished (REQUESTED, PROCESSING, UNKNOWN) refund, by gateway; 0 when none is unfinished.',
    labelNames: ['gateway'],
    registers,
  });
  for (const gateway of gateways) oldest.set({ gateway }, 0);
  for (const { gateway, createdAt } of readings.oldestUnfinished) {
    oldest.set({ gateway }, Math.max(0, (now.getTime() - createdAt.getTime()) / 1000));
  }

  const attention = new Gauge({
    name: 'refundhub_refunds_needing_attention',
    help: 'Refunds flagged for a person, by gateway and reason.',
    labelNames: ['gateway', 'reason'],
    registers,
  });
  for (const gateway of gateways) for (const reason of ATTENTION_REASONS) attention.set({ gateway, reason }, 0);
  for (const { gateway, reason, count } of readings.needingAttention) attention.set({ gateway, reason }, count);

  new Gauge({
    name: 'refundhub_outbox_pending_events',
    help: 'Outbox events waiting to be delivered to every listener.',
    registers,
  }).set(readings.outboxPending);
  new Gauge({
    name: 'refundhub_outbox_set_aside_events',
    help: 'Outbox events set aside after a listener failed too often.',
    registers,
  }).set(readings.outboxSetAside);
  new Gauge({
    name: 'refundhub_webhook_deliveries_given_up',
    help: 'Webhook deliveries given up (their schedule ran out, the target is refused, or nothing can sign them).',
    registers,
  }).set(readings.webhooksGivenUp);
  return registry;
}
