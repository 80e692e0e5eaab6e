/** The first and last instants both databases store and `toISOString()` writes without an extended year. */
export const EARLIEST_STORABLE_DATE = new Date('0001-01-01T00:00:00.000Z');
export const LATEST_STORABLE_DATE = new Date('9999-12-31T23:59:59.999Z');

/**
 * Why `date` cannot be stored, or null when it can: an invalid date, or one outside years 1 to
 * 9999 (UTC). PostgreSQL refuses year 0 and years past 9999 as MikroORM writes them; SQLite would
 * keep them, and the two must answer alike. The answer is a message for a field problem.
 */
export function unstorableDateReason(date: Date): string | null {
  const time = date.getTime();
  if (Number.isNaN(time)) return 'must be a valid date';
  if (time < EARLIEST_STORABLE_DATE.getTime() || time > LATEST_STORABLE_DATE.getTime()) {
    return 'must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z';
  }
  return null;
}
