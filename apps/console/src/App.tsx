import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, Button, Layout, Menu, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation } from 'react-router-dom';

import { ApiError } from './api/client';
import { TIME_ZONES, type TimeZoneChoice } from './format/time';
import { LANGUAGES, type Language } from './i18n/messages';
import { PreferencesProvider, usePreferences } from './i18n/preferences';
import { Overview } from './pages/Overview';
import { RefundDetail } from './pages/RefundDetail';
import { Refunds } from './pages/Refunds';
import { SignIn } from './pages/SignIn';
import { SessionProvider, useSession } from './session/session';

function newQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A 4xx will not change by asking again; a network blip or a 5xx may.
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
        refetchOnWindowFocus: false,
      },
    },
    queryCache: new QueryCache(),
    mutationCache: new MutationCache(),
  });
}

const ZONE_LABELS = { 'Asia/Shanghai': 'zoneChina', local: 'zoneLocal', UTC: 'zoneUtc' } as const;

function Shell() {
  const { t, language, setLanguage, timeZone, setTimeZone } = usePreferences();
  const { me, maskedKey, signOut } = useSession();
  const location = useLocation();
  const selected = location.pathname.startsWith('/refunds') ? 'refunds' : 'overview';
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24 }}>
        <Typography.Text strong style={{ color: '#fff', whiteSpace: 'nowrap' }}>
          {t('appTitle')}
        </Typography.Text>
        <Menu
          theme="dark"
          mode="horizontal"
          selectedKeys={[selected]}
          style={{ flex: 1, minWidth: 0 }}
          items={[
            { key: 'overview', label: <Link to="/">{t('navOverview')}</Link> },
            { key: 'refunds', label: <Link to="/refunds">{t('navRefunds')}</Link> },
          ]}
        />
        <Space>
          <Select<Language>
            aria-label={t('language')}
            value={language}
            onChange={setLanguage}
            options={LANGUAGES.map((l) => ({ value: l, label: l === 'zh-CN' ? '中文' : 'English' }))}
            style={{ width: 100 }}
          />
          <Select<TimeZoneChoice>
            aria-label={t('timeZone')}
            value={timeZone}
            onChange={setTimeZone}
            options={TIME_ZONES.map((z) => ({ value: z, label: t(ZONE_LABELS[z]) }))}
            style={{ width: 130 }}
          />
          <Typography.Text style={{ color: '#fff' }} data-testid="signed-in-as">
            {t('signedInAs', { name: me?.name ?? '' })} ({maskedKey})
          </Typography.Text>
          <Button onClick={() => signOut()}>{t('signOut')}</Button>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 24 }}>
        <Routes>
          <Route path="/" element={<Overview />} />
          <Route path="/refunds" element={<Refunds />} />
          <Route path="/refunds/:id" element={<RefundDetail />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </Layout.Content>
    </Layout>
  );
}

function Gate() {
  const { api } = useSession();
  // Signing out drops every cached answer with the client that fetched it.
  const [client] = useState(newQueryClient);
  if (!api) {
    client.clear();
    return <SignIn />;
  }
  return (
    <QueryClientProvider client={client}>
      <Shell />
    </QueryClientProvider>
  );
}

export function App() {
  return (
    <PreferencesProvider>
      <AntApp>
        <SessionProvider>
          <BrowserRouter basename="/console">
            <Gate />
          </BrowserRouter>
        </SessionProvider>
      </AntApp>
    </PreferencesProvider>
  );
}
