import { Counter, Gauge, Registry } from 'prom-client';

import { processMetricsRegistry } from './process-metrics';
import { PrometheusRefundObserver } from './prometheus-refund-observer';

/**
 * The Prometheus registry of one application: the process metrics, the core's observations, and the
 * health of the database reads behind the gauges. Never prom-client's global registry, so that
 * several applications in one process (tests) each count their own. The process metrics are the
 * process's, shared by every application in it.
 */
export class HostMetrics {
  private readonly own = new Registry();
  readonly observer = new PrometheusRefundObserver(this.own);
  readonly databaseUp = new Gauge({
    name: 'refundhub_metrics_database_up',
    help: '1 when this scrape read the database-backed gauges, 0 when it could not (they are then left out).',
    registers: [this.own],
  });
  readonly databaseReadErrors = new Counter({
    name: 'refundhub_metrics_database_read_errors_total',
    help: 'Scrapes that could not read the database-backed gauges.',
    registers: [this.own],
  });

  /** This application's metrics and the process's, as one registry to scrape. */
  readonly registry = Registry.merge([this.own, processMetricsRegistry()]);
}
