import {
  Button,
  Card,
  Col,
  Flex,
  InputNumber,
  Popconfirm,
  Progress,
  Row,
  Slider,
  Statistic,
  Table,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import type { RoundAnalysis } from './api.ts';
import { useRunAnalysis, useSetThreshold } from './api.ts';
import { isJobRunning } from './job.ts';
import { JobProgress } from './JobProgress.tsx';
import { STANCE_STROKES, stanceShares } from './stance.ts';
import {
  MAX_THRESHOLD,
  MIN_THRESHOLD,
  THRESHOLD_STEP,
  clampThreshold,
  thresholdChanged,
} from './threshold.ts';

type TopicRow = RoundAnalysis['topics'][number];

function Counts({ overview }: { overview: RoundAnalysis }) {
  const { t } = useTranslation();
  const items = [
    ['submitted', overview.submitted],
    ['analyzed', overview.analyzed],
    ['pending', overview.pending],
    ['clusterCount', overview.clusters.count],
    ['reviewed', overview.clusters.reviewed],
    ['clusteredOpinions', overview.clusters.clusteredOpinions],
    ['exactDuplicates', overview.clusters.exactDuplicates],
  ] as const;
  return (
    <Row gutter={[16, 16]}>
      {items.map(([key, value]) => (
        <Col key={key} xs={12} sm={8} md={6} xl={3} data-testid={`analysis-count-${key}`}>
          <Statistic title={t(`analysis.overview.${key}`)} value={value} />
        </Col>
      ))}
    </Row>
  );
}

function Stances({ overview }: { overview: RoundAnalysis }) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t('analysis.overview.stance')}>
      <Flex vertical gap={4}>
        {stanceShares(overview.stance).map((s) => (
          <Flex key={s.stance} gap={8} align="center" wrap data-testid={`stance-${s.stance}`}>
            <Typography.Text style={{ minWidth: 84 }}>{t(`analysis.stances.${s.stance}`)}</Typography.Text>
            <Progress
              percent={s.percent}
              showInfo={false}
              strokeColor={STANCE_STROKES[s.stance]}
              style={{ flex: '1 1 120px', margin: 0 }}
              aria-label={t(`analysis.stances.${s.stance}`)}
            />
            <Typography.Text type="secondary">
              {t('analysis.overview.stanceLine', { count: s.count, percent: s.percent })}
            </Typography.Text>
          </Flex>
        ))}
        <Typography.Text type="secondary">
          {t('analysis.overview.humanStance', { count: overview.humanStance })}
        </Typography.Text>
      </Flex>
    </Card>
  );
}

function Topics({ overview }: { overview: RoundAnalysis }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<TopicRow> = [
    { title: t('analysis.overview.topic'), dataIndex: 'label' },
    { title: t('analysis.overview.machine'), dataIndex: 'machine', align: 'right', width: 100 },
    { title: t('analysis.overview.human'), dataIndex: 'human', align: 'right', width: 100 },
  ];
  return (
    <Card
      size="small"
      title={t('analysis.overview.topics')}
      extra={<Link to={`/plans/${overview.planId}/topics`}>{t('analysis.overview.editTopics')}</Link>}
    >
      {overview.topics.length === 0 ? (
        <Typography.Text type="secondary">{t('analysis.overview.noTopics')}</Typography.Text>
      ) : (
        <Table<TopicRow>
          rowKey="topicId"
          size="small"
          pagination={false}
          columns={columns}
          dataSource={overview.topics}
          scroll={{ x: 320 }}
        />
      )}
    </Card>
  );
}

