/** @jest-environment jsdom */
import { fireEvent, render, screen } from '@testing-library/react';

import { formatFen, formatYuan } from '../format/money';
import { PreferencesProvider } from '../i18n/preferences';
import { Money } from './Money';

describe(formatYuan.name, () => {
  it.each([
    [0, '¥0.00'],
    [1, '¥0.01'],
    [10, '¥0.10'],
    [100, '¥1.00'],
    [12_345, '¥123.45'],
    [100_000_000, '¥1,000,000.00'],
    [-5, '-¥0.05'],
    // The largest amount JavaScript holds exactly: still exact to the fen.
    [Number.MAX_SAFE_INTEGER, '¥90,071,992,547,409.91'],
  ])('%d fen is %s', (fen, text) => {
    expect(formatYuan(fen)).toBe(text);
  });

  it('adds fen without a float ever rounding them: 10 + 20 fen is ¥0.30', () => {
    expect(formatYuan(10 + 20)).toBe('¥0.30');
    expect(formatYuan(1_999_999_99 + 1)).toBe('¥2,000,000.00');
  });

  it('shows a value that is not a whole number of fen as it is, never rounded', () => {
    expect(formatYuan(12.5)).toBe('12.5 fen');
  });

  it('groups the fen for the hover text', () => {
    expect(formatFen(1_234_567, '分')).toBe('1,234,567 分');
  });
});

describe('Money', () => {
  beforeAll(() => {
    // antd's tooltip measures its target; jsdom has no layout, so a ResizeObserver that never fires.
    globalThis.ResizeObserver ??= class {
      observe(): void {}
      unobserve(): void {}
      disconnect(): void {}
    };
  });

  it('shows yuan, and the fen on hover in the chosen language', async () => {
    render(
      <PreferencesProvider initial={{ language: 'zh-CN' }}>
        <Money fen={12_345} />
      </PreferencesProvider>,
    );

    const amount = screen.getByText('¥123.45');
    expect(amount.getAttribute('data-fen')).toBe('12345');
    fireEvent.mouseEnter(amount);
    expect(await screen.findByText('12,345 分')).toBeTruthy();
  });
});
