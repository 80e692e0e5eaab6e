import { BigIntType } from '@mikro-orm/core';

/**
 * Fen amounts are stored as BIGINT (an INT column tops out at about 21 million yuan) and read
 * back as JavaScript numbers, which are exact up to 2^53 fen.
 */
export const FenType = new BigIntType('number');

// Dates are declared `type: Date` (not 'datetime') so that MikroORM compares them as dates
// on SQLite, where they are stored as epoch milliseconds; with the string type every flush
// rewrote unchanged timestamps.

// The text columns that keep what gateways say. Their lengths are characters: `varchar(n)` on
// PostgreSQL counts code points (SQLite does not limit text). What is written to them is cut to
// these with `truncateText` (domain/text.ts), never with `slice`, so no character is split.

/** Codes and raw statuses: `gateway_status`, `failure_code`, and the history's `gateway_status` and `code`. */
export const CODE_COLUMN_LENGTH = 64;

/** Messages: `failure_message` and the history's `message`. */
export const MESSAGE_COLUMN_LENGTH = 512;
