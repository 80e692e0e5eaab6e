import { Registry, collectDefaultMetrics } from 'prom-client';

let processRegistry: Registry | undefined;

/**
 * The process metrics (CPU, memory, event loop lag, GC), registered once per process: each
 * registration starts an event-loop monitor and a GC observer that are never stopped, so one per
 * application would pile up in a process that starts many (tests).
 */
export function processMetricsRegistry(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}
