import { randomBytes } from 'node:crypto';

/**
 * Ids that sort by creation time (12 hex digits of milliseconds, then 80 random bits), so
 * that cursors and indexes stay in insertion order.
 */
export function newId(prefix: string, at: Date): string {
  return `${prefix}_${at.getTime().toString(16).padStart(12, '0')}${randomBytes(10).toString('hex')}`;
}

/**
 * The smallest id of `prefix` made at or after `at`: ids made before `at` sort below it, ids made
 * at or after it sort at or above it. Times before 1970 bound below every id.
 */
export function idTimeBound(prefix: string, at: Date): string {
  return `${prefix}_${Math.max(0, at.getTime()).toString(16).padStart(12, '0')}`;
}
