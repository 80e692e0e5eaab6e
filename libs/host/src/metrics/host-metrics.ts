import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

import { PrometheusRefundObserver } from './prometheus-refund-observer';

/**
 * The Prometheus registry of one application: the process metrics, the core's observations, and the
 * health of the database reads behind the gauges. Never prom-client's global registry, so that
 * several applications in one process (tests) each count their own.
 */
export class HostMetrics {
  readonly registry = new Registry();
  readonly observer = new PrometheusRefundObserver(this.registry);
  readonly databaseUp = new Gauge({
    name: 'refundhub_metrics_database_up',
    help: '1 when this scrape read the database-backed gauges, 0 when it could not (they are then left out).',
    registers: [this.registry],
  });
  readonly databaseReadErrors = new Counter({
    name: 'refundhub_metrics_database_read_errors_total',
    help: 'Scrapes that could not read the database-backed gauges.',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
