import { BigIntType } from '@mikro-orm/core';

/**
 * Fen amounts are stored as BIGINT (an INT column tops out at about 21 million yuan) and read
 * back as JavaScript numbers, which are exact up to 2^53 fen.
 */
export const FenType = new BigIntType('number');

// Dates are declared `type: Date` (not 'datetime') so that MikroORM compares them as dates
// on SQLite, where they are stored as epoch milliseconds; with the string type every flush
// rewrote unchanged timestamps.
