import { MikroORM } from '@mikro-orm/core';
import { Logger } from '@nestjs/common';

import { Clock, GatewayRegistry, describeError } from '@refundhub/core';

import { databaseGaugesRegistry } from './database-gauges';
import type { HostMetrics } from './host-metrics';
import { RefundGaugeReadings, readRefundGauges } from './refund-gauge-readings';

/** A scrape must answer while the database hangs: past this, its gauges are left out. */
export const DEFAULT_DATABASE_READ_TIMEOUT_MS = 5_000;

/** One scrape in the Prometheus text format, with its content type. */
export interface MetricsScrape {
  contentType: string;
  body: string;
}

export interface RefundMetricsDeps {
  metrics: HostMetrics;
  orm: MikroORM;
  clock: Clock;
  gateways: GatewayRegistry;
  databaseReadTimeoutMs?: number;
}

/**
 * Answers a scrape: the application's counters and histograms, and the gauges read from the database
 * at that moment. A failed or slow read leaves those gauges out and says so
 * (`refundhub_metrics_database_up 0`); the scrape itself still answers.
 */
export class RefundMetrics {
  private readonly logger = new Logger(RefundMetrics.name);
  private readonly readTimeoutMs: number;
  /** The read under way: scrapes that arrive meanwhile (several Prometheus servers) share it. */
  private reading: Promise<RefundGaugeReadings | null> | null = null;

  constructor(private readonly deps: RefundMetricsDeps) {
    this.readTimeoutMs = deps.databaseReadTimeoutMs ?? DEFAULT_DATABASE_READ_TIMEOUT_MS;
  }

  get contentType(): string {
    return this.deps.metrics.registry.contentType;
  }

  async scrape(): Promise<MetricsScrape> {
    const { metrics, clock, gateways } = this.deps;
    this.reading ??= this.read().finally(() => (this.reading = null));
    const readings = await this.reading;
    metrics.databaseUp.set(readings ? 1 : 0);
    const own = await metrics.registry.metrics();
    const database = readings
      ? await databaseGaugesRegistry({ readings, gateways: gateways.ids(), now: clock.now() }).metrics()
      : '';
    return { contentType: this.contentType, body: own + database };
  }

  private async read(): Promise<RefundGaugeReadings | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.readTimeoutMs} ms`)), this.readTimeoutMs);
    });
    try {
      return await Promise.race([readRefundGauges(this.deps.orm), timeout]);
    } catch (error) {
      this.deps.metrics.databaseReadErrors.inc();
      this.logger.warn(`Metrics: the database-backed gauges could not be read: ${describeError(error)}`);
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}
