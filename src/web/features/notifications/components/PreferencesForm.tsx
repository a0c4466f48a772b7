import { Alert, Button, Checkbox, Flex, Form, Radio, Skeleton, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { ItemList } from '../../../ui/ItemList.tsx';
import type { DigestMode, KindPreference, NotificationLocale, Preferences } from '../api.ts';
import { usePreferences, useSavePreferences } from '../api.ts';
import { kindLabelKey } from '../notifications.ts';

const LOCALES: readonly NotificationLocale[] = ['zh', 'en'];
const DIGESTS: readonly DigestMode[] = ['none', 'daily'];

function PreferencesEditor({ initial }: { initial: Preferences }) {
  const { t } = useTranslation();
  const save = useSavePreferences();
  const [digest, setDigest] = useState(initial.digest);
  const [locale, setLocale] = useState(initial.locale);
  const [kinds, setKinds] = useState<KindPreference[]>(initial.kinds);
  const [saved, setSaved] = useState(false);

  const change = (kind: KindPreference['kind'], patch: Partial<Pick<KindPreference, 'inApp' | 'email'>>) => {
    setSaved(false);
    setKinds((current) => current.map((k) => (k.kind === kind ? { ...k, ...patch } : k)));
  };

  return (
    <Form
      layout="vertical"
      onFinish={() =>
        save.mutate(
          { digest, locale, kinds },
          { onSuccess: () => setSaved(true), onError: () => setSaved(false) },
        )
      }
    >
      <Flex vertical gap={12}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('notifications.preferences.intro')}
        </Typography.Paragraph>
        <section aria-label={t('notifications.preferences.kinds')}>
          <ItemList
            items={kinds}
            itemKey={(k) => k.kind}
            itemProps={(k) => ({ 'data-testid': 'preference-row', 'data-kind': k.kind })}
            render={(k) => {
              const label = t(kindLabelKey(k.kind));
              return (
                <Flex gap={8} wrap align="center" justify="space-between">
                  <Typography.Text>{label}</Typography.Text>
                  <Flex gap={16}>
                    <Checkbox
                      checked={k.inApp}
                      aria-label={t('notifications.preferences.channel', {
                        kind: label,
                        channel: t('notifications.preferences.inApp'),
                      })}
                      onChange={(e) => change(k.kind, { inApp: e.target.checked })}
                    >
                      {t('notifications.preferences.inApp')}
                    </Checkbox>
                    <Checkbox
                      checked={k.email}
                      aria-label={t('notifications.preferences.channel', {
                        kind: label,
                        channel: t('notifications.preferences.email'),
                      })}
                      onChange={(e) => change(k.kind, { email: e.target.checked })}
                    >
                      {t('notifications.preferences.email')}
                    </Checkbox>
                  </Flex>
                </Flex>
              );
            }}
          />
        </section>
        <Form.Item label={t('notifications.preferences.digest')} style={{ marginBottom: 0 }}>
          <Radio.Group
            aria-label={t('notifications.preferences.digest')}
            value={digest}
            onChange={(e) => {
              setSaved(false);
              setDigest(e.target.value as DigestMode);
            }}
            options={DIGESTS.map((d) => ({ value: d, label: t(`notifications.preferences.digests.${d}`) }))}
          />
        </Form.Item>
        <Form.Item label={t('notifications.preferences.locale')} style={{ marginBottom: 0 }}>
          <Radio.Group
            aria-label={t('notifications.preferences.locale')}
            value={locale}
            onChange={(e) => {
              setSaved(false);
              setLocale(e.target.value as NotificationLocale);
            }}
            options={LOCALES.map((l) => ({ value: l, label: t(`notifications.locales.${l}`) }))}
          />
        </Form.Item>
        {save.isError && <ErrorAlert error={save.error} />}
        {saved && <Alert type="success" showIcon title={t('notifications.preferences.saved')} />}
        <div>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('notifications.preferences.save')}
          </Button>
        </div>
      </Flex>
    </Form>
  );
}

/** The signed-in user's channels per kind of notification, e-mail digest and e-mail language. */
export function PreferencesForm() {
  const preferences = usePreferences();
  if (preferences.isPending) {
    return <Skeleton active />;
  }
  if (preferences.isError) {
    return <ErrorAlert error={preferences.error} onRetry={() => void preferences.refetch()} />;
  }
  return <PreferencesEditor initial={preferences.data} />;
}
