/** The dialects the write path speaks. */
export type SqlDialect = 'sqlite' | 'postgresql';

/**
 * One SQL statement of the write path, written once for both dialects and prepared once per
 * connection. The text uses `?` for parameters and double-quoted names, which both dialects read;
 * `{forUpdate}` becomes `for update` on PostgreSQL and nothing on SQLite, whose transactions take
 * the one write lock at `BEGIN IMMEDIATE` (`{skipLocked}`, `for update skip locked`, likewise); `{is}` is equality that holds between two nulls too
 * (`is` on SQLite, `is not distinct from` on PostgreSQL).
 */
export interface SqlStatement {
  /** The name PostgreSQL prepares it under, unique in the process. */
  readonly name: string;
  readonly sqlite: string;
  readonly postgresql: string;
  /** Whether it returns rows (a `select`, or a statement with `returning`). */
  readonly reader: boolean;
  /** The table an `insert` or `update` writes, and which of the two it is; null for any other statement. */
  readonly writes: { table: string; kind: 'insert' | 'update' } | null;
}

let registered = 0;

/** Declares a statement; call it once, at module load, so its prepared form is reused. */
export function sql(text: string): SqlStatement {
  registered += 1;
  const trimmed = text.replace(/\s+/g, ' ').trim();
  let n = 0;
  return {
    name: `refundhub_${registered}`,
    sqlite: trimmed.replace(/ ?\{(forUpdate|skipLocked)\}/g, '').replace(/\{is\}/g, 'is'),
    postgresql: trimmed
      .replace(/\{forUpdate\}/g, 'for update')
      .replace(/\{skipLocked\}/g, 'for update skip locked')
      .replace(/\{is\}/g, 'is not distinct from')
      .replace(/\?/g, () => `$${(n += 1)}`),
    reader: /^(select|with)\b/i.test(trimmed) || /\breturning\b/i.test(trimmed),
    writes: writtenTable(trimmed),
  };
}

function writtenTable(text: string): SqlStatement['writes'] {
  const match = /^(insert into|update) "([a-z_]+)"/i.exec(text);
  if (!match) return null;
  return { table: match[2], kind: match[1].toLowerCase() === 'update' ? 'update' : 'insert' };
}
