import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Skeleton,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DeadlineTag } from '../../ui/DeadlineTag.tsx';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { PlainText } from '../../ui/PlainText.tsx';
import type { Round } from '../rounds/api.ts';
import type { InvitationReminders, ReminderSettings, SentReminder } from './api.ts';
import { useManualRemind, useRoundReminders, useSaveReminderSettings } from './api.ts';
import type { SettingsField, SettingsFormValues } from './reminders.ts';
import {
  parseBeforeDays,
  remindBlocked,
  ruleColor,
  scheduleMessage,
  settingsFieldErrors,
  settingsFormValues,
} from './reminders.ts';

/** Round states in which the settings may still change (the server decides anyway). */
const SETTINGS_EDITABLE: ReadonlySet<string> = new Set(['draft', 'scheduled', 'open']);
const DAY_OPTIONS = ['1', '2', '3', '5', '10'].map((d) => ({ value: d, label: d }));

/** The automatic reminders the settings give on the round's own deadline. */
function Schedule({ settings }: { settings: ReminderSettings }) {
  const { t } = useTranslation();
  if (!settings.enabled) {
    return <Alert type="warning" showIcon title={t('reminders.schedule.off')} />;
  }
  return (
    <Flex vertical gap={4} data-testid="reminder-schedule">
      <Typography.Text strong>{t('reminders.schedule.title')}</Typography.Text>
      {settings.schedule.length === 0 && (
        <Typography.Text type="secondary">{t('reminders.schedule.empty')}</Typography.Text>
      )}
      {settings.schedule.map((s) => {
        const message = scheduleMessage(s);
        return (
          <Flex key={`${s.rule}:${s.dueOn}:${s.offset}`} gap={4} wrap align="baseline">
            <Tag color={ruleColor[s.rule]}>{t(`reminders.rules.${s.rule}`)}</Tag>
            <span>{t(message.key, message.values)}</span>
          </Flex>
        );
      })}
    </Flex>
  );
}

/** The organizer's settings of the round's automatic reminders, with the schedule they give. */
function SettingsCard({ round, settings }: { round: Round; settings: ReminderSettings }) {
  const { t, i18n } = useTranslation();
  const save = useSaveReminderSettings(round.id);
  const [form] = Form.useForm<SettingsFormValues>();
  const [saved, setSaved] = useState(false);
  const editable = SETTINGS_EDITABLE.has(round.status);
  const onFinish = (values: SettingsFormValues) => {
    setSaved(false);
    save.mutate(
      {
        beforeDays: parseBeforeDays(values.beforeDays ?? []).days,
        leaderAfterDays: values.leaderAfterDays ?? 0,
        enabled: values.enabled,
      },
      {
        onSuccess: (next) => {
          form.setFieldsValue(settingsFormValues(next));
          setSaved(true);
        },
        onError: (error) => {
          const errors = settingsFieldErrors(error);
          if (errors) {
            form.setFields(
              (Object.entries(errors) as [SettingsField, string][]).map(([name, message]) => ({
                name,
                errors: [t('reminders.settings.rejected', { message })],
              })),
            );
          }
        },
      },
    );
  };
  const fieldError = save.isError && settingsFieldErrors(save.error) !== null;
  return (
    <Card size="small" title={t('reminders.settings.title')} data-testid="reminder-settings">
      <Flex vertical gap="middle">
        {!editable && <Alert type="info" showIcon title={t('reminders.settings.locked')} />}
        <Row gutter={[24, 16]}>
          <Col xs={24} lg={12}>
            <Flex vertical gap="middle">
              <Form
                form={form}
                layout="vertical"
                disabled={!editable}
                initialValues={settingsFormValues(settings)}
                onFinish={onFinish}
                onValuesChange={() => setSaved(false)}
              >
                <Form.Item
                  name="beforeDays"
                  label={t('reminders.settings.beforeDays')}
                  extra={t('reminders.settings.beforeDaysHelp')}
                  rules={[
                    {
                      validator: async (_, value: string[] | undefined) => {
                        const { invalid } = parseBeforeDays(value ?? []);
                        if (invalid.length > 0) {
                          throw new Error(
                            t('reminders.settings.beforeDaysInvalid', { values: invalid.join('、') }),
                          );
                        }
                      },
                    },
                  ]}
                >
                  <Select mode="tags" options={DAY_OPTIONS} tokenSeparators={[',', '，', '、', ' ']} />
                </Form.Item>
                <Form.Item
                  name="leaderAfterDays"
                  label={t('reminders.settings.leaderAfterDays')}
                  rules={[{ required: true, message: t('common.required') }]}
                >
                  <InputNumber min={1} precision={0} style={{ width: 120 }} />
                </Form.Item>
                <Form.Item name="enabled" label={t('reminders.settings.enabled')} valuePropName="checked">
                  <Switch
                    checkedChildren={t('reminders.settings.enabledOn')}
                    unCheckedChildren={t('reminders.settings.enabledOff')}
                  />
                </Form.Item>
                <Flex gap={8} wrap align="center">
                  <Button type="primary" htmlType="submit" loading={save.isPending}>
                    {t('reminders.settings.save')}
                  </Button>
                  <Typography.Text type="secondary">
                    {settings.isDefault
                      ? t('reminders.settings.isDefault')
                      : settings.updatedAt
                        ? t('reminders.settings.updated', {
                            time: new Date(settings.updatedAt).toLocaleString(i18n.language),
                          })
                        : null}
                  </Typography.Text>
                </Flex>
              </Form>
              {saved && !save.isPending && (
                <Alert type="success" showIcon role="status" title={t('reminders.settings.saved')} />
              )}
              {save.isError && !fieldError && <ErrorAlert error={save.error} />}
            </Flex>
          </Col>
          <Col xs={24} lg={12}>
            <Schedule settings={settings} />
          </Col>
        </Row>
      </Flex>
    </Card>
  );
}

