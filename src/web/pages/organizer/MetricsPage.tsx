import { Card, Col, Empty, Flex, Row, Select, Skeleton, Space, Statistic, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useMetrics, type Metrics, type MetricsScope, type UnitMetrics } from '../../features/metrics/api.ts';
import {
  buildCharts,
  chinaDateOf,
  formatNumber,
  formatPercent,
  headlines,
  imageFileName,
  type ChartContext,
  type Locale,
} from '../../features/metrics/chart-options.ts';
import { usePlan } from '../../features/plans/api.ts';
import { usePlanRounds, useRound } from '../../features/rounds/api.ts';
import { Chart } from '../../ui/Chart.tsx';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';

/** Where each chart sits on the grid (24 columns on a wide screen; one column on a phone). */
const SPAN: Record<string, number> = {
  participationByUnit: 12,
  participationByLevel: 12,
  timeline: 24,
  adoptionByUnit: 12,
  byCode: 12,
  cycles: 8,
  satisfaction: 8,
  objections: 8,
};

function Headlines({ metrics, locale }: { metrics: Metrics; locale: Locale }) {
  const { t } = useTranslation();
  const items = headlines(metrics, { t, locale });
  return (
    <Card size="small">
      <Row gutter={[16, 16]}>
        {items.map((h) => (
          <Col key={h.key} xs={12} sm={8} md={6} xl={4} data-testid={`headline-${h.key}`}>
            <Statistic title={h.title} value={h.value} />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {h.hint}
            </Typography.Text>
          </Col>
        ))}
      </Row>
    </Card>
  );
}

function UnitTable({ metrics, locale }: { metrics: Metrics; locale: Locale }) {
  const { t } = useTranslation();
  const percent = (rate: number | null) => formatPercent(rate, locale);
  const byRate = (key: keyof UnitMetrics) => (a: UnitMetrics, b: UnitMetrics) =>
    Number(a[key] ?? -1) - Number(b[key] ?? -1);
  const columns: TableColumnsType<UnitMetrics> = [
    { title: t('metrics.table.unit'), dataIndex: 'name', fixed: 'left', width: 180 },
    {
      title: t('metrics.table.level'),
      dataIndex: 'level',
      width: 80,
      render: (level: string) => t(`metrics.levels.${level}`),
    },
    { title: t('metrics.table.invited'), dataIndex: 'invited', align: 'right', width: 70 },
    { title: t('metrics.table.sent'), dataIndex: 'sent', align: 'right', width: 70 },
    { title: t('metrics.table.onTime'), dataIndex: 'onTime', align: 'right', width: 70 },
    {
      title: t('metrics.table.opinions'),
      dataIndex: 'opinions',
      align: 'right',
      width: 100,
      sorter: byRate('opinions'),
      render: (n: number) => formatNumber(n, locale),
    },
    {
      title: t('metrics.table.valid'),
      dataIndex: 'validOpinionRatio',
      align: 'right',
      width: 110,
      sorter: byRate('validOpinionRatio'),
      render: percent,
    },
    {
      title: t('metrics.table.adoption'),
      dataIndex: 'adoptionRate',
      align: 'right',
      width: 90,
      sorter: byRate('adoptionRate'),
      render: percent,
    },
    {
      title: t('metrics.table.satisfaction'),
      dataIndex: 'satisfaction',
      align: 'right',
      width: 110,
      sorter: byRate('satisfaction'),
      render: percent,
    },
    { title: t('metrics.table.objected'), dataIndex: 'objected', align: 'right', width: 100 },
    {
      title: t('metrics.table.score'),
      dataIndex: 'score',
      align: 'right',
      width: 90,
      sorter: byRate('score'),
      render: (score: number | null) => (score === null ? t('metrics.none') : formatNumber(score, locale)),
    },
  ];
  return (
    <Card size="small" title={t('metrics.table.title')} data-testid="unit-table">
      <Table
        rowKey="unitId"
        size="small"
        columns={columns}
        dataSource={metrics.byUnit}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 1090 }}
        locale={{ emptyText: <Empty description={t('metrics.empty.units')} /> }}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('metrics.table.scoreHint')}
      </Typography.Text>
    </Card>
  );
}

