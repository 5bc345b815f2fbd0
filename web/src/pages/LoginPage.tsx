import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Flex, Form, Input, Segmented, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { api, ApiError } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { useRequest } from '../hooks/useRequest.ts';
import { useI18n, type Lang } from '../i18n.ts';
import type { Meta } from '../types.ts';

interface LoginForm {
  username: string;
  password: string;
}

interface LocationState {
  from?: string;
  loggedOut?: boolean;
}

export function LoginPage() {
  const { t, lang, setLang } = useI18n();
  const { user, login, checking } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const state = (location.state ?? {}) as LocationState;
  const [form] = Form.useForm<LoginForm>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [errorDetail, setErrorDetail] = useState<string | null>(null);
  const meta = useRequest((signal) => api<Meta>('/meta', { signal, quiet: true }), []);

  useEffect(() => {
    if (state.loggedOut) void message.success({ content: t('login.loggedOut'), key: 'logged-out' });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  if (!checking && user) return <Navigate to={state.from ?? '/'} replace />;

  const onFinish = async (values: LoginForm) => {
    setSubmitting(true);
    setError(null);
    try {
      await login(values.username.trim(), values.password);
      navigate(state.from && state.from !== '/login' ? state.from : '/', { replace: true });
    } catch (cause) {
      if (cause instanceof ApiError && cause.code === 'NETWORK') setError(t('common.networkError'));
      else if (cause instanceof ApiError && cause.status >= 500) setError(cause.detail ?? t('common.unknownError', { status: cause.status }));
      else setError(t('login.failed'));
      setErrorDetail(cause instanceof ApiError && cause.code !== 'NETWORK' && cause.status < 500 ? (cause.detail ?? null) : null);
    } finally {
      setSubmitting(false);
    }
  };

  const demoUsers = meta.data?.demo ? (meta.data.demoUsers ?? []) : [];

  return (
    <Flex
      justify="center"
      align="center"
      style={{ minHeight: '100vh', padding: 24, background: 'linear-gradient(135deg, #0b1f44 0%, #1d4ed8 60%, #38bdf8 100%)' }}
    >
      <Flex vertical gap={16} style={{ width: 420, maxWidth: '100%' }}>
        <Flex justify="space-between" align="center" style={{ color: '#fff' }}>
          <div>
            <Typography.Title level={2} style={{ color: '#fff', margin: 0 }}>
              {t('app.name')}
            </Typography.Title>
            <Typography.Text style={{ color: 'rgba(255,255,255,0.8)' }}>{t('app.subtitle')}</Typography.Text>
          </div>
          <Segmented<Lang>
            size="small"
            value={lang}
            onChange={setLang}
            options={[
              { label: '中文', value: 'zh' },
              { label: 'EN', value: 'en' },
            ]}
            data-testid="lang-switch"
          />
        </Flex>
        <Card title={t('login.welcome')} data-testid="login-card">
          {error ? <Alert type="error" showIcon title={error} description={errorDetail ?? undefined} style={{ marginBottom: 16 }} data-testid="login-error" /> : null}
          <Form<LoginForm> form={form} layout="vertical" onFinish={(v) => void onFinish(v)} requiredMark={false} disabled={submitting}>
            <Form.Item name="username" label={t('login.username')} rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}>
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" />
            </Form.Item>
            <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block size="large" loading={submitting} data-testid="login-submit">
              {t('login.submit')}
            </Button>
          </Form>
          {demoUsers.length > 0 ? (
            <Alert
              type="info"
              style={{ marginTop: 16 }}
              title={t('login.demoTitle')}
              data-testid="demo-hint"
              description={
                <Space orientation="vertical" size={8}>
                  <span>{t('login.demoHint')}</span>
                  <Flex wrap gap={6}>
                    {demoUsers.map((name) => (
                      <Tag
                        key={name}
                        color="blue"
                        style={{ cursor: 'pointer' }}
                        onClick={() => {
                          form.setFieldsValue({ username: name });
                          form.getFieldInstance('password')?.focus?.();
                        }}
                      >
                        {name}
                      </Tag>
                    ))}
                  </Flex>
                </Space>
              }
            />
          ) : null}
        </Card>
        <Typography.Text style={{ color: 'rgba(255,255,255,0.7)', textAlign: 'center', fontSize: 12 }}>
          {t('app.footer')}
          {meta.data?.version ? ` · v${meta.data.version}` : ''}
        </Typography.Text>
      </Flex>
    </Flex>
  );
}
