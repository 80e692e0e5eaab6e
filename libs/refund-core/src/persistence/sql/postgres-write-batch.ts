import type { SqlValue } from './sql-session';
import type { SqlStatement } from './sql-statement';

/** A statement as the `pg` driver takes it: prepared once per connection under its name. */
export interface PgQuery {
  name: string;
  text: string;
  values: readonly SqlValue[];
}

/** A batch as sent: `partOn(table)` names the part of it that writes a table (see `take`). */
export type PgBatchQuery = PgQuery & { partOn(table: unknown): string | null };

interface Queued {
  statement: SqlStatement;
  params: readonly SqlValue[];
}

/**
 * The composed statements met so far, by the names of what they compose: one prepared name each, and
 * its text built once (the driver compares it with the prepared one at every use).
 */
const composed = new Map<string, { name: string; text: string }>();

/**
 * Writes of one transaction waiting to be sent together. On PostgreSQL each statement is a round trip
 * and, on the server, a parse-bind-execute with its own executor start; a transaction's tail of plain
 * inserts and updates (the refund, its order, its history, exchange and outbox rows) goes as one
 * `with "w1" as (insert …), "w2" as (update …) select 1`. Every data-modifying part of a `with` runs
 * exactly once, to completion, and the foreign keys are checked at the end of the statement, so the
 * rows may reference each other.
 *
 * The parts see one snapshot: none sees another's rows. So an update never joins a batch that already
 * writes its table, nor an insert one that updates it: such a write sends the batch first.
 */
export class PgWriteBatch {
  private queued: Queued[] = [];

  get size(): number {
    return this.queued.length;
  }

  /** Whether `statement` may join the writes queued so far (see the class comment). */
  accepts(statement: SqlStatement): boolean {
    const writes = statement.writes;
    if (!writes || statement.reader) return false;
    for (const { statement: other } of this.queued) {
      const theirs = other.writes;
      if (theirs && theirs.table === writes.table && !(writes.kind === 'insert' && theirs.kind === 'insert'))
        return false;
    }
    return true;
  }

  add(statement: SqlStatement, params: readonly SqlValue[]): void {
    if (!statement.writes || statement.reader) {
      throw new Error(`Only an insert or update without returning may be queued: ${statement.postgresql}`);
    }
    this.queued.push({ statement, params });
  }

  /**
   * The queued writes as one statement (or the one queued, as it is), emptying the batch; null when
   * empty. `partOn(table)` names the statement of the batch that writes a table, so that an error the
   * server reports on that table is told as that statement's (`withStatement`), not the composition's.
   */
  take(): PgBatchQuery | null {
    const queued = this.queued;
    this.queued = [];
    if (queued.length === 0) return null;
    const partOn = (table: unknown) =>
      queued.find(({ statement }) => statement.writes?.table === table)?.statement.postgresql ?? null;
    if (queued.length === 1) {
      const [{ statement, params }] = queued;
      return { name: statement.name, text: statement.postgresql, values: [...params], partOn };
    }
    // Loops, not map/join/flatMap: this runs for every transaction, and those allocate more on V8.
    let key = queued[0].statement.name;
    const values: SqlValue[] = [...queued[0].params];
    for (let i = 1; i < queued.length; i += 1) {
      key += `,${queued[i].statement.name}`;
      for (const value of queued[i].params) values.push(value);
    }
    let statement = composed.get(key);
    if (statement === undefined) composed.set(key, (statement = compose(queued, composed.size + 1)));
    return { name: statement.name, text: statement.text, values, partOn };
  }

  /** Drops what is queued (the transaction is rolled back). */
  clear(): void {
    this.queued = [];
  }
}

/** `with "w1" as (…), "w2" as (…) select 1`, each part's parameters numbered after the parts before it. */
function compose(queued: readonly Queued[], serial: number): { name: string; text: string } {
  let offset = 0;
  const parts = queued.map(({ statement, params }, index) => {
    const shift = offset;
    offset += params.length;
    const text = statement.postgresql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + shift}`);
    return `"w${index + 1}" as (${text})`;
  });
  return { name: `refundhub_w${serial}`, text: `with ${parts.join(', ')} select 1` };
}