/** One reminder sent: its rule, when, by whom, how many were told, and the organizer's note. */
function SentLine({ reminder }: { reminder: SentReminder }) {
  const { t, i18n } = useTranslation();
  return (
    <div data-testid="sent-reminder">
      <Flex gap={4} wrap align="baseline">
        <Tag color={ruleColor[reminder.rule]}>{t(`reminders.rules.${reminder.rule}`)}</Tag>
        <Typography.Text style={{ fontSize: 12 }}>
          {new Date(reminder.sentAt).toLocaleString(i18n.language)}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {reminder.sentBy
            ? t('reminders.sentBy', { name: reminder.sentByName ?? reminder.sentBy })
            : t('reminders.sentBySystem')}
          {' · '}
          {t('reminders.recipients', { count: reminder.recipients.length })}
        </Typography.Text>
      </Flex>
      {reminder.note && <PlainText type="secondary" text={`${t('reminders.noteLabel')}${reminder.note}`} />}
    </div>
  );
}

/** The organizer's reminder by hand, with an optional note; the dialog is the confirmation. */
function RemindModal({
  roundId,
  target,
  onClose,
  onSent,
}: {
  roundId: string;
  target: InvitationReminders | null;
  onClose: () => void;
  onSent: (unitName: string) => void;
}) {
  const { t } = useTranslation();
  const remind = useManualRemind(roundId);
  const [form] = Form.useForm<{ note?: string }>();
  return (
    <Modal
      open={target !== null}
      title={target ? t('reminders.remindTitle', { unit: target.unitName }) : null}
      okText={t('reminders.remindSend')}
      cancelText={t('common.cancel')}
      confirmLoading={remind.isPending}
      onOk={() => form.submit()}
      onCancel={() => {
        remind.reset();
        onClose();
      }}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) => {
          if (!target) {
            return;
          }
          remind.mutate(
            { invitationId: target.invitationId, note: values.note ?? null },
            { onSuccess: () => onSent(target.unitName) },
          );
        }}
      >
        <Form.Item name="note" label={t('reminders.remindNote')}>
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 6 }}
            maxLength={500}
            showCount
            placeholder={t('reminders.remindNotePlaceholder')}
          />
        </Form.Item>
        {remind.isError && <ErrorAlert error={remind.error} />}
      </Form>
    </Modal>
  );
}

