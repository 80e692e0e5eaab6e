import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';

import { ApiError, demoApiKey } from '../api/client';
import { usePreferences } from '../i18n/preferences';
import { useSession } from '../session/session';

export function SignIn() {
  const { t } = usePreferences();
  const { signIn, signedOutBecause } = useSession();
  const [form] = Form.useForm<{ apiKey: string }>();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [demo, setDemo] = useState(false);

  useEffect(() => {
    let live = true;
    void demoApiKey().then((key) => {
      if (live && key && !form.getFieldValue('apiKey')) {
        form.setFieldsValue({ apiKey: key });
        setDemo(true);
      }
    });
    return () => {
      live = false;
    };
  }, [form]);

  const submit = async ({ apiKey }: { apiKey: string }) => {
    setBusy(true);
    setProblem(null);
    try {
      await signIn(apiKey.trim());
    } catch (error) {
      setProblem(
        error instanceof ApiError && (error.status === 401 || error.status === 403)
          ? t('keyRejected')
          : t('error', { message: (error as Error).message }),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="sign-in">
      <Card title={t('signInTitle')} style={{ maxWidth: 460, margin: '10vh auto' }}>
        <Typography.Paragraph type="secondary">{t('signInHelp')}</Typography.Paragraph>
        {signedOutBecause === 'expired' && !problem && (
          <Alert
            type="warning"
            showIcon
            title={t('sessionEnded')}
            style={{ marginBottom: 16 }}
            data-testid="session-ended"
          />
        )}
        {problem && (
          <Alert type="error" showIcon title={problem} style={{ marginBottom: 16 }} data-testid="sign-in-error" />
        )}
        {demo && <Alert type="info" title={t('demoKeyFilled')} style={{ marginBottom: 16 }} />}
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="apiKey" label={t('apiKey')} rules={[{ required: true, message: t('apiKeyRequired') }]}>
            <Input.Password autoComplete="off" autoFocus />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} block>
            {t('signIn')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
