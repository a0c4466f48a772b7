import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuthActions } from './api.ts';

export function ChangePasswordPage() {
  const { t } = useTranslation();
  const { changePassword } = useAuthActions();
  const [error, setError] = useState<string | null>(null);
  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', padding: 16 }}>
      <Card style={{ width: '100%', maxWidth: 380 }}>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {t('changePassword.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('changePassword.hint')}</Typography.Paragraph>
        {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={error} />}
        <Form
          layout="vertical"
          onFinish={(values: { current: string; next: string }) =>
            void (async () => {
              try {
                await changePassword(values.current, values.next);
              } catch (e) {
                setError(e instanceof Error ? e.message : String(e));
              }
            })()
          }
        >
          <Form.Item label={t('changePassword.current')} name="current" rules={[{ required: true }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item label={t('changePassword.next')} name="next" rules={[{ required: true, min: 10 }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block>
            {t('changePassword.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
