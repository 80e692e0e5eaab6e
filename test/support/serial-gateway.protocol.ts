/**
 * What the parent test and a serial-gateway worker (`serial-gateway.worker.ts`) say to each other: the
 * worker's environment, and the IPC commands and replies. No side effects and no runtime imports, so
 * both sides may import it.
 */
import type { RefundDatabaseOptions, SyncRoundResult } from '@refundhub/core';

/** The gateway a worker runs, and how it reaches it. */
export type WorkerGatewayConfig =
  /** The test adapter of `serial-gateway.adapter.ts`, against `serial-gateway.server.ts`; merchant `m1`. */
  | { gateway: 'serial'; baseUrl: string }
  /** The real `BaofooModule` (`@refundhub/baofoo`), against a `BaofooSandbox`. */
  | {
      gateway: 'baofoo';
      baseUrl: string;
      /** The sandbox's public key (SPKI PEM): verifies its answers. */
      platformPublicKey: string;
      /** `BaofooModule`'s per-call HTTP timeout. */
      timeoutMs: number;
      /** Merchant credentials by `merId` (`gateways.baofoo.merchants`). */
      merchants: Readonly<Record<string, { terId: string; privateKey: string }>>;
    };

export interface WorkerConfig {
  /** A name for logs. */
  name: string;
  /** A migrated database (PostgreSQL, or a SQLite file the workers share): the worker never migrates. */
  database: RefundDatabaseOptions;
  gateway: WorkerGatewayConfig;
}

/** The worker's environment variables. */
const ENV = {
  name: 'REFUNDHUB_SERIAL_WORKER',
  database: 'REFUNDHUB_SERIAL_DATABASE',
  gateway: 'REFUNDHUB_SERIAL_GATEWAY',
  gatewayUrl: 'REFUNDHUB_SERIAL_GATEWAY_URL',
  timeoutMs: 'REFUNDHUB_SERIAL_GATEWAY_TIMEOUT_MS',
  platformPublicKey: 'REFUNDHUB_SERIAL_BAOFOO_PLATFORM_KEY',
  merchants: 'REFUNDHUB_SERIAL_BAOFOO_MERCHANTS',
} as const;

/** The environment that hands `config` to a worker. */
export function workerEnvironment(config: WorkerConfig): Record<string, string> {
  const env: Record<string, string> = {
    [ENV.name]: config.name,
    [ENV.database]: JSON.stringify(config.database),
    [ENV.gateway]: config.gateway.gateway,
    [ENV.gatewayUrl]: config.gateway.baseUrl,
  };
  if (config.gateway.gateway === 'baofoo') {
    env[ENV.timeoutMs] = String(config.gateway.timeoutMs);
    env[ENV.platformPublicKey] = config.gateway.platformPublicKey;
    env[ENV.merchants] = JSON.stringify(config.gateway.merchants);
  }
  return env;
}

/** The worker's side of {@link workerEnvironment}; throws naming a missing or wrong variable. */
export function readWorkerEnvironment(env: NodeJS.ProcessEnv): WorkerConfig {
  const required = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const name = required(ENV.name);
  const database = JSON.parse(required(ENV.database)) as RefundDatabaseOptions;
  const baseUrl = required(ENV.gatewayUrl);
  const gateway = env[ENV.gateway] ?? 'serial';
  switch (gateway) {
    case 'serial':
      return { name, database, gateway: { gateway, baseUrl } };
    case 'baofoo': {
      const timeoutMs = Number(required(ENV.timeoutMs));
      if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) throw new Error(`${ENV.timeoutMs} must be positive`);
      const merchants = JSON.parse(required(ENV.merchants)) as Record<string, { terId: string; privateKey: string }>;
      return {
        name,
        database,
        gateway: { gateway, baseUrl, timeoutMs, platformPublicKey: required(ENV.platformPublicKey), merchants },
      };
    }
    default:
      throw new Error(`${ENV.gateway} must be serial or baofoo, got '${gateway}'`);
  }
}

/** Refunds of one order to request at once, each with its own refund number. */
export interface RefundBatch {
  merchantId: string;
  order: {
    merchantOrderNo: string;
    totalAmount: number;
    /** ISO 8601 (IPC carries JSON): required by Baofoo. */
    paidAt?: string;
  };
  /** Required by Baofoo (`refundReason`). */
  reason?: string;
  refunds: Array<{ refundNo: string; amount: number }>;
}

/** What the parent asks. */
export type WorkerCommand =
  | ({ seq: number; type: 'request' } & RefundBatch)
  | { seq: number; type: 'sync-round' }
  | { seq: number; type: 'close' };

/** One refund's answer to `request`. */
export interface RequestedRefund {
  refundNo: string;
  /** The answer of `RefundService.request`, or the error it threw. */
  answer: { id: string; created: boolean; status: string; failureCode: string | null } | { error: string };
}

/** What the worker says. */
export type WorkerReply =
  | { type: 'ready'; pid: number }
  | { seq: number; type: 'requested'; refunds: RequestedRefund[] }
  | { seq: number; type: 'synced'; round: SyncRoundResult }
  | { seq: number; type: 'closed' }
  | { seq: number; type: 'error'; message: string }
  | { type: 'fatal'; message: string };
