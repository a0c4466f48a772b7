import { ApartmentOutlined, BarChartOutlined, ExperimentOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Flex, Popconfirm, Skeleton, Space, Tabs, Tag } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { usePrefetchRoundOpinions } from '../../features/assessment/api.ts';
import { Objections } from '../../features/assessment/Objections.tsx';
import { OpinionTable } from '../../features/assessment/OpinionTable.tsx';
import { useVersion, type Clause } from '../../features/plans/api.ts';
import {
  actionsByStatus,
  useInvitations,
  useRound,
  useRoundAction,
  type Round,
  type RoundAction,
} from '../../features/rounds/api.ts';
import { RoundExports } from '../../features/rounds/RoundExports.tsx';
import { RoundMonitor } from '../../features/rounds/RoundMonitor.tsx';
import { RemindersPanel } from '../../features/reminders/RemindersPanel.tsx';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';

const CONFIRMED: ReadonlySet<RoundAction> = new Set(['open', 'close', 'feedback', 'finish']);

function flatten(clauses: Clause[]): Clause[] {
  return clauses.flatMap((c) => [c, ...flatten(c.children)]);
}

function RoundActions({ round }: { round: Round }) {
  const { t } = useTranslation();
  const action = useRoundAction(round.id);
  const actions = actionsByStatus[round.status] ?? [];
  return (
    <Space wrap>
      {actions.map((name) =>
        CONFIRMED.has(name) ? (
          <Popconfirm
            key={name}
            title={t(`round.confirm.${name}`)}
            okText={t('common.confirm')}
            cancelText={t('common.cancel')}
            onConfirm={() => action.mutate(name)}
          >
            <Button type="primary" loading={action.isPending && action.variables === name}>
              {t(`round.actions.${name}`)}
            </Button>
          </Popconfirm>
        ) : (
          <Button
            key={name}
            loading={action.isPending && action.variables === name}
            onClick={() => action.mutate(name)}
          >
            {t(`round.actions.${name}`)}
          </Button>
        ),
      )}
      {action.isError && <ErrorAlert error={action.error} />}
    </Space>
  );
}

export function RoundPage() {
  const { t, i18n } = useTranslation();
  const { roundId = '' } = useParams();
  const round = useRound(roundId);
  const invitations = useInvitations(roundId);
  // The opinion table is what the page is mostly for: its first page loads alongside the round.
  usePrefetchRoundOpinions(roundId);
  const version = useVersion(round.data?.versionId);
  const clauses = useMemo(() => flatten(version.data?.clauses ?? []), [version.data]);
  const unitNames = useMemo(
    () => new Map((invitations.data ?? []).map((i) => [i.unitId, i.unitName])),
    [invitations.data],
  );
  if (round.isPending) {
    return <Skeleton active />;
  }
  if (round.isError) {
    return <ErrorAlert error={round.error} onRetry={() => void round.refetch()} />;
  }
  const r = round.data;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Flex gap={8} wrap align="center">
            <span>{r.title}</span>
            <Tag color="blue" data-testid="round-status">
              {t(`round.statuses.${r.status}`)}
            </Tag>
          </Flex>
        }
        extra={
          <Space wrap>
            <Link to={`/rounds/${r.id}/metrics`}>
              <BarChartOutlined /> {t('round.metrics')}
            </Link>
            <Link to={`/rounds/${r.id}/analysis`}>
              <ExperimentOutlined /> {t('analysis.open')}
            </Link>
            <Link to={`/rounds/${r.id}/conflicts`}>
              <ApartmentOutlined /> {t('integration.conflicts.open')}
            </Link>
            {r.kind === 'public' && (
              <Link to={`/rounds/${r.id}/moderation`}>{t('portal.moderation.link')}</Link>
            )}
            <Link to={`/plans/${r.planId}`}>{t('round.backToPlan')}</Link>
          </Space>
        }
      >
        <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }}>
          <Descriptions.Item label={t('wizard.kind')}>{t(`wizard.kinds.${r.kind}`)}</Descriptions.Item>
          <Descriptions.Item label={t('wizard.opensAt')}>
            {new Date(r.opensAt).toLocaleString(i18n.language)}
          </Descriptions.Item>
          <Descriptions.Item label={t('round.deadline')}>
            {r.deadline} ({t('round.workingDays', { count: r.workingDays })})
          </Descriptions.Item>
          <Descriptions.Item label={t('wizard.visibility')}>
            {t(`wizard.visibilities.${r.visibility}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('wizard.silencePolicy')}>
            {t(`wizard.silence.${r.silencePolicy}`)}
          </Descriptions.Item>
          {r.urgent && (
            <Descriptions.Item label={t('wizard.urgent')}>
              {r.urgentReason} ({r.urgentStatus})
            </Descriptions.Item>
          )}
        </Descriptions>
        <RoundActions round={r} />
      </Card>
      <Card>
        <Tabs
          items={[
            { key: 'monitor', label: t('round.tabs.monitor'), children: <RoundMonitor round={r} /> },
            { key: 'reminders', label: t('reminders.tab'), children: <RemindersPanel round={r} /> },
            {
              key: 'opinions',
              label: t('round.tabs.opinions'),
              children: (
                <OpinionTable
                  round={r}
                  clauses={clauses}
                  invitations={invitations.data ?? []}
                  unitNames={unitNames}
                />
              ),
            },
            {
              key: 'objections',
              label: t('round.tabs.objections'),
              children: <Objections round={r} unitNames={unitNames} />,
            },
            {
              key: 'exports',
              label: t('round.tabs.exports'),
              children: <RoundExports roundId={roundId} invitations={invitations.data ?? []} />,
            },
          ]}
        />
      </Card>
    </Space>
  );
}