/** The threshold with a slider and a number field, applied (and the job followed) on confirmation. */
function Threshold({
  overview,
  canEdit,
  onJob,
}: {
  overview: RoundAnalysis;
  canEdit: boolean;
  onJob: (jobId: string) => void;
}) {
  const { t } = useTranslation();
  const [value, setValue] = useState<number | null>(null);
  const set = useSetThreshold(overview.roundId);
  const shown = value ?? overview.threshold;
  const changed = thresholdChanged(overview.threshold, shown);
  return (
    <Card size="small" title={t('analysis.overview.threshold')}>
      <Flex vertical gap={8}>
        <Typography.Text type="secondary">{t('analysis.overview.thresholdHint')}</Typography.Text>
        <Typography.Text data-testid="analysis-threshold">
          {t('analysis.overview.thresholdNow', { value: overview.threshold.toFixed(2) })}
        </Typography.Text>
        {canEdit && (
          <>
            <Flex gap={12} align="center" wrap>
              <Slider
                min={MIN_THRESHOLD}
                max={MAX_THRESHOLD}
                step={THRESHOLD_STEP}
                value={shown}
                onChange={(v) => setValue(clampThreshold(v))}
                style={{ flex: '1 1 160px', minWidth: 140 }}
                aria-label={t('analysis.overview.threshold')}
              />
              <InputNumber
                min={MIN_THRESHOLD}
                max={MAX_THRESHOLD}
                step={THRESHOLD_STEP}
                precision={2}
                value={shown}
                onChange={(v) => setValue(clampThreshold(v, overview.threshold))}
                aria-label={t('analysis.overview.threshold')}
                style={{ width: 96 }}
              />
            </Flex>
            <Popconfirm
              title={t('analysis.overview.applyConfirm', { value: shown.toFixed(2) })}
              okText={t('common.confirm')}
              cancelText={t('common.cancel')}
              onConfirm={() =>
                set.mutate(shown, {
                  onSuccess: (result) => {
                    setValue(null);
                    onJob(result.job.id);
                  },
                })
              }
              disabled={!changed}
            >
              <Button disabled={!changed} loading={set.isPending} style={{ alignSelf: 'flex-start' }}>
                {t('analysis.overview.apply')}
              </Button>
            </Popconfirm>
            {set.isError && <ErrorAlert error={set.error} />}
          </>
        )}
      </Flex>
    </Card>
  );
}

/**
 * A round's analysis at a glance: what is analysed, stances, topics, clusters; for the plan's organizers,
 * a new run of the analysis and the near-duplicate threshold, each followed as a job to its end.
 */
export function AnalysisOverview({ overview, canEdit }: { overview: RoundAnalysis; canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const run = useRunAnalysis(overview.roundId);
  const [jobId, setJobId] = useState<string | null>(null);
  const last = overview.lastJob;
  // A job started here is followed on the job endpoint; any other (a submission's, a colleague's) shows
  // from the overview, which is polled while it runs.
  const followed = jobId;
  return (
    <Flex vertical gap={16}>
      <Counts overview={overview} />
      <Card size="small" title={t('analysis.overview.lastJob')}>
        <Flex vertical gap={8}>
          {followed ? (
            <JobProgress jobId={followed} roundId={overview.roundId} />
          ) : last ? (
            <Flex vertical gap={4} data-testid="analysis-last-job" data-status={last.status}>
              <Typography.Text>
                {t(`analysis.jobStatuses.${last.status}`, { defaultValue: last.status })} ·{' '}
                {new Date(last.updatedAt).toLocaleString(i18n.language)}
              </Typography.Text>
              {isJobRunning(last.status) && (
                <Progress
                  percent={Math.round((last.progress ?? 0) * 100)}
                  status="active"
                  aria-label={t('analysis.job.progress')}
                />
              )}
            </Flex>
          ) : (
            <Typography.Text type="secondary">{t('analysis.overview.never')}</Typography.Text>
          )}
          {canEdit && (
            <Popconfirm
              title={t('analysis.overview.rerunConfirm')}
              okText={t('common.confirm')}
              cancelText={t('common.cancel')}
              onConfirm={() => run.mutate(undefined, { onSuccess: (result) => setJobId(result.job.id) })}
            >
              <Button type="primary" loading={run.isPending} style={{ alignSelf: 'flex-start' }}>
                {t('analysis.overview.rerun')}
              </Button>
            </Popconfirm>
          )}
          {run.isError && <ErrorAlert error={run.error} />}
        </Flex>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Stances overview={overview} />
        </Col>
        <Col xs={24} lg={12}>
          <Threshold overview={overview} canEdit={canEdit} onJob={setJobId} />
        </Col>
        <Col xs={24}>
          <Topics overview={overview} />
        </Col>
      </Row>
    </Flex>
  );
}
