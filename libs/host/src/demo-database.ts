import { rmSync } from 'node:fs';

import type { OperatorConfig } from './config';

/**
 * The demo starts from an empty database. Its sandboxes keep no state across restarts, so a database
 * that remembered refunds they have forgotten would make the README's walkthrough drift (a replay
 * where a first request is documented, a balance already spent). Only SQLite files are removed.
 */
export function resetDemoDatabase(config: OperatorConfig): string[] {
  const database = config.database;
  if (database.driver !== 'sqlite') return [];
  const files = ['', '-journal', '-wal', '-shm'].map((suffix) => `${database.path}${suffix}`);
  for (const file of files) rmSync(file, { force: true });
  return files;
}
