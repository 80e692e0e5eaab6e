import { LoggerService } from '@nestjs/common';

/**
 * Warnings and errors, one line each, to the command's stderr: stdout carries only the report (the
 * JSON document with --json), and the progress bar shares stderr with nothing chattier.
 */
export class StderrLogger implements LoggerService {
  constructor(private readonly stderr: NodeJS.WritableStream) {}

  log(): void {}

  warn(message: unknown, context?: string): void {
    this.write('WARN', message, context);
  }

  error(message: unknown, ...rest: unknown[]): void {
    const context =
      rest.length && typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    this.write('ERROR', message, context);
  }

  private write(level: string, message: unknown, context: string | undefined): void {
    this.stderr.write(`${level}${context ? ` [${context}]` : ''} ${String(message)}\n`);
  }
}
