export { HostMetrics } from './host-metrics';
export { DEFAULT_DATABASE_READ_TIMEOUT_MS, RefundMetrics } from './refund-metrics';
export type { MetricsScrape, RefundMetricsDeps } from './refund-metrics';
export { PrometheusRefundObserver, notificationLabel } from './prometheus-refund-observer';
export { readRefundGauges } from './refund-gauge-readings';
export type { RefundGaugeReadings } from './refund-gauge-readings';
