import { DriverException, ValidationError } from '@mikro-orm/core';

import { escapeForLog, truncateText } from '../domain/text';

/**
 * What may be logged about an error: {@link describeError} for the log line, {@link errorFrames}
 * for the stack. Neither ever holds an SQL statement, its values or a database's detail line.
 *
 * Database errors carry customer data: MikroORM inlines the values into the statement it sends,
 * and the driver error's message (copied into MikroORM's `DriverException`, stack included) is that
 * whole statement; PostgreSQL adds a `detail` such as "Failing row contains (...)". MikroORM's own
 * errors print entities and query conditions. Such an error is described by its class, its code
 * (SQLSTATE, SQLite's result code) and the operation, never by its message.
 */

/** `scheme://user:password@`: credentials in a URL that an error message quotes. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi;

/** The longest message of any other error that is logged, in code points. */
const MAX_MESSAGE_LENGTH = 500;

/** A statement's first word: the operation, written by us, never a value. */
const STATEMENT_VERB =
  /^\s*(insert|update|delete|select|with|begin|commit|rollback|savepoint|release|lock|create|alter|drop|pragma)\b/i;

/** The table of an insert, update, delete or select, read before the first quote: values are quoted. */
const STATEMENT_TABLE = /^\s*(?:insert\s+into|update|delete\s+from|select\s[^']*?\sfrom)\s+[`"]?(\w+)[`"]?/i;

interface DatabaseErrorFields {
  /** The write path's statement, as written (with `?`, never values): set on the driver's errors. */
  statement?: unknown;
  code?: unknown;
  sqlState?: unknown;
  table?: unknown;
  constraint?: unknown;
  column?: unknown;
}

/**
 * An error as far as logging is concerned: anything with a string `message`. Not `instanceof Error`:
 * a native driver may build its errors from another realm's `Error` (better-sqlite3 keeps the
 * constructor it was first given), and such an error must not fall through to `String(error)`.
 */
function asError(value: unknown): Error | null {
  if (typeof value !== 'object' || value === null) return null;
  return typeof (value as { message?: unknown }).message === 'string' ? (value as Error) : null;
}

/** Errors from the database, its driver or the ORM: their messages hold statements, values or entities. */
function isDatabaseError(error: Error): boolean {
  if (error instanceof DriverException || error instanceof ValidationError) return true;
  const { code, sqlState } = error as DatabaseErrorFields;
  if (typeof sqlState === 'string') return true;
  if (typeof code === 'string' && code.startsWith('SQLITE_')) return true;
  // node-postgres's DatabaseError: a five-character SQLSTATE and a severity.
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && 'severity' in error;
}

/** A name the database chose (an identifier), or nothing: never a value. */
function identifier(value: unknown): string | null {
  return typeof value === 'string' && /^\w{1,63}$/.test(value) ? value : null;
}

function describeDatabaseError(error: Error): string {
  const fields = error as DatabaseErrorFields;
  const code = identifier(fields.sqlState) ?? identifier(fields.code);
  const statement = (typeof fields.statement === 'string' ? fields.statement : error.message).slice(0, 2_000);
  const operation = STATEMENT_VERB.exec(statement)?.[1].toLowerCase() ?? null;
  const table = identifier(fields.table) ?? identifier(STATEMENT_TABLE.exec(statement)?.[1]);
  const constraint = identifier(fields.constraint);
  const column = identifier(fields.column);
  return [
    identifier(error.name) ?? 'DatabaseError',
    code ? `[${code}]` : null,
    operation ? `on ${operation}` : null,
    table ? `of table ${table}` : null,
    constraint ? `(constraint ${constraint})` : null,
    column ? `(column ${column})` : null,
    '(statement and values not logged)',
  ]
    .filter((part) => part !== null)
    .join(' ');
}

/**
 * One line about `error` that is safe to log: for a database or ORM error, its class, code,
 * operation and table (`CheckConstraintViolationException [23514] on insert of table refund
 * (constraint ...)`); for any other error, its class and message, cut to 500 characters, with
 * control characters escaped ({@link escapeForLog}), since messages quote what others sent, and
 * the credentials of any URL in it masked (`postgres://***@db`).
 */
export function describeError(value: unknown): string {
  const error = asError(value);
  if (error === null) return escapeForLog(truncateText(String(value), MAX_MESSAGE_LENGTH));
  if (isDatabaseError(error)) return describeDatabaseError(error);
  const name = escapeForLog(truncateText(typeof error.name === 'string' && error.name ? error.name : 'Error', 64));
  const message = escapeForLog(truncateText(error.message.replace(URL_CREDENTIALS, '$1***@'), MAX_MESSAGE_LENGTH));
  return message ? `${name}: ${message}` : name;
}

/** A V8 stack frame: `at fn (file:line:col)`, `at file:line:col`, `at new Promise (<anonymous>)`. */
const FRAME =
  /^ {4}at (?:(?:async |new )?[^\s()]+(?: \[as [^\]\s]+\])? \((?:[^()\s]+:\d+:\d+|<anonymous>|native)\)|[^\s()]+:\d+:\d+)$/;

/**
 * The frames of `error`'s stack, one per line, without its first lines: V8 starts a stack with the
 * error's name and message, which for a database error is the statement with its values. Only
 * lines shaped like frames are kept, so a message that could not be cut off (it changed after the
 * stack was written) leaves at most a line that looks like a frame. Undefined when there is no
 * stack; pass it as the `stack` argument of Nest's `Logger.error`.
 */
export function errorFrames(value: unknown): string | undefined {
  const error = asError(value);
  if (error === null || typeof error.stack !== 'string') return undefined;
  let stack = error.stack;
  const at = error.message ? stack.indexOf(error.message) : -1;
  if (at >= 0) stack = stack.slice(at + error.message.length);
  const frames = stack.split('\n').filter((line) => FRAME.test(line));
  return frames.length ? frames.map(escapeForLog).join('\n') : undefined;
}
