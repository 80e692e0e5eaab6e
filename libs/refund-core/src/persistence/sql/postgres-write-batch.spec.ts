import { PgWriteBatch } from './postgres-write-batch';
import { sql } from './sql-statement';

const INSERT_A = sql(`insert into "spec_a" ("id", "n") values (?, ?)`);
const INSERT_B = sql(`insert into "spec_b" ("id") values (?)`);
const UPDATE_A = sql(`update "spec_a" set "n" = ? where "id" = ?`);
const RETURNING = sql(`insert into "spec_b" ("id") values (?) returning "id"`);
const SELECT = sql(`select "id" from "spec_a" where "id" = ?`);

describe('PgWriteBatch', () => {
  it('sends one queued write as it is, under its own prepared name', () => {
    const batch = new PgWriteBatch();
    batch.add(INSERT_A, ['x', 1]);
    expect(batch.take()).toMatchObject({ name: INSERT_A.name, text: INSERT_A.postgresql, values: ['x', 1] });
    expect(batch.take()).toBeNull();
  });

  it('composes several into one statement, their parameters numbered on', () => {
    const batch = new PgWriteBatch();
    batch.add(INSERT_A, ['x', 1]);
    batch.add(INSERT_B, ['y']);
    batch.add(INSERT_A, ['z', 2]);
    const composed = batch.take();
    expect(composed?.text).toBe(
      'with "w1" as (insert into "spec_a" ("id", "n") values ($1, $2)), ' +
        '"w2" as (insert into "spec_b" ("id") values ($3)), ' +
        '"w3" as (insert into "spec_a" ("id", "n") values ($4, $5)) select 1',
    );
    expect(composed?.values).toEqual(['x', 1, 'y', 'z', 2]);
    expect(batch.size).toBe(0);
  });

  it('prepares one name per composition, the same each time it recurs', () => {
    const first = new PgWriteBatch();
    first.add(INSERT_A, ['x', 1]);
    first.add(INSERT_B, ['y']);
    const again = new PgWriteBatch();
    again.add(INSERT_A, ['p', 2]);
    again.add(INSERT_B, ['q']);
    const other = new PgWriteBatch();
    other.add(INSERT_B, ['q']);
    other.add(INSERT_A, ['p', 2]);
    const [a, b, c] = [first.take(), again.take(), other.take()];
    expect(a?.name).toBe(b?.name);
    expect(c?.name).not.toBe(a?.name);
    expect(a?.name.length).toBeLessThan(64);
  });

  it('keeps an update out of a batch that writes its table, and an insert out of one that updates it', () => {
    // The parts of one statement share a snapshot: an update would not see a row inserted beside it.
    const batch = new PgWriteBatch();
    batch.add(INSERT_A, ['x', 1]);
    expect(batch.accepts(INSERT_B)).toBe(true);
    expect(batch.accepts(INSERT_A)).toBe(true);
    expect(batch.accepts(UPDATE_A)).toBe(false);
    const updating = new PgWriteBatch();
    updating.add(UPDATE_A, [1, 'x']);
    expect(updating.accepts(INSERT_A)).toBe(false);
    expect(updating.accepts(UPDATE_A)).toBe(false);
    expect(updating.accepts(INSERT_B)).toBe(true);
  });

  it('takes no statement that reads or returns rows', () => {
    const batch = new PgWriteBatch();
    expect(batch.accepts(SELECT)).toBe(false);
    expect(batch.accepts(RETURNING)).toBe(false);
    expect(() => batch.add(RETURNING, ['y'])).toThrow(/Only an insert or update without returning/);
  });

  it('names the part that writes the table a server error names, so the error is told as that statement', () => {
    const batch = new PgWriteBatch();
    batch.add(INSERT_A, ['x', 1]);
    batch.add(INSERT_B, ['y']);
    const composed = batch.take();
    expect(composed?.partOn('spec_b')).toBe(INSERT_B.postgresql);
    expect(composed?.partOn('spec_a')).toBe(INSERT_A.postgresql);
    expect(composed?.partOn('refund')).toBeNull();
    expect(composed?.partOn(undefined)).toBeNull();
  });

  it('drops what it holds when cleared', () => {
    const batch = new PgWriteBatch();
    batch.add(INSERT_A, ['x', 1]);
    batch.clear();
    expect(batch.take()).toBeNull();
  });
});
