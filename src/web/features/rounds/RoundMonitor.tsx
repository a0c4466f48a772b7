import {
  Alert,
  Button,
  Col,
  Empty,
  Flex,
  Popconfirm,
  Row,
  Skeleton,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { PlainText } from '../../ui/PlainText.tsx';
import type { Extension, Invitation, Round } from './api.ts';
import { useManualRemind } from '../reminders/api.ts';
import { useDecideExtension, useExtensions, useInvitations, useRemindAll } from './api.ts';
import {
  canRemind,
  countMonitorStates,
  MONITOR_STATES,
  monitorState,
  monitorStateColor,
  remindable,
} from './monitor.ts';

const extensionColor: Record<Extension['status'], string> = {
  pending: 'orange',
  granted: 'green',
  refused: 'default',
};

/** Requests for more time from the units, granted or refused by the organizer. */
function Extensions({ round, invitations }: { round: Round; invitations: Invitation[] }) {
  const { t } = useTranslation();
  const extensions = useExtensions(round.id);
  const decide = useDecideExtension(round.id);
  const byId = new Map(invitations.map((i) => [i.id, i]));
  if (extensions.isPending) {
    return <Skeleton active />;
  }
  if (extensions.isError) {
    return <ErrorAlert error={extensions.error} onRetry={() => void extensions.refetch()} />;
  }
  const decidable = round.status === 'open' || round.status === 'closed';
  const columns: TableColumnsType<Extension> = [
    {
      title: t('round.unit'),
      dataIndex: 'invitationId',
      render: (id: string, e) => byId.get(id)?.unitName ?? e.unitId,
    },
    {
      title: t('round.extensions.until'),
      dataIndex: 'requestedUntil',
      render: (until: string, e) => (
        <span>
          {until}
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {t('round.extensions.extra', { count: e.extraWorkingDays })}
          </Typography.Text>
        </span>
      ),
    },
    {
      title: t('round.extensions.reason'),
      dataIndex: 'reason',
      render: (reason: string) => <PlainText text={reason} />,
    },
    {
      title: t('round.status'),
      dataIndex: 'status',
      render: (s: Extension['status']) => (
        <Tag color={extensionColor[s]}>{t(`round.extensions.statuses.${s}`)}</Tag>
      ),
    },
    {
      title: t('round.operations'),
      key: 'actions',
      render: (_, e) => {
        if (e.status !== 'pending' || !decidable) {
          return '—';
        }
        const unit = byId.get(e.invitationId)?.unitName ?? '';
        return (
          <Space wrap>
            <Popconfirm
              title={t('round.extensions.grantConfirm', {
                unit,
                date: e.requestedUntil,
                count: e.extraWorkingDays,
              })}
              description={round.status === 'closed' ? t('round.extensions.reopens') : undefined}
              okText={t('common.confirm')}
              cancelText={t('common.cancel')}
              onConfirm={() => decide.mutate({ id: e.id, decision: 'grant' })}
            >
              <Button size="small" type="primary" aria-label={`${t('round.extensions.grant')} ${unit}`}>
                {t('round.extensions.grant')}
              </Button>
            </Popconfirm>
            <Popconfirm
              title={t('round.extensions.refuseConfirm', { unit })}
              okText={t('common.confirm')}
              cancelText={t('common.cancel')}
              onConfirm={() => decide.mutate({ id: e.id, decision: 'refuse' })}
            >
              <Button size="small" danger aria-label={`${t('round.extensions.refuse')} ${unit}`}>
                {t('round.extensions.refuse')}
              </Button>
            </Popconfirm>
          </Space>
        );
      },
    },
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="extensions">
      <Typography.Title level={5}>{t('round.extensions.title')}</Typography.Title>
      <Table
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={extensions.data}
        pagination={false}
        scroll={{ x: 720 }}
        locale={{ emptyText: <Empty description={t('round.extensions.empty')} /> }}
      />
      {decide.isError && <ErrorAlert error={decide.error} />}
    </Space>
  );
}

/**
 * The per-unit monitor of a round: where each unit's reply stands, reminders (催办) to units that have not
 * sent, and their requests for more time.
 */
export function RoundMonitor({ round }: { round: Round }) {
  const { t, i18n } = useTranslation();
  const invitations = useInvitations(round.id);
  const remind = useManualRemind(round.id);
  const remindAll = useRemindAll(round.id);
  if (invitations.isPending) {
    return <Skeleton active />;
  }
  if (invitations.isError) {
    return <ErrorAlert error={invitations.error} onRetry={() => void invitations.refetch()} />;
  }
  if (invitations.data.length === 0) {
    return <Empty description={t('round.noInvitations')} />;
  }
  const counts = countMonitorStates(invitations.data);
  const silent = remindable(invitations.data, round.status);
  const columns: TableColumnsType<Invitation> = [
    {
      title: t('round.unit'),
      dataIndex: 'unitName',
      render: (name: string, inv) => (
        <span>
          {name}
          {inv.mandatory && (
            <Tag color="red" style={{ marginInlineStart: 4 }}>
              {t('wizard.mandatory')}
            </Tag>
          )}
          {inv.forwardedByUnitName && (
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {t('round.forwardedBy', { unit: inv.forwardedByUnitName })}
            </Typography.Text>
          )}
        </span>
      ),
    },
    {
      title: t('round.level'),
      dataIndex: 'level',
      render: (level: string) => t(`assessment.levels.${level}`),
    },
    {
      title: t('round.replyState'),
      key: 'state',
      render: (_, inv) => {
        const s = monitorState(inv);
        return <Tag color={monitorStateColor[s]}>{t(`round.monitor.${s}`)}</Tag>;
      },
    },
    {
      title: t('round.status'),
      dataIndex: 'status',
      render: (s: string) => t(`round.invitationStatuses.${s}`, { defaultValue: s }),
    },
    {
      title: t('round.deadline'),
      dataIndex: 'deadline',
      render: (d: string, inv) => (inv.extended ? `${d} (${t('round.extended')})` : d),
    },
    { title: t('round.replyVersion'), dataIndex: 'replyVersion' },
    {
      title: t('round.reminders.column'),
      key: 'reminders',
      render: (_, inv) =>
        inv.lastRemindedAt ? (
          <span data-testid="last-reminded">
            {t('round.reminders.times', { count: inv.reminderCount })}
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {new Date(inv.lastRemindedAt).toLocaleString(i18n.language)}
            </Typography.Text>
          </span>
        ) : (
          '—'
        ),
    },
    {
      title: t('round.operations'),
      key: 'actions',
      render: (_, inv) =>
        canRemind(inv, round.status) ? (
          <Button
            size="small"
            loading={remind.isPending && remind.variables.invitationId === inv.id}
            onClick={() => {
              remindAll.reset();
              remind.mutate({ invitationId: inv.id });
            }}
            aria-label={`${t('round.reminders.remind')} ${inv.unitName}`}
          >
            {t('round.reminders.remind')}
          </Button>
        ) : (
          '—'
        ),
    },
  ];
  const reminded = remind.data;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Row gutter={[8, 8]}>
        {MONITOR_STATES.map((s) => (
          <Col key={s} xs={12} sm={8} md={4}>
            <Statistic title={t(`round.monitor.${s}`)} value={counts.get(s) ?? 0} />
          </Col>
        ))}
        <Col xs={12} sm={8} md={4}>
          <Statistic title={t('round.invitedTotal')} value={invitations.data.length} />
        </Col>
      </Row>
      {round.status === 'open' && (
        <Flex gap={8} wrap align="center">
          <Popconfirm
            title={t('round.reminders.allConfirm', { count: silent.length })}
            okText={t('common.confirm')}
            cancelText={t('common.cancel')}
            disabled={silent.length === 0}
            onConfirm={() => {
              remind.reset();
              remindAll.mutate(silent);
            }}
          >
            <Button disabled={silent.length === 0} loading={remindAll.isPending}>
              {t('round.reminders.all', { count: silent.length })}
            </Button>
          </Popconfirm>
          <Typography.Text type="secondary">{t('round.reminders.hint')}</Typography.Text>
        </Flex>
      )}
      {reminded && !remind.isPending && (
        <Alert
          type="success"
          showIcon
          role="status"
          title={t('round.reminders.recorded', { unit: reminded.unitName, count: reminded.reminderCount })}
        />
      )}
      {remind.isError && <ErrorAlert error={remind.error} />}
      {remindAll.data && (
        <Alert
          type={remindAll.data.failed.length > 0 ? 'warning' : 'success'}
          showIcon
          role="status"
          title={t('round.reminders.allRecorded', { count: remindAll.data.reminded.length })}
          description={
            remindAll.data.failed.length > 0 ? (
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {remindAll.data.failed.map((f) => (
                  <li key={f.invitation.id}>
                    {t('round.reminders.failedOne', { unit: f.invitation.unitName, message: f.message })}
                  </li>
                ))}
              </ul>
            ) : undefined
          }
        />
      )}
      <Table
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={invitations.data}
        pagination={false}
        scroll={{ x: 960 }}
      />
      <Extensions round={round} invitations={invitations.data} />
    </Space>
  );
}
