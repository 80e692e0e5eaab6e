import { randomBytes } from 'node:crypto';

/**
 * Ids that sort by creation time (12 hex digits of milliseconds, then 80 random bits), so
 * that cursors and indexes stay in insertion order.
 */
export function newId(prefix: string, at: Date): string {
  return `${prefix}_${at.getTime().toString(16).padStart(12, '0')}${randomBytes(10).toString('hex')}`;
}
