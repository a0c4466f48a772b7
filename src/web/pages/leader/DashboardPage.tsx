import { Button, Card, Col, Empty, Flex, Row, Skeleton, Space, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useDashboard } from '../../features/dashboard/api.ts';
import { formatRate, ratio, sortPlans } from '../../features/dashboard/figures.ts';
import { PlanCard } from '../../features/dashboard/PlanCard.tsx';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';

/** 领导看板: headline figures over every plan the leader may read, then one card per plan. */
export function DashboardPage() {
  const { t, i18n } = useTranslation();
  const dashboard = useDashboard();
  const title = (
    <Flex justify="space-between" align="center" wrap gap={8}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('leader.dashboard.title')}
      </Typography.Title>
      <Space wrap>
        {dashboard.data && (
          <Typography.Text type="secondary">
            {t('leader.dashboard.generatedAt', {
              time: new Date(dashboard.data.generatedAt).toLocaleString(i18n.language),
            })}
          </Typography.Text>
        )}
        <Button size="small" onClick={() => void dashboard.refetch()} loading={dashboard.isFetching}>
          {t('leader.dashboard.refresh')}
        </Button>
      </Space>
    </Flex>
  );
  if (dashboard.isPending) {
    return (
      <Space orientation="vertical" style={{ width: '100%' }}>
        {title}
        <Skeleton active />
      </Space>
    );
  }
  if (dashboard.isError) {
    return (
      <Space orientation="vertical" style={{ width: '100%' }}>
        {title}
        <ErrorAlert error={dashboard.error} onRetry={() => void dashboard.refetch()} />
      </Space>
    );
  }
  const { totals, plans } = dashboard.data;
  const stats = [
    { key: 'plans', value: totals.plans },
    { key: 'openRounds', value: totals.openRounds },
    { key: 'received', value: totals.received },
    {
      key: 'disposed',
      value: totals.disposed,
      note: t('leader.dashboard.disposedShare', {
        rate: formatRate(ratio(totals.disposed, totals.received)),
      }),
    },
    {
      key: 'adopted',
      value: totals.adopted,
      note: t('leader.dashboard.adoptionRate', { rate: formatRate(ratio(totals.adopted, totals.disposed)) }),
    },
    { key: 'openObjections', value: totals.openObjections },
  ];
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {title}
      <Row gutter={[12, 12]} data-testid="headline">
        {stats.map((s) => (
          <Col key={s.key} xs={12} sm={8} xl={4}>
            <Card size="small" style={{ height: '100%' }}>
              <Statistic title={t(`leader.dashboard.stats.${s.key}`)} value={s.value} />
              {s.note && <Typography.Text type="secondary">{s.note}</Typography.Text>}
            </Card>
          </Col>
        ))}
        <Col xs={24}>
          <Card size="small">
            <Flex justify="space-between" align="center" wrap gap={8}>
              <Statistic
                title={t('leader.dashboard.stats.pending')}
                value={totals.pendingApprovals}
                styles={{ content: { color: totals.pendingApprovals > 0 ? '#d46b08' : undefined } }}
              />
              <Link to="/approvals">
                <Button type={totals.pendingApprovals > 0 ? 'primary' : 'default'}>
                  {t('leader.dashboard.goApprove')}
                </Button>
              </Link>
            </Flex>
          </Card>
        </Col>
      </Row>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('leader.dashboard.plansTitle')}
      </Typography.Title>
      {plans.length === 0 ? (
        <Card>
          <Empty description={t('leader.dashboard.empty')} />
        </Card>
      ) : (
        <Row gutter={[12, 12]}>
          {sortPlans(plans).map((plan) => (
            <Col key={plan.id} xs={24} md={12} xxl={8}>
              <PlanCard plan={plan} />
            </Col>
          ))}
        </Row>
      )}
    </Space>
  );
}
