import fc from 'fast-check';

import { RFC3339_MESSAGE, parseRfc3339, rfc3339Problem } from './rfc3339';

describe(parseRfc3339.name, () => {
  it.each([
    ['2025-01-01T12:00:00+08:00', '2025-01-01T04:00:00.000Z'],
    ['2025-01-01T04:00:00Z', '2025-01-01T04:00:00.000Z'],
    ['2025-01-01t04:00:00z', '2025-01-01T04:00:00.000Z'],
    ['2024-02-29T00:00:00.1-00:30', '2024-02-29T00:30:00.100Z'],
    ['2025-12-31T23:59:59.999999999+23:59', '2025-12-31T00:00:59.999Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
    ['0099-03-01T00:00:00Z', '0099-03-01T00:00:00.000Z'],
  ])('reads %s as %s', (text, instant) => {
    expect(parseRfc3339(text)?.toISOString()).toBe(instant);
  });

  it.each([
    '20250101',
    '2025-W01',
    '2025-W01-1',
    '20250101T000000Z',
    '2025-001',
    '2025-01-01',
    '2025-01',
    '2025-01-01T12:00:00',
    '2025-01-01T12:00',
    '2025-01-01T12:00Z',
    '2025-01-01 12:00:00Z',
    '2025-01-01T12:00:00+0800',
    '2025-01-01T12:00:00+08',
    '2025-01-01T12:00:00.Z',
    '2025-01-01T12:00:00.1234567890Z',
    '2025-02-29T00:00:00Z',
    '2025-04-31T00:00:00Z',
    '2025-00-10T00:00:00Z',
    '2025-13-01T00:00:00Z',
    '2025-01-00T00:00:00Z',
    '2025-01-01T24:00:00Z',
    '2025-01-01T23:60:00Z',
    '2025-12-31T23:59:60Z',
    '2025-01-01T12:00:00+24:00',
    '2025-01-01T12:00:00+08:60',
    '+002025-01-01T00:00:00Z',
    '２０２５-01-01T00:00:00Z',
    ' 2025-01-01T00:00:00Z',
    '2025-01-01T00:00:00Z\n',
    '',
  ])('refuses %p', (text) => {
    expect(parseRfc3339(text)).toBeNull();
  });

  it('reads back every instant written by toISOString, and by any offset', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
        (date, offsetMinutes) => {
          expect(parseRfc3339(date.toISOString())?.getTime()).toBe(date.getTime());
          const local = new Date(date.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 23);
          const sign = offsetMinutes < 0 ? '-' : '+';
          const abs = Math.abs(offsetMinutes);
          const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          expect(parseRfc3339(`${local}${offset}`)?.getTime()).toBe(date.getTime());
        },
      ),
      { seed: 20260103, numRuns: 300 },
    );
  });
});

describe(rfc3339Problem.name, () => {
  const RANGE = 'must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z';

  it.each([
    ['2025-01-01T12:00:00+08:00', null],
    ['0001-01-01T00:00:00Z', null],
    ['9999-12-31T23:59:59.999Z', null],
    ['2025-001', RFC3339_MESSAGE],
    ['0000-12-31T23:59:59Z', RANGE],
    ['0001-01-01T00:30:00+01:00', RANGE],
    ['9999-12-31T23:59:59-00:01', RANGE],
  ])('%s: %p', (text, problem) => {
    expect(rfc3339Problem(text)).toBe(problem);
  });
});
