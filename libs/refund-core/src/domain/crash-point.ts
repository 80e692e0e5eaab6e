/**
 * Places in a refund's life where a test may stop the process dead (`kill -9`), to prove that
 * nothing is lost or done twice when a process dies between two steps. Read only when
 * `NODE_ENV=test`: `REFUNDHUB_CRASH_AT=<point>` makes the process kill itself there.
 */
export type CrashPoint =
  /** The refund and its reservation are committed; the gateway has not been asked. */
  | 'after-requested-commit'
  /** The gateway answered the submission; the answer is not committed. */
  | 'after-gateway-answer'
  /** The answer is committed with its events; no listener has them yet. */
  | 'after-outcome-commit';

export function crashPoint(point: CrashPoint): void {
  if (process.env['NODE_ENV'] !== 'test' || process.env['REFUNDHUB_CRASH_AT'] !== point) return;
  process.kill(process.pid, 'SIGKILL');
}