function Charts({ metrics, locale, scopeLabel }: { metrics: Metrics; locale: Locale; scopeLabel: string }) {
  const { t } = useTranslation();
  const charts = useMemo(() => {
    const ctx: ChartContext = { t, locale, today: chinaDateOf(new Date()), scopeLabel };
    return buildCharts(metrics, ctx);
  }, [metrics, locale, scopeLabel, t]);
  return (
    <Row gutter={[16, 16]}>
      {charts.map((c) => (
        <Col key={c.key} xs={24} lg={SPAN[c.key] ?? 12}>
          <Chart
            title={c.title}
            summary={c.summary}
            option={c.option}
            height={c.height}
            imageOption={c.imageOption}
            imageHeight={c.imageHeight}
            fileName={imageFileName(c.title)}
            empty={c.empty}
            testId={`chart-${c.key}`}
          />
        </Col>
      ))}
    </Row>
  );
}

function Dashboard({ planId, scope }: { planId: string; scope: MetricsScope }) {
  const { t, i18n } = useTranslation();
  const locale: Locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const navigate = useNavigate();
  const plan = usePlan(planId);
  const rounds = usePlanRounds(planId);
  const metrics = useMetrics(scope);
  const round = scope.kind === 'round' ? rounds.data?.find((r) => r.id === scope.id) : undefined;
  const scopeLabel = [plan.data?.name, scope.kind === 'plan' ? t('metrics.allRounds') : round?.title]
    .filter(Boolean)
    .join(' · ');
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {t('metrics.title')}
          {plan.data ? ` · ${plan.data.name}` : ''}
        </Typography.Title>
        <Flex gap={8} align="center" wrap>
          <Typography.Text id="metrics-scope-label">{t('metrics.scope')}</Typography.Text>
          <Select
            aria-labelledby="metrics-scope-label"
            style={{ minWidth: 240, maxWidth: '100%' }}
            value={scope.kind === 'plan' ? 'all' : scope.id}
            loading={rounds.isPending}
            onChange={(value: string) =>
              void navigate(value === 'all' ? `/plans/${planId}/metrics` : `/rounds/${value}/metrics`)
            }
            options={[
              { value: 'all', label: t('metrics.allRounds') },
              ...(rounds.data ?? []).map((r) => ({ value: r.id, label: r.title })),
            ]}
          />
          <Link to={`/plans/${planId}`}>{t('metrics.backToPlan')}</Link>
          {scope.kind === 'round' && <Link to={`/rounds/${scope.id}`}>{t('metrics.backToRound')}</Link>}
        </Flex>
        {rounds.isError && <ErrorAlert error={rounds.error} onRetry={() => void rounds.refetch()} />}
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, fontSize: 12 }}>
          {t('metrics.ratesNote')}
        </Typography.Paragraph>
      </Card>
      {metrics.isPending && <Skeleton active paragraph={{ rows: 8 }} />}
      {metrics.isError && <ErrorAlert error={metrics.error} onRetry={() => void metrics.refetch()} />}
      {metrics.data && metrics.data.rounds.length === 0 && <Empty description={t('metrics.noRounds')} />}
      {metrics.data && metrics.data.rounds.length > 0 && metrics.data.counts.invited === 0 && (
        <Empty description={t('metrics.noInvitations')} />
      )}
      {metrics.data && metrics.data.counts.invited > 0 && (
        <>
          <Headlines metrics={metrics.data} locale={locale} />
          <Charts metrics={metrics.data} locale={locale} scopeLabel={scopeLabel} />
          <UnitTable metrics={metrics.data} locale={locale} />
        </>
      )}
    </Space>
  );
}

function RoundDashboard({ roundId }: { roundId: string }) {
  const round = useRound(roundId);
  if (round.isPending) {
    return <Skeleton active />;
  }
  if (round.isError) {
    return <ErrorAlert error={round.error} onRetry={() => void round.refetch()} />;
  }
  return <Dashboard planId={round.data.planId} scope={{ kind: 'round', id: roundId }} />;
}

/** `/plans/:planId/metrics` (all rounds, or one picked) and `/rounds/:roundId/metrics`. */
export function MetricsPage() {
  const { planId, roundId } = useParams();
  if (roundId) {
    return <RoundDashboard roundId={roundId} />;
  }
  return <Dashboard planId={planId ?? ''} scope={{ kind: 'plan', id: planId ?? '' }} />;
}
