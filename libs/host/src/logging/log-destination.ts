/** Where log lines go: stdout, or anything else that takes text (a test's capture, a file). */
export interface LogDestination {
  write(line: string): unknown;
}
