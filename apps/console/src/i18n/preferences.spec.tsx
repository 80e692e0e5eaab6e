/** @jest-environment jsdom */
import { fireEvent, render, screen } from '@testing-library/react';
import { Empty } from 'antd';

import { MESSAGES, en, translate, zhCN } from './messages';
import { PreferencesProvider, usePreferences } from './preferences';

function Probe() {
  const { t, language, setLanguage, age } = usePreferences();
  return (
    <div>
      <span data-testid="title">{t('appTitle')}</span>
      <span data-testid="placeholder">{t('signedInAs', { name: '<b>ops</b>' })}</span>
      <span data-testid="age">{age(90)}</span>
      <button onClick={() => setLanguage(language === 'en' ? 'zh-CN' : 'en')}>switch</button>
      <Empty />
    </div>
  );
}

describe('the dictionary', () => {
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it('has every key in every language, with the same placeholders', () => {
    for (const messages of Object.values(MESSAGES)) {
      expect(Object.keys(messages).sort()).toEqual(Object.keys(en).sort());
      for (const key of Object.keys(en) as (keyof typeof en)[]) {
        expect([key, placeholders(messages[key])]).toEqual([key, placeholders(en[key])]);
      }
    }
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate(en, 'refundTitle', { refundNo: 'R1' })).toBe('Refund R1');
    expect(translate(zhCN, 'refundTitle', {})).toBe('退款 {refundNo}');
  });
});

describe('PreferencesProvider', () => {
  beforeEach(() => localStorage.clear());

  it('speaks Chinese by default, switches to English with antd, and remembers the choice', () => {
    const { unmount } = render(
      <PreferencesProvider>
        <Probe />
      </PreferencesProvider>,
    );
    expect(screen.getByTestId('title').textContent).toBe(zhCN.appTitle);
    expect(screen.getAllByText('暂无数据').length).toBeGreaterThan(0);
    expect(screen.getByTestId('age').textContent).toBe('1分30秒');

    fireEvent.click(screen.getByText('switch'));

    expect(screen.getByTestId('title').textContent).toBe(en.appTitle);
    expect(screen.getAllByText('No data').length).toBeGreaterThan(0);
    expect(screen.getByTestId('age').textContent).toBe('1m 30s');
    unmount();

    render(
      <PreferencesProvider>
        <Probe />
      </PreferencesProvider>,
    );
    expect(screen.getByTestId('title').textContent).toBe(en.appTitle);
  });

  it('renders values as text, never as markup', () => {
    render(
      <PreferencesProvider initial={{ language: 'en' }}>
        <Probe />
      </PreferencesProvider>,
    );
    const shown = screen.getByTestId('placeholder');
    expect(shown.textContent).toBe('Signed in as <b>ops</b>');
    expect(shown.querySelector('b')).toBeNull();
  });
});
