/**
 * What the scheduler fleet's parts say to each other: a scheduler instance's configuration and IPC
 * commands and replies (`fleet-scheduler.worker.ts`), and the fleet gateway's counts
 * (`bench/lib/fleet-gateway.js`). Types only, so that every side may import it.
 */
import type { RefundDatabaseOptions, RefundSyncOptions } from '@refundhub/core';

/** One scheduler instance, passed as JSON in `REFUNDHUB_FLEET_SCHEDULER`. */
export interface FleetSchedulerConfig {
  /** Names the process in logs and in the gateway's `byCaller` counts. */
  name: string;
  /** A migrated database (PostgreSQL, or a SQLite file the instances share): the instance never migrates. */
  database: RefundDatabaseOptions;
  /** Where the fleet gateway listens. */
  gatewayUrl: string;
  /** The merchant every refund belongs to; its credentials are configured. */
  merchantId: string;
  sync: RefundSyncOptions;
  /** After a round found nothing due, the loop waits this long before the next: the scheduler's interval. */
  idleMs: number;
}

/** What one instance did between `start` and `stop`, by its own count. */
export interface FleetSchedulerTally {
  rounds: number;
  /** Refunds its rounds claimed. */
  claimed: number;
  finished: number;
  errors: number;
  limited: number;
}

export type FleetCommand =
  { seq: number; type: 'start' } | { seq: number; type: 'stop' } | { seq: number; type: 'close' };

export type FleetReply =
  | { type: 'ready'; pid: number }
  | { seq: number; type: 'started' }
  | { seq: number; type: 'stopped'; tally: FleetSchedulerTally }
  | { seq: number; type: 'closed' }
  | { seq: number; type: 'error'; message: string }
  | { type: 'fatal'; message: string };

/** `GET /control/stats` of the fleet gateway. */
export interface FleetGatewayStats {
  /** Refunds it was seeded with. */
  refunds: number;
  /** Every `POST /query` received. */
  queries: number;
  /** Queries about a refund it was not seeded with. */
  notFound: number;
  /** Seeded refunds it has answered SUCCEEDED. */
  settled: number;
  /** The most queries in flight at once, all refunds together. */
  maxInFlight: number;
  /** The most queries of one refund in flight at once. */
  maxInFlightPerRefund: number;
  /** How many seeded refunds were queried how many times: `{ '3': 2000 }`. */
  queriesPerRefund: Record<string, number>;
  /** Refunds (at most 20) that had two queries in flight at once. */
  overlapping: string[];
  /** Refunds (at most 20) queried another number of times than `expectQueries`. */
  unexpected: Array<{ refundNo: string; queries: number }>;
  /** Queries per `x-fleet-caller`. */
  byCaller: Record<string, number>;
  firstQueryAt: number | null;
  lastAnswerAt: number | null;
}
