/** POST /api/session; a 401 (wrong name or password) or 429 shows the server's message on the form. */
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Segmented, Typography } from 'antd';
import { useState } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { errorMessage } from '../../api/client.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import type { Lang } from '../../app/i18n.ts';
import { shellMessages } from '../../app/messages.ts';
import { useSession } from '../../app/SessionProvider.tsx';

interface LocationState {
  from?: string;
  expired?: boolean;
}

/** Only paths inside the app: never redirect to another site after signing in. */
function safeNext(from: string | undefined): string {
  return from && from.startsWith('/') && !from.startsWith('//') && !from.startsWith('/login') ? from : '/';
}

export default function LoginPage() {
  const t = useT(shellMessages);
  const { lang, setLang } = useI18n();
  const { state, login } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const locState = (location.state ?? {}) as LocationState;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (state.status === 'signed-in' && !busy) return <Navigate to={safeNext(locState.from)} replace />;

  const onFinish = async (values: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await login(values.username.trim(), values.password);
      navigate(safeNext(locState.from), { replace: true });
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <div className="tj-login">
      <div className="tj-login-lang">
        <Segmented
          size="small"
          aria-label={t('language')}
          value={lang}
          onChange={(v) => setLang(v as Lang)}
          options={[
            { label: '中文', value: 'zh' },
            { label: 'EN', value: 'en' },
          ]}
        />
      </div>
      <Card className="tj-login-card">
        <div style={{ textAlign: 'center', marginBottom: 20 }}>
          <img src="/favicon.svg" alt="" width={44} height={44} />
          <Typography.Title level={3} style={{ margin: '8px 0 0' }}>
            {t('loginTitle')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('loginSubtitle')}</Typography.Text>
        </div>
        {locState.expired && !error && (
          <Alert type="info" showIcon title={t('sessionExpired')} style={{ marginBottom: 16 }} />
        )}
        {error && (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={t('loginFailed')}
            description={error}
            style={{ marginBottom: 16 }}
            data-testid="login-error"
          />
        )}
        <Form layout="vertical" requiredMark={false} onFinish={onFinish} disabled={busy}>
          <Form.Item
            label={t('username')}
            name="username"
            rules={[{ required: true, whitespace: true, message: t('usernameRequired') }]}
          >
            <Input prefix={<UserOutlined aria-hidden />} autoComplete="username" autoFocus size="large" />
          </Form.Item>
          <Form.Item label={t('password')} name="password" rules={[{ required: true, message: t('passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="current-password" size="large" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={busy}>
            {t('signIn')}
          </Button>
        </Form>
        <Typography.Paragraph
          type="secondary"
          style={{ marginTop: 16, marginBottom: 0, fontSize: 12, textAlign: 'center' }}
        >
          {t('loginFooter')}
        </Typography.Paragraph>
        <div style={{ marginTop: 8, textAlign: 'center', fontSize: 13 }}>
          <Link to="/screener" data-testid="screener-link">
            {t('screenerLink')}
          </Link>
        </div>
      </Card>
    </div>
  );
}
