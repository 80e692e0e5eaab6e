import { ConsoleLogger, LogLevel } from '@nestjs/common';

/**
 * Nest's own console logger, every level on and no colours, that keeps each line it would have
 * printed (stack traces included) instead of printing it: a test reads exactly what an operator's
 * log would hold.
 */
export class CapturedLogs extends ConsoleLogger {
  readonly lines: string[] = [];

  constructor() {
    super({ logLevels: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'], colors: false });
  }

  /** Everything logged so far, as one text. */
  text(): string {
    return this.lines.join('');
  }

  clear(): void {
    this.lines.length = 0;
  }

  protected override printMessages(messages: unknown[], context = '', logLevel: LogLevel = 'log'): void {
    for (const message of messages) {
      const formatted = this.formatMessage(
        logLevel,
        message,
        this.formatPid(process.pid),
        logLevel.toUpperCase().padStart(7, ' '),
        this.formatContext(context),
        '',
      );
      this.lines.push(formatted);
    }
  }

  protected override printStackTrace(stack: string): void {
    if (stack) this.lines.push(`${stack}\n`);
  }
}
