/** @jest-environment jsdom */
import { render, screen } from '@testing-library/react';

import { formatAge, formatTime } from '../format/time';
import { PreferencesProvider } from '../i18n/preferences';
import { Time } from './Time';

const INSTANT = '2025-01-01T16:30:05Z';

describe(formatTime.name, () => {
  it('shows China time, the next day past 16:00 UTC', () => {
    expect(formatTime(INSTANT, 'Asia/Shanghai')).toBe('2025-01-02 00:30:05 UTC+8');
  });

  it('shows UTC', () => {
    expect(formatTime(INSTANT, 'UTC')).toBe('2025-01-01 16:30:05 UTC');
  });

  it("shows the browser's zone (UTC under the tests)", () => {
    expect(formatTime(INSTANT, 'local')).toBe('2025-01-01 16:30:05 UTC');
  });

  it('reads an offset in the input and shows nothing for no time', () => {
    expect(formatTime('2025-01-02T00:30:05+08:00', 'UTC')).toBe('2025-01-01 16:30:05 UTC');
    expect(formatTime(null, 'UTC')).toBe('—');
    expect(formatTime('not a time', 'UTC')).toBe('not a time');
  });
});

describe(formatAge.name, () => {
  const en = { d: 'd', h: 'h', m: 'm', s: 's' };
  const zh = { d: '天', h: '小时', m: '分', s: '秒' };

  it.each([
    [0, '0s', '0秒'],
    [59, '59s', '59秒'],
    [61, '1m 1s', '1分1秒'],
    [3 * 86_400 + 4 * 3600 + 59, '3d 4h', '3天4小时'],
    [86_400 + 30, '1d', '1天'],
  ])('%d s is %s / %s', (seconds, english, chinese) => {
    expect(formatAge(seconds, en)).toBe(english);
    expect(formatAge(seconds, zh)).toBe(chinese);
  });
});

describe('Time', () => {
  it('renders in the chosen zone, with the exact instant kept in dateTime', () => {
    const { unmount } = render(
      <PreferencesProvider initial={{ timeZone: 'Asia/Shanghai' }}>
        <Time iso={INSTANT} />
      </PreferencesProvider>,
    );
    const shown = screen.getByText('2025-01-02 00:30:05 UTC+8');
    expect(shown.getAttribute('datetime')).toBe(INSTANT);
    unmount();

    render(
      <PreferencesProvider initial={{ timeZone: 'UTC' }}>
        <Time iso={INSTANT} />
      </PreferencesProvider>,
    );
    expect(screen.getByText('2025-01-01 16:30:05 UTC')).toBeTruthy();
  });
});