/**
 * Reminders (催办) and supervision (督办) in the round monitor: per invited unit the reminders sent so far and
 * the next automatic one, a reminder by hand, and the round's reminder settings with their schedule.
 */
export function RemindersPanel({ round }: { round: Round }) {
  const { t } = useTranslation();
  const reminders = useRoundReminders(round.id);
  const [target, setTarget] = useState<InvitationReminders | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  if (reminders.isPending) {
    return <Skeleton active />;
  }
  if (reminders.isError) {
    return <ErrorAlert error={reminders.error} onRetry={() => void reminders.refetch()} />;
  }
  const columns: TableColumnsType<InvitationReminders> = [
    { title: t('reminders.unit'), dataIndex: 'unitName', width: 160 },
    {
      title: t('reminders.status'),
      dataIndex: 'status',
      width: 100,
      render: (s: string) => t(`round.invitationStatuses.${s}`, { defaultValue: s }),
    },
    {
      title: t('reminders.deadline'),
      key: 'deadline',
      width: 150,
      render: (_, inv) => (
        <span>
          <DeadlineTag workingDaysLeft={inv.workingDaysLeft} deadline={inv.deadline} done={inv.replied} />
          {!inv.replied && (
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {inv.deadline}
            </Typography.Text>
          )}
        </span>
      ),
    },
    {
      title: t('reminders.sent'),
      key: 'sent',
      render: (_, inv) =>
        inv.reminders.length === 0 ? (
          t('reminders.none')
        ) : (
          <Flex vertical gap={4}>
            {inv.reminders.map((r) => (
              <SentLine key={r.id} reminder={r} />
            ))}
          </Flex>
        ),
    },
    {
      title: t('reminders.next'),
      key: 'next',
      width: 190,
      render: (_, inv) =>
        inv.replied ? (
          <Typography.Text type="secondary">{t('reminders.nextReplied')}</Typography.Text>
        ) : inv.next ? (
          <span data-testid="next-reminder">
            {inv.next.dueOn}
            <Tag color={ruleColor[inv.next.rule]} style={{ marginInlineStart: 4 }}>
              {t(`reminders.rules.${inv.next.rule}`)}
            </Tag>
          </span>
        ) : (
          t('reminders.nothingNext')
        ),
    },
    {
      title: t('reminders.operations'),
      key: 'actions',
      width: 90,
      render: (_, inv) => {
        const blocked = remindBlocked(inv, round.status);
        const button = (
          <Button
            size="small"
            disabled={blocked !== null}
            onClick={() => {
              setSentTo(null);
              setTarget(inv);
            }}
            aria-label={`${t('reminders.remind')} ${inv.unitName}`}
          >
            {t('reminders.remind')}
          </Button>
        );
        return blocked ? (
          <Tooltip
            title={blocked === 'replied' ? t('reminders.disabledReplied') : t('reminders.disabledNotOpen')}
          >
            {button}
          </Tooltip>
        ) : (
          button
        );
      },
    },
  ];
  const { settings, invitations } = reminders.data;
  return (
    <Flex vertical gap="middle" data-testid="reminders-panel">
      <SettingsCard round={round} settings={settings} />
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('reminders.title')}
      </Typography.Title>
      {sentTo && (
        <Alert
          type="success"
          showIcon
          role="status"
          closable={{ onClose: () => setSentTo(null) }}
          title={t('reminders.reminded', { unit: sentTo })}
        />
      )}
      <Table
        rowKey="invitationId"
        size="small"
        columns={columns}
        dataSource={invitations}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{ emptyText: <Empty description={t('reminders.noInvitations')} /> }}
      />
      <RemindModal
        roundId={round.id}
        target={target}
        onClose={() => setTarget(null)}
        onSent={(unit) => {
          setTarget(null);
          setSentTo(unit);
        }}
      />
    </Flex>
  );
}
