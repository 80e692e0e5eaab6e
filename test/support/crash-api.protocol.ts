/**
 * What the crash-recovery test and its API process (`crash-api.worker.ts`) say to each other: the
 * worker's environment, its IPC messages, and the line it appends per final event. No side effects and
 * no runtime imports, so both sides may import it.
 */

/** The worker's environment variables (besides `NODE_ENV=test` and, for a crash run, `REFUNDHUB_CRASH_AT`). */
export const CRASH_API_ENV = {
  /** The operator configuration file the API loads (`loadOperatorConfig`). */
  config: 'REFUNDHUB_CONFIG',
  /** The file the worker appends one {@link FinalEventLine} to per `refund.succeeded` / `refund.failed`. */
  eventsFile: 'REFUNDHUB_CRASH_EVENTS_FILE',
  /** A name for logs. */
  name: 'REFUNDHUB_CRASH_API_NAME',
} as const;

/** What the worker says over IPC. */
export type CrashApiMessage =
  /** Booted and listening at `url`. */
  | { type: 'listening'; url: string; pid: number }
  /** Could not boot, or an uncaught error; the process exits with code 1 after it. */
  | { type: 'fatal'; message: string };

/** The event keys the worker's listener records. */
export const FINAL_EVENT_NAMES = ['refund.succeeded', 'refund.failed'] as const;
export type FinalEventName = (typeof FINAL_EVENT_NAMES)[number];

/** One line (JSON) of the events file: written synchronously by the listener, so a kill loses nothing written. */
export interface FinalEventLine {
  eventId: string;
  name: FinalEventName;
  refundNo: string;
  /** The process that heard it. */
  pid: number;
}
