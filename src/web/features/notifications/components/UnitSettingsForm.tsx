import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Empty,
  Flex,
  Form,
  Input,
  Radio,
  Select,
  Skeleton,
  Switch,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import type { DigestMode, NotificationLocale, UnitSettings } from '../api.ts';
import { useSaveUnitSettings, useUnitSettings } from '../api.ts';
import type { NotificationKind, RobotDraft, WebhookProvider } from '../notifications.ts';
import { kindLabelKey, missingRobotFields, NOTIFICATION_KINDS, robotInputs } from '../notifications.ts';

const PROVIDERS: readonly WebhookProvider[] = ['dingtalk', 'wecom'];

let nextKey = 0;
const newKey = () => `new-${(nextKey += 1)}`;

const draftsOf = (settings: UnitSettings): RobotDraft[] =>
  settings.webhooks.map((w) => ({
    key: w.id,
    id: w.id,
    provider: w.provider,
    name: w.name,
    url: '',
    savedUrl: w.url,
    hasSecret: w.hasSecret,
    secret: '',
    clearSecret: false,
    enabled: w.enabled,
  }));

function RobotCard({
  draft,
  index,
  attempted,
  onChange,
  onRemove,
}: {
  draft: RobotDraft;
  index: number;
  attempted: boolean;
  onChange: (patch: Partial<RobotDraft>) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const missing = attempted ? missingRobotFields(draft) : [];
  const id = (field: string) => `robot-${draft.key}-${field}`;
  const title = draft.name.trim() || t('notifications.unit.robotTitle', { n: index + 1 });
  const required = (field: 'name' | 'url') =>
    missing.includes(field)
      ? {
          validateStatus: 'error' as const,
          help: t('notifications.unit.required', { field: t(`notifications.unit.${field}`) }),
        }
      : {};
  return (
    <Card
      size="small"
      data-testid="robot"
      title={<Typography.Text ellipsis={{ tooltip: title }}>{title}</Typography.Text>}
      extra={
        <Button
          type="text"
          danger
          size="small"
          icon={<DeleteOutlined />}
          aria-label={`${t('notifications.unit.remove')} ${title}`}
          onClick={onRemove}
        >
          {t('notifications.unit.remove')}
        </Button>
      }
    >
      <Flex vertical gap={0}>
        <Form.Item label={t('notifications.unit.provider')} htmlFor={id('provider')}>
          <Select<WebhookProvider>
            id={id('provider')}
            value={draft.provider}
            disabled={Boolean(draft.id)}
            onChange={(provider) => onChange({ provider })}
            options={PROVIDERS.map((p) => ({ value: p, label: t(`notifications.unit.providers.${p}`) }))}
            style={{ maxWidth: 240 }}
          />
        </Form.Item>
        <Form.Item label={t('notifications.unit.name')} htmlFor={id('name')} required {...required('name')}>
          <Input
            id={id('name')}
            value={draft.name}
            maxLength={100}
            onChange={(e) => onChange({ name: e.target.value })}
          />
        </Form.Item>
        <Form.Item
          label={t('notifications.unit.url')}
          htmlFor={id('url')}
          required={!draft.id}
          extra={
            draft.savedUrl ? (
              <span style={{ overflowWrap: 'anywhere' }}>
                {t('notifications.unit.urlKept', { url: draft.savedUrl })}
              </span>
            ) : undefined
          }
          {...required('url')}
        >
          <Input
            id={id('url')}
            type="url"
            inputMode="url"
            value={draft.url}
            maxLength={2000}
            placeholder={draft.id ? t('notifications.unit.urlKeep') : 'https://'}
            onChange={(e) => onChange({ url: e.target.value })}
          />
        </Form.Item>
        <Form.Item
          label={
            <Flex gap={8} align="center">
              {t('notifications.unit.secret')}
              <Tag color={draft.hasSecret ? 'green' : 'default'} data-testid="secret-state">
                {draft.hasSecret ? t('notifications.unit.secretSet') : t('notifications.unit.secretNotSet')}
              </Tag>
            </Flex>
          }
          htmlFor={id('secret')}
          extra={t(`notifications.unit.secretHint.${draft.provider}`)}
        >
          <Input.Password
            id={id('secret')}
            value={draft.secret}
            maxLength={500}
            autoComplete="new-password"
            placeholder={
              draft.hasSecret ? t('notifications.unit.secretReplace') : t('notifications.unit.secretNew')
            }
            onChange={(e) => onChange({ secret: e.target.value })}
          />
        </Form.Item>
        {draft.hasSecret && (
          <Form.Item>
            <Checkbox
              checked={draft.clearSecret}
              disabled={draft.secret.trim() !== ''}
              onChange={(e) => onChange({ clearSecret: e.target.checked })}
            >
              {t('notifications.unit.clearSecret')}
            </Checkbox>
          </Form.Item>
        )}
        <Form.Item
          label={t('notifications.unit.enabled')}
          htmlFor={id('enabled')}
          style={{ marginBottom: 0 }}
        >
          <Switch id={id('enabled')} checked={draft.enabled} onChange={(enabled) => onChange({ enabled })} />
        </Form.Item>
      </Flex>
    </Card>
  );
}

function UnitSettingsEditor({
  unitId,
  initial,
  saved,
  setSaved,
  onSaved,
}: {
  unitId: string;
  initial: UnitSettings;
  saved: boolean;
  setSaved: (saved: boolean) => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const save = useSaveUnitSettings(unitId);
  const [digest, setDigest] = useState(initial.digest);
  const [locale, setLocale] = useState(initial.locale);
  const [kinds, setKinds] = useState<NotificationKind[]>(initial.webhookKinds);
  const [robots, setRobots] = useState<RobotDraft[]>(() => draftsOf(initial));
  const [attempted, setAttempted] = useState(false);

  const edit =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      setSaved(false);
      set(value);
    };
  const changeRobot = (key: string, patch: Partial<RobotDraft>) =>
    edit(setRobots)(robots.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  const submit = () => {
    setAttempted(true);
    if (robots.some((r) => missingRobotFields(r).length > 0)) {
      return;
    }
    save.mutate(
      { digest, locale, webhookKinds: kinds, webhooks: robotInputs(robots) },
      { onSuccess: onSaved },
    );
  };

  return (
    <Form layout="vertical" onFinish={submit}>
      <Flex vertical gap={12}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('notifications.unit.intro')}
        </Typography.Paragraph>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('notifications.unit.robots')}
        </Typography.Title>
        {robots.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.unit.noRobots')} />
        ) : (
          robots.map((robot, index) => (
            <RobotCard
              key={robot.key}
              draft={robot}
              index={index}
              attempted={attempted}
              onChange={(patch) => changeRobot(robot.key, patch)}
              onRemove={() => edit(setRobots)(robots.filter((r) => r.key !== robot.key))}
            />
          ))
        )}
        <div>
          <Button
            icon={<PlusOutlined />}
            disabled={robots.length >= 20}
            onClick={() =>
              edit(setRobots)([
                ...robots,
                {
                  key: newKey(),
                  provider: 'dingtalk',
                  name: '',
                  url: '',
                  savedUrl: null,
                  hasSecret: false,
                  secret: '',
                  clearSecret: false,
                  enabled: true,
                },
              ])
            }
          >
            {t('notifications.unit.add')}
          </Button>
        </div>
        <Form.Item label={t('notifications.unit.webhookKinds')} style={{ marginBottom: 0 }}>
          <Checkbox.Group<NotificationKind>
            aria-label={t('notifications.unit.webhookKinds')}
            value={kinds}
            onChange={edit(setKinds)}
            options={NOTIFICATION_KINDS.map((k) => ({ value: k, label: t(kindLabelKey(k)) }))}
          />
        </Form.Item>
        <Form.Item label={t('notifications.unit.digest')} style={{ marginBottom: 0 }}>
          <Radio.Group
            aria-label={t('notifications.unit.digest')}
            value={digest}
            onChange={(e) => edit(setDigest)(e.target.value as DigestMode)}
            options={(['none', 'daily'] as const).map((d) => ({
              value: d,
              label: t(`notifications.preferences.digests.${d}`),
            }))}
          />
        </Form.Item>
        <Form.Item label={t('notifications.unit.locale')} style={{ marginBottom: 0 }}>
          <Radio.Group
            aria-label={t('notifications.unit.locale')}
            value={locale}
            onChange={(e) => edit(setLocale)(e.target.value as NotificationLocale)}
            options={(['zh', 'en'] as const).map((l) => ({
              value: l,
              label: t(`notifications.locales.${l}`),
            }))}
          />
        </Form.Item>
        {save.isError && <ErrorAlert error={save.error} />}
        {saved && <Alert type="success" showIcon title={t('notifications.unit.saved')} />}
        <div>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('notifications.unit.save')}
          </Button>
        </div>
      </Flex>
    </Form>
  );
}

/**
 * A unit's group robots (DingTalk, WeCom) and which kinds they hear. Secrets are write-only: the form shows
 * whether one is set and takes a new one; a stored address is shown without its parameters and kept unless
 * a new one is typed.
 */
export function UnitSettingsForm({ unitId }: { unitId: string }) {
  const settings = useUnitSettings(unitId);
  const [saved, setSaved] = useState(false);
  const [version, setVersion] = useState(0);
  if (settings.isPending) {
    return <Skeleton active />;
  }
  if (settings.isError) {
    return <ErrorAlert error={settings.error} onRetry={() => void settings.refetch()} />;
  }
  // A fresh editor after each save, from what was saved: typed secrets are not kept.
  return (
    <UnitSettingsEditor
      key={version}
      unitId={unitId}
      initial={settings.data}
      saved={saved}
      setSaved={setSaved}
      onSaved={() => {
        setVersion((v) => v + 1);
        setSaved(true);
      }}
    />
  );
}
