import { chinaCalendarDaysBetween, formatChinaTime, parseChinaTime, refundWindowRefusal } from './china-time';

describe('China time', () => {
  // 2025-01-01 16:30:05.123 UTC is 2025-01-02 00:30:05 in China: past midnight there, not here.
  const afterChinaMidnight = new Date('2025-01-01T16:30:05.123Z');

  describe('formatChinaTime', () => {
    it.each([
      ['yyyyMMddHHmmss', '20250102003005'],
      ['yyyyMMdd', '20250102'],
      ['HHmmss', '003005'],
      ['yyyy-MM-dd HH:mm:ss', '2025-01-02 00:30:05'],
    ] as const)('writes %s in UTC+8', (pattern, expected) => {
      expect(formatChinaTime(afterChinaMidnight, pattern)).toBe(expected);
    });

    it('ignores the process time zone', () => {
      const zone = process.env.TZ;
      process.env.TZ = 'America/Los_Angeles';
      try {
        expect(formatChinaTime(afterChinaMidnight, 'yyyy-MM-dd HH:mm:ss')).toBe('2025-01-02 00:30:05');
      } finally {
        process.env.TZ = zone;
      }
    });

    it('refuses an invalid Date', () => {
      expect(() => formatChinaTime(new Date(Number.NaN), 'yyyyMMdd')).toThrow(RangeError);
    });
  });

  describe('parseChinaTime', () => {
    it.each([
      '2025-01-02 00:30:05',
      '20250102003005',
      '2025/01/02 00:30:05',
      '2025-01-02T00:30:05',
      ' 2025-01-02 00:30:05 ',
    ])('reads %p as China time', (text) => {
      expect(parseChinaTime(text)?.toISOString()).toBe('2025-01-01T16:30:05.000Z');
    });

    it('keeps milliseconds', () => {
      expect(parseChinaTime('2025-01-02 00:30:05.123')?.toISOString()).toBe('2025-01-01T16:30:05.123Z');
      expect(parseChinaTime('2025-01-02 00:30:05.5')?.toISOString()).toBe('2025-01-01T16:30:05.500Z');
    });

    it('round-trips with formatChinaTime', () => {
      const date = new Date('2024-02-29T15:59:59.000Z');

      expect(parseChinaTime(formatChinaTime(date, 'yyyyMMddHHmmss'))).toEqual(date);
      expect(parseChinaTime(formatChinaTime(date, 'yyyy-MM-dd HH:mm:ss'))).toEqual(date);
    });

    it.each([
      undefined,
      null,
      '',
      '2025-02-30 00:00:00',
      '2025-13-01 00:00:00',
      '2023-02-29 12:00:00',
      '2025-01-01 24:00:00',
      '2025-01-01 23:60:00',
      '2025-01-01 23:59:60',
      '2025-01-01',
      '2025-0101 00:00:00',
      '2025-01-01 00:0000',
      '2025-01-01 00:00:00Z',
      '2025-01-01 00:00:00+08:00',
      '2025-01-01 00:00:00.1234',
      '1735749005',
    ])('rejects %p', (text) => {
      expect(parseChinaTime(text)).toBeUndefined();
    });
  });

  describe('chinaCalendarDaysBetween', () => {
    it('counts China calendar days, not 24-hour periods', () => {
      // 23:59 and 00:01 China time, two minutes apart, on two China dates.
      expect(chinaCalendarDaysBetween(new Date('2025-01-01T15:59:00Z'), new Date('2025-01-01T16:01:00Z'))).toBe(1);
      // 00:01 and 23:59 China time of one day, almost 24 hours apart, on one China date.
      expect(chinaCalendarDaysBetween(new Date('2024-12-31T16:01:00Z'), new Date('2025-01-01T15:59:00Z'))).toBe(0);
    });

    it('is negative when the second date is earlier', () => {
      expect(chinaCalendarDaysBetween(new Date('2025-03-01T00:00:00Z'), new Date('2025-02-27T00:00:00Z'))).toBe(-2);
    });

    it('counts across a leap day', () => {
      expect(chinaCalendarDaysBetween(new Date('2024-02-28T04:00:00Z'), new Date('2024-03-01T04:00:00Z'))).toBe(2);
    });
  });

  describe('refundWindowRefusal', () => {
    // Paid 2025-01-01 23:30 China time (15:30 UTC).
    const paidAt = new Date('2025-01-01T15:30:00Z');

    it('allows a refund on the last day of the window, China time', () => {
      // 2025-04-01 23:59 China time is day 90.
      expect(
        refundWindowRefusal({
          gateway: 'umf',
          paidAt,
          now: new Date('2025-04-01T15:59:00Z'),
          windowDays: 90,
        }),
      ).toBeUndefined();
    });

    it('refuses once the China date passes the window, even if fewer than 90 × 24 hours passed', () => {
      // 2025-04-02 00:01 China time is day 91, though only 90 days and 31 minutes after payment.
      const now = new Date('2025-04-01T16:01:00Z');

      expect(refundWindowRefusal({ gateway: 'umf', paidAt, now, windowDays: 90 })).toEqual({
        code: 'REFUND_WINDOW_CLOSED',
        message:
          'umf refunds only orders paid within the last 90 days; this one was paid on 2025-01-01 23:30:00 China time, 91 days ago',
        details: { gateway: 'umf', paidAt: '2025-01-01T15:30:00.000Z', windowDays: 90 },
      });
    });

    it('judges nothing without a payment time', () => {
      const now = new Date('2030-01-01T00:00:00Z');

      expect(refundWindowRefusal({ gateway: 'baofoo', paidAt: null, now, windowDays: 365 })).toBeUndefined();
      expect(refundWindowRefusal({ gateway: 'baofoo', paidAt: undefined, now, windowDays: 365 })).toBeUndefined();
    });
  });
});
