import { parseReconcileArgs } from './reconcile-args';
import { parseReconcileInstant } from './reconcile-dates';

describe(parseReconcileInstant.name, () => {
  it('reads a bare date as midnight China time', () => {
    expect(parseReconcileInstant('2026-11-01')?.toISOString()).toBe('2026-10-31T16:00:00.000Z');
  });

  it('reads a date-time with its offset', () => {
    expect(parseReconcileInstant('2026-11-01T08:30:00Z')?.toISOString()).toBe('2026-11-01T08:30:00.000Z');
    expect(parseReconcileInstant('2026-11-01T08:30:00.250+08:00')?.toISOString()).toBe('2026-11-01T00:30:00.250Z');
  });

  it.each(['2026-02-30', '2026-11-01T08:30:00', '2026-11-01T24:00:00Z', '01/11/2026', 'yesterday', ''])(
    'refuses %j',
    (text) => {
      expect(parseReconcileInstant(text)).toBeNull();
    },
  );
});

describe(parseReconcileArgs.name, () => {
  it('reads the window, the gateway and the switches', () => {
    expect(
      parseReconcileArgs(['--from', '2026-11-01', '--to', '2026-12-01', '--gateway', 'leshua', '--apply', '--json']),
    ).toEqual({
      kind: 'run',
      args: {
        from: new Date('2026-10-31T16:00:00.000Z'),
        to: new Date('2026-11-30T16:00:00.000Z'),
        gateway: 'leshua',
        apply: true,
        json: true,
      },
    });
  });

  it('is read-only and a table unless told otherwise', () => {
    expect(parseReconcileArgs(['--from', '2026-11-01', '--to', '2026-11-02'])).toMatchObject({
      kind: 'run',
      args: { apply: false, json: false, gateway: undefined },
    });
  });

  it('names every problem at once', () => {
    expect(parseReconcileArgs(['--to', '2026-13-01', '--gateway', 'Le Shua'])).toEqual({
      kind: 'usage_error',
      problems: [
        '--from is required',
        "--to '2026-13-01' is not an RFC 3339 date (2026-11-01) or date-time with offset",
        "--gateway 'Le Shua' is not a gateway id",
      ],
    });
  });

  it('refuses an empty or backwards window, unknown options and stray words', () => {
    expect(parseReconcileArgs(['--from', '2026-11-02', '--to', '2026-11-02'])).toEqual({
      kind: 'usage_error',
      problems: ['--from must be before --to (--to is exclusive)'],
    });
    expect(parseReconcileArgs(['--from', '2026-11-01', '--to', '2026-11-02', '--fix'])).toMatchObject({
      kind: 'usage_error',
      problems: [expect.stringContaining("'--fix'")],
    });
    expect(parseReconcileArgs(['now'])).toMatchObject({ kind: 'usage_error' });
    expect(parseReconcileArgs(['--from'])).toMatchObject({ kind: 'usage_error' });
  });

  it('answers --help', () => {
    expect(parseReconcileArgs(['--help'])).toEqual({ kind: 'help' });
  });
});
