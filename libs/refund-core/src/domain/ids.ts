import { randomFillSync } from 'node:crypto';

/** Random bytes drawn in blocks: one call into the CSPRNG per 409 ids instead of one per id. */
const POOL = Buffer.alloc(4096);
const ID_RANDOM_BYTES = 10;
let used = POOL.length;

function randomHex(): string {
  if (used + ID_RANDOM_BYTES > POOL.length) {
    randomFillSync(POOL);
    used = 0;
  }
  used += ID_RANDOM_BYTES;
  return POOL.toString('hex', used - ID_RANDOM_BYTES, used);
}

/**
 * Ids that sort by creation time (12 hex digits of milliseconds, then 80 random bits), so
 * that cursors and indexes stay in insertion order.
 */
export function newId(prefix: string, at: Date): string {
  return `${prefix}_${at.getTime().toString(16).padStart(12, '0')}${randomHex()}`;
}

/**
 * The smallest id of `prefix` made at or after `at`: ids made before `at` sort below it, ids made
 * at or after it sort at or above it. Times before 1970 bound below every id.
 */
export function idTimeBound(prefix: string, at: Date): string {
  return `${prefix}_${Math.max(0, at.getTime()).toString(16).padStart(12, '0')}`;
}
