import type { LogDestination } from '@refundhub/host';

/** One line of the log as a collector would read it. */
export interface LogEntry {
  level: string;
  time: string;
  msg?: string;
  context?: string;
  reqId?: string;
  refundId?: string;
  gateway?: string;
  [field: string]: unknown;
}

/**
 * The app's log destination in a test: keeps each line pino writes (JSON, or pretty text) instead of
 * printing it, so a test reads exactly what an operator's log would hold.
 */
export class CapturedLogs implements LogDestination {
  readonly lines: string[] = [];
  private readonly waiting: Array<{ until: (line: string) => boolean; resolve: (line: string) => void }> = [];

  write(line: string): void {
    this.lines.push(line);
    for (const waiter of [...this.waiting]) {
      if (!waiter.until(line)) continue;
      this.waiting.splice(this.waiting.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  }

  /** The first line, logged already or to come, that `until` accepts. */
  waitForLine(until: (line: string) => boolean): Promise<string> {
    const logged = this.lines.find(until);
    if (logged !== undefined) return Promise.resolve(logged);
    return new Promise((resolve) => this.waiting.push({ until, resolve }));
  }

  /** The first JSON line, logged already or to come, that `until` accepts. */
  async waitFor(until: (entry: LogEntry) => boolean): Promise<LogEntry> {
    return JSON.parse(await this.waitForLine((line) => until(JSON.parse(line) as LogEntry))) as LogEntry;
  }

  /** Everything logged so far, as one text. */
  text(): string {
    return this.lines.join('');
  }

  /** Every line parsed as JSON; throws on a line that is not one JSON object. */
  entries(): LogEntry[] {
    return this.text()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const parsed: unknown = JSON.parse(line);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
          throw new Error(`not a JSON object: ${line}`);
        }
        return parsed as LogEntry;
      });
  }

  /** The messages logged so far, as a reader sees them once the JSON is decoded, one a line. */
  messages(): string {
    return this.entries()
      .map((entry) => entry.msg ?? '')
      .join('\n');
  }

  clear(): void {
    this.lines.length = 0;
  }
}
