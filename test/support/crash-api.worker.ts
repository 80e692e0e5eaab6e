/**
 * The standalone API (apps/api: `createApiApp` + `listenApi`) as a child process of
 * `test/crash-recovery.e2e-spec.ts`, which kills it with SIGKILL at each step of a refund. Forked with
 * `--require @swc-node/register`, which compiles this TypeScript and maps `@refundhub/core`,
 * `@refundhub/gateway-kit`, `@refundhub/host` and each gateway's main entry to the sources under libs/
 * through `crash-worker.tsconfig.json` (no sandbox entry is mapped: nothing here may import one; the
 * Leshua sandbox runs in the test process, so that it survives this one).
 *
 * Environment (see `crash-api.protocol.ts`): REFUNDHUB_CONFIG (the operator file the test wrote),
 * REFUNDHUB_CRASH_EVENTS_FILE, REFUNDHUB_CRASH_API_NAME, NODE_ENV=test and, for a run that must die at a
 * step, REFUNDHUB_CRASH_AT (read by the core's crash points).
 *
 * A listener of `refund.succeeded` and `refund.failed` appends one JSON line per event to the events
 * file, synchronously. It is registered before the app initialises, so that the outbox relay, which
 * starts with the app, never delivers an event this process has no listener for yet. Once listening,
 * the worker reports its URL over IPC; an error before or after is reported as `fatal` and ends the
 * process with exit code 1.
 */
import 'reflect-metadata';

import { appendFileSync } from 'node:fs';

import { EventEmitter2 } from '@nestjs/event-emitter';
import type { AnyRefundEvent } from '@refundhub/core';
import { loadOperatorConfig } from '@refundhub/host';

import { createApiApp, listenApi } from '../../apps/api/src/bootstrap';
import {
  CRASH_API_ENV,
  FINAL_EVENT_NAMES,
  type CrashApiMessage,
  type FinalEventLine,
  type FinalEventName,
} from './crash-api.protocol';

function send(message: CrashApiMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error('not started with an IPC channel'));
    process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

function explain(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** Reports the error to the parent (and stderr), then exits non-zero. */
function die(error: unknown): void {
  const message = explain(error);
  process.stderr.write(`[crash api ${process.env[CRASH_API_ENV.name] ?? '?'}] fatal: ${message}\n`);
  const exit = () => process.exit(1);
  if (process.connected) send({ type: 'fatal', message }).then(exit, exit);
  else exit();
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/** The listener of one event key: one line per delivery, written before the relay records it delivered. */
function recorder(file: string, name: FinalEventName): (event: AnyRefundEvent) => void {
  const recordFinalEvent = (event: AnyRefundEvent): void => {
    const line: FinalEventLine = { eventId: event.eventId, name, refundNo: event.refund.refundNo, pid: process.pid };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  };
  return recordFinalEvent;
}

/**
 * Throws when a module of a built package (`libs/.../dist`) was loaded: a second copy of
 * `@refundhub/core` beside the sources, whose entities and events the app would not share.
 */
function assertOnlySources(): void {
  const built = Object.keys(require.cache).filter((file) => /[\\/]libs[\\/].*[\\/]dist[\\/]/.test(file));
  if (built.length) throw new Error(`built packages were loaded instead of their sources: ${built.join(', ')}`);
}

async function main(): Promise<void> {
  process.on('uncaughtException', die);
  process.on('unhandledRejection', die);
  // The test is gone: nobody will ever stop this process.
  process.on('disconnect', () => process.exit(1));

  const eventsFile = required(CRASH_API_ENV.eventsFile);
  required(CRASH_API_ENV.config);
  const loaded = loadOperatorConfig();
  const app = await createApiApp(loaded);
  const emitter = app.get(EventEmitter2);
  for (const name of FINAL_EVENT_NAMES) emitter.on(name, recorder(eventsFile, name));
  const url = await listenApi(app, loaded);
  assertOnlySources();
  await send({ type: 'listening', url, pid: process.pid });
}

main().catch(die);
