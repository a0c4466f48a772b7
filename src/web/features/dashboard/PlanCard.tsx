import { Card, Descriptions, Flex, Progress, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DashboardPlan } from './api.ts';
import { activeRoundStates, formatRate, percentOf, versionName } from './figures.ts';

const roundColor: Record<string, string> = {
  open: 'processing',
  scheduled: 'blue',
  draft: 'default',
  closed: 'orange',
  assessing: 'gold',
  feedback: 'purple',
  finished: 'green',
};

/** One plan on the dashboard: its version, rounds, the open rounds' replies, opinions and objections. */
export function PlanCard({ plan }: { plan: DashboardPlan }) {
  const { t, i18n } = useTranslation();
  const states = activeRoundStates(plan.rounds);
  const { opinions, objections } = plan;
  return (
    <Card
      data-testid="dashboard-plan"
      title={
        <Link to={`/plans/${plan.id}`} aria-label={`${t('leader.dashboard.openPlan')} ${plan.name}`}>
          <strong style={{ whiteSpace: 'normal' }}>{plan.name}</strong>
        </Link>
      }
      extra={
        <Link to={`/plans/${plan.id}/metrics`} aria-label={`${t('leader.dashboard.metrics')} ${plan.name}`}>
          {t('leader.dashboard.metrics')}
        </Link>
      }
      style={{ height: '100%' }}
    >
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('leader.dashboard.version')}>
          {plan.currentVersion ? versionName(plan.currentVersion) : t('leader.dashboard.noVersion')}
        </Descriptions.Item>
        <Descriptions.Item label={t('leader.dashboard.rounds')}>
          {states.length === 0 ? (
            t('leader.dashboard.noRounds')
          ) : (
            <Flex gap={4} wrap>
              {states.map(({ state, count }) => (
                <Tag key={state} color={roundColor[state]}>
                  {t('leader.dashboard.roundCount', {
                    state: t(`leader.dashboard.roundStates.${state}`),
                    count,
                  })}
                </Tag>
              ))}
            </Flex>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('leader.dashboard.opinions')}>
          <Space orientation="vertical" size={0}>
            <span data-testid="plan-opinions">
              {t('leader.dashboard.opinionFigures', {
                received: opinions.received,
                disposed: opinions.disposed,
                adopted: opinions.adopted,
              })}
            </span>
            <Typography.Text type="secondary">
              {t('leader.dashboard.adoptionRate', { rate: formatRate(opinions.adoptionRate) })}
            </Typography.Text>
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('leader.dashboard.objections')}>
          {objections.open + objections.escalated === 0 ? (
            t('leader.dashboard.noObjections')
          ) : (
            <Typography.Text type={objections.escalated > 0 ? 'warning' : undefined}>
              {t('leader.dashboard.objectionFigures', objections)}
            </Typography.Text>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('leader.dashboard.revision')}>
          {plan.openRevision ? (
            <Space wrap size={4}>
              <Tag color={plan.openRevision.status === 'submitted' ? 'orange' : 'blue'}>
                {t(`leader.revision.statuses.${plan.openRevision.status}`, {
                  defaultValue: plan.openRevision.status,
                })}
              </Tag>
              <Link to={`/plans/${plan.id}/revision`}>{t('leader.dashboard.viewRevision')}</Link>
            </Space>
          ) : (
            t('leader.dashboard.noRevision')
          )}
        </Descriptions.Item>
      </Descriptions>
      {plan.openRounds.map((round) => (
        <div key={round.roundId} data-testid="open-round" style={{ marginTop: 8 }}>
          <Link to={`/rounds/${round.roundId}`}>
            <Typography.Text style={{ whiteSpace: 'normal' }}>
              {t('leader.dashboard.openRound', {
                title: round.title,
                replied: round.replied,
                invited: round.invited,
                date: new Date(`${round.deadline}T00:00:00`).toLocaleDateString(i18n.language),
              })}
            </Typography.Text>
          </Link>
          <Progress
            percent={percentOf(round.responseRate)}
            size="small"
            format={() => formatRate(round.responseRate)}
            aria-label={`${t('leader.dashboard.responseRate')} ${round.title}`}
          />
        </div>
      ))}
    </Card>
  );
}
