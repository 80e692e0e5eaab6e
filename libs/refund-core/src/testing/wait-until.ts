/**
 * Waits until `check` holds: the way tests wait on observable state (a server's record, a row, a
 * file), never a fixed sleep. It looks again on every turn of the event loop, or every `everyMs`
 * when each look costs something (a query), and fails naming `what` after `deadlineMs` of real time.
 */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  opts: { what: string; deadlineMs?: number; everyMs?: number },
): Promise<void> {
  const deadlineMs = opts.deadlineMs ?? 10_000;
  const giveUpAt = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > giveUpAt) throw new Error(`never happened within ${deadlineMs} ms: ${opts.what}`);
    await new Promise((resolve) => (opts.everyMs ? setTimeout(resolve, opts.everyMs) : setImmediate(resolve)));
  }
}
