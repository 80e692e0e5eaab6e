import { ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zh_CN from 'antd/locale/zh_CN';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

import { formatAge, type TimeZoneChoice } from '../format/time';
import { MESSAGES, translate, type Language, type MessageKey } from './messages';

export interface Preferences {
  language: Language;
  timeZone: TimeZoneChoice;
  setLanguage(language: Language): void;
  setTimeZone(zone: TimeZoneChoice): void;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  age(seconds: number): string;
}

const PreferencesContext = createContext<Preferences | null>(null);
const STORED = 'refundhub.console.preferences';

function stored(): { language?: Language; timeZone?: TimeZoneChoice } {
  try {
    return JSON.parse(localStorage.getItem(STORED) ?? '{}') as { language?: Language; timeZone?: TimeZoneChoice };
  } catch {
    return {};
  }
}

/** Language (zh-CN by default) and time zone (China time by default), remembered in this browser. */
export function PreferencesProvider({
  children,
  initial = {},
}: {
  children: ReactNode;
  initial?: { language?: Language; timeZone?: TimeZoneChoice };
}) {
  const [language, setLanguageState] = useState<Language>(() => initial.language ?? stored().language ?? 'zh-CN');
  const [timeZone, setTimeZoneState] = useState<TimeZoneChoice>(
    () => initial.timeZone ?? stored().timeZone ?? 'Asia/Shanghai',
  );
  const remember = useCallback((next: { language: Language; timeZone: TimeZoneChoice }) => {
    try {
      localStorage.setItem(STORED, JSON.stringify(next));
    } catch {
      // Private windows may refuse storage: the choice then lasts for this page only.
    }
  }, []);
  const value = useMemo<Preferences>(() => {
    const messages = MESSAGES[language];
    const [d, h, m, s] = messages.ageUnits.split('|');
    return {
      language,
      timeZone,
      setLanguage: (next) => {
        setLanguageState(next);
        remember({ language: next, timeZone });
      },
      setTimeZone: (next) => {
        setTimeZoneState(next);
        remember({ language, timeZone: next });
      },
      t: (key, values) => translate(messages, key, values),
      age: (seconds) => formatAge(seconds, { d, h, m, s }),
    };
  }, [language, timeZone, remember]);
  return (
    <PreferencesContext.Provider value={value}>
      <ConfigProvider locale={language === 'zh-CN' ? zh_CN : enUS}>{children}</ConfigProvider>
    </PreferencesContext.Provider>
  );
}

export function usePreferences(): Preferences {
  const found = useContext(PreferencesContext);
  if (!found) throw new Error('usePreferences needs a PreferencesProvider');
  return found;
}
