import { CheckConstraintViolationException, DriverException, ValidationError } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/better-sqlite';

import { describeError, errorFrames } from './error-summary';

const MARKER = 'CUSTOMER-DATA-7f3a';
const STATEMENT = `insert into "refund" ("id", "reason") values ('rf_1', 'x${MARKER}x') - new row violates check constraint "no_marker"`;

/** What node-postgres's DatabaseError carries, as MikroORM copies it into its exception. */
function postgresError(): Error {
  const driver = Object.assign(new Error(STATEMENT), {
    code: '23514',
    severity: 'ERROR',
    detail: `Failing row contains (rf_1, x${MARKER}x).`,
    table: 'refund',
    constraint: 'no_marker',
  });
  return new CheckConstraintViolationException(driver);
}

describe(describeError.name, () => {
  it('describes a PostgreSQL error by class, SQLSTATE, operation, table and constraint only', () => {
    const line = describeError(postgresError());
    expect(line).toBe(
      'CheckConstraintViolationException [23514] on insert of table refund (constraint no_marker) (statement and values not logged)',
    );
  });

  it("describes a real SQLite error by its code, never its message's values", async () => {
    const orm = await MikroORM.init({ dbName: ':memory:', entities: [], discovery: { warnWhenNoEntities: false } });
    const connection = orm.em.fork().getConnection();
    let error: unknown;
    try {
      await connection.execute('create table refund (id text primary key, reason text)');
      await connection.execute(`insert into refund values ('rf_1', '${MARKER}')`);
      await connection.execute(`insert into refund values ('rf_1', '${MARKER}')`);
    } catch (caught) {
      error = caught;
    } finally {
      await orm.close();
    }
    expect((error as Error).message).toContain(MARKER);
    const line = describeError(error);
    expect(line).toMatch(/^\w+ \[SQLITE_CONSTRAINT_PRIMARYKEY\] on insert of table refund/);
    expect(line).not.toContain(MARKER);
  });

  it('describes MikroORM exceptions and validation errors by class, whatever their message holds', () => {
    const sqlite = new DriverException(
      Object.assign(new Error(`update \`refund\` set \`reason\` = '${MARKER}' - forced`), {
        code: 'SQLITE_CONSTRAINT_TRIGGER',
      }),
    );
    expect(describeError(sqlite)).toBe(
      'DriverException [SQLITE_CONSTRAINT_TRIGGER] on update of table refund (statement and values not logged)',
    );
    const validation = new ValidationError(`Value for Refund.amount is required, entity: { reason: '${MARKER}' }`);
    expect(describeError(validation)).toBe('ValidationError (statement and values not logged)');
  });

  it('reads the table of a select before any quoted value', () => {
    const error = Object.assign(new Error(`select "r0".* from "refund" as "r0" where "r0"."id" = '${MARKER}'`), {
      code: '08P01',
      severity: 'ERROR',
    });
    expect(describeError(error)).toBe('Error [08P01] on select of table refund (statement and values not logged)');
  });

  it('keeps the message of any other error, escaped and cut', () => {
    expect(describeError(new TypeError('bad\nline \u001b[31mred'))).toBe('TypeError: bad\\nline \\u001b[31mred');
    expect(describeError(new Error('x'.repeat(2_000)))).toHaveLength('Error: '.length + 500);
    expect(describeError('plain\rtext')).toBe('plain\\rtext');
    expect(describeError(new Error('connect to postgres://app:s3cret@db:5432/x failed'))).toBe(
      'Error: connect to postgres://***@db:5432/x failed',
    );
  });
});

describe(errorFrames.name, () => {
  it("keeps the frames and drops the message lines at the stack's head", () => {
    const error = postgresError();
    error.stack = `CheckConstraintViolationException: ${error.message}\n    at RefundLedger.reserveIn (/app/refund-ledger.ts:94:5)\n    at async Promise.all (index 0)\n    at new Promise (<anonymous>)`;
    expect(errorFrames(error)).toBe(
      '    at RefundLedger.reserveIn (/app/refund-ledger.ts:94:5)\n    at new Promise (<anonymous>)',
    );
  });

  it('drops a multi-line message even when it no longer matches the stack', () => {
    const error = new Error(`first\n    at ${MARKER}\nvalues ('${MARKER}')`);
    error.message = 'changed after the stack was written';
    const frames = errorFrames(error) ?? '';
    expect(frames).not.toContain(MARKER);
    expect(frames.split('\n').every((line) => line.startsWith('    at '))).toBe(true);
  });

  it('is undefined without a stack', () => {
    expect(errorFrames('text')).toBeUndefined();
  });
});

describe('errors from another realm', () => {
  it('are described as errors, never printed whole', () => {
    const foreign = { name: 'SqliteError', message: `insert into refund values ('${MARKER}')`, code: 'SQLITE_ERROR' };
    expect(describeError(foreign)).toBe(
      'SqliteError [SQLITE_ERROR] on insert of table refund (statement and values not logged)',
    );
  });
});
