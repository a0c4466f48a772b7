import { UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Drawer,
  Empty,
  Flex,
  List,
  Progress,
  Row,
  Select,
  Skeleton,
  Space,
  Tag,
  Tree,
  Typography,
  Upload,
} from 'antd';
import type { TreeDataNode } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { PlanClauseSummary } from '../../features/analysis/PlanClauseSummary.tsx';
import { DiscussionPanel } from '../../features/discussion/DiscussionPanel.tsx';
import { RoundOpinionList } from '../../features/assessment/RoundOpinionList.tsx';
import {
  useClauseCounts,
  useMatchReviews,
  usePlan,
  useResolveMatch,
  useUploadDraft,
  useVersion,
  useVersions,
  type Clause,
  type ImportResult,
} from '../../features/plans/api.ts';
import { countsByClause, heatCells, type ClauseCounts } from '../../features/plans/clause-counts.ts';
import { usePlanRounds, useUnits, type Round } from '../../features/rounds/api.ts';
import { ErrorAlert, errorMessage } from '../../ui/ErrorAlert.tsx';
import { HeatStrip } from '../../ui/HeatStrip.tsx';

function clauseLabel(clause: Pick<Clause, 'number' | 'heading'>): string {
  return [clause.number, clause.heading].filter(Boolean).join(' ');
}

/** The clause of a version's tree with this stable id, at any depth. */
function findClause(clauses: readonly Clause[], stableId: string): Clause | null {
  for (const clause of clauses) {
    const found = clause.stableId === stableId ? clause : findClause(clause.children, stableId);
    if (found) {
      return found;
    }
  }
  return null;
}

function ClauseTree({
  clauses,
  counts,
  onOpen,
}: {
  clauses: Clause[];
  counts: Map<string, ClauseCounts>;
  onOpen: (clause: Clause) => void;
}) {
  const { t } = useTranslation();
  const byStableId = useMemo(() => {
    const map = new Map<string, Clause>();
    const walk = (list: Clause[]) =>
      list.forEach((c) => {
        map.set(c.stableId, c);
        walk(c.children);
      });
    walk(clauses);
    return map;
  }, [clauses]);
  const treeData = useMemo(() => {
    const toNode = (clause: Clause): TreeDataNode => ({
      key: clause.stableId,
      children: clause.children.map(toNode),
    });
    return clauses.map(toNode);
  }, [clauses]);
  return (
    <Tree
      blockNode
      defaultExpandAll
      treeData={treeData}
      aria-label={t('workspace.clauses')}
      onSelect={(_keys, info) => {
        const clause = byStableId.get(String(info.node.key));
        if (clause) {
          onOpen(clause);
        }
      }}
      titleRender={(node) => {
        const clause = byStableId.get(String(node.key));
        if (!clause) {
          return null;
        }
        const c = counts.get(clause.stableId);
        return (
          <div data-testid={`clause-${clause.stableId}`} style={{ paddingBlock: 2 }}>
            <Flex gap={6} wrap align="center">
              <Typography.Text strong>{clauseLabel(clause) || '—'}</Typography.Text>
              {c && <HeatStrip cells={heatCells(c, (key) => t(`workspace.heat.${key}`))} />}
            </Flex>
            {clause.text && (
              <Typography.Paragraph
                type="secondary"
                style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}
                ellipsis={{ rows: 3, expandable: 'collapsible' }}
              >
                {clause.text}
              </Typography.Paragraph>
            )}
          </div>
        );
      }}
    />
  );
}

function MatchReviews({ versionId }: { versionId: string }) {
  const { t } = useTranslation();
  const reviews = useMatchReviews(versionId);
  const resolve = useResolveMatch(versionId);
  if (reviews.isPending) {
    return <Skeleton active />;
  }
  if (reviews.isError) {
    return <ErrorAlert error={reviews.error} onRetry={() => void reviews.refetch()} />;
  }
  const open = reviews.data.filter((r) => r.status === 'pending' || r.status === 'open');
  if (reviews.data.length === 0) {
    return null;
  }
  return (
    <>
      <Typography.Title level={5}>{t('workspace.upload.reviews', { count: open.length })}</Typography.Title>
      {resolve.isError && <ErrorAlert error={resolve.error} />}
      <List
        size="small"
        dataSource={reviews.data}
        renderItem={(review) => (
          <List.Item>
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Typography.Text>
                {review.clause
                  ? clauseLabel({
                      number: review.clause.number ?? null,
                      heading: review.clause.heading ?? null,
                    })
                  : '—'}
                {' ← '}
                {review.candidate ? clauseLabel(review.candidate) : '—'}
                {review.score !== null && ` (${Math.round(review.score * 100)}%)`}
              </Typography.Text>
              <Typography.Text type="secondary">{review.reason}</Typography.Text>
              {review.status === 'pending' || review.status === 'open' ? (
                <Space wrap>
                  <Button
                    size="small"
                    loading={resolve.isPending}
                    onClick={() => resolve.mutate({ id: review.id, decision: 'accept' })}
                  >
                    {t('workspace.upload.sameClause')}
                  </Button>
                  <Button
                    size="small"
                    loading={resolve.isPending}
                    onClick={() => resolve.mutate({ id: review.id, decision: 'reject' })}
                  >
                    {t('workspace.upload.newClause')}
                  </Button>
                </Space>
              ) : (
                <Tag>{review.status}</Tag>
              )}
            </Space>
          </List.Item>
        )}
      />
    </>
  );
}

function ImportReport({ result }: { result: ImportResult }) {
  const { t } = useTranslation();
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="import-report">
      <Alert
        type="success"
        showIcon
        title={t('workspace.upload.done', { label: result.version.label, count: result.version.clauseCount })}
      />
      <Descriptions size="small" column={1} bordered title={t('workspace.upload.counts')}>
        {Object.entries(result.counts).map(([kind, n]) => (
          <Descriptions.Item key={kind} label={t(`workspace.kinds.${kind}`, { defaultValue: kind })}>
            {n}
          </Descriptions.Item>
        ))}
      </Descriptions>
      {result.warnings.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={t('workspace.upload.warnings', { count: result.warnings.length })}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 16 }}>
              {result.warnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          }
        />
      )}
      {result.match && (
        <Descriptions size="small" column={1} bordered title={t('workspace.upload.match')}>
          {(['matched', 'changed', 'new', 'removed', 'uncertain'] as const).map((k) => (
            <Descriptions.Item key={k} label={t(`workspace.match.${k}`)}>
              {result.match?.[k]}
            </Descriptions.Item>
          ))}
        </Descriptions>
      )}
      {result.match && result.match.uncertain > 0 && <MatchReviews versionId={result.version.id} />}
    </Space>
  );
}

function DraftUpload({ planId, onImported }: { planId: string; onImported: (versionId: string) => void }) {
  const { t } = useTranslation();
  const upload = useUploadDraft(planId);
  const [percent, setPercent] = useState<number | null>(null);
  return (
    <Card title={t('workspace.upload.title')} size="small">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('workspace.upload.hint')}</Typography.Text>
        <Upload
          accept=".docx,.md,.markdown,.txt"
          maxCount={1}
          showUploadList={false}
          customRequest={({ file }) => {
            setPercent(0);
            upload.mutate(
              { file: file as File, onProgress: setPercent },
              {
                onSuccess: (result) => onImported(result.version.id),
                onSettled: () => setPercent(null),
              },
            );
          }}
        >
          <Button icon={<UploadOutlined />} loading={upload.isPending}>
            {t('workspace.upload.choose')}
          </Button>
        </Upload>
        {percent !== null && (
          <Progress percent={percent} status="active" aria-label={t('workspace.upload.progress')} />
        )}
        {upload.isError && (
          <Alert
            type="error"
            showIcon
            title={t('workspace.upload.failed', { message: errorMessage(upload.error) })}
          />
        )}
        {upload.data && <ImportReport result={upload.data} />}
      </Space>
    </Card>
  );
}

function RoundsCard({ planId }: { planId: string }) {
  const { t, i18n } = useTranslation();
  const rounds = usePlanRounds(planId);
  return (
    <Card
      title={t('workspace.rounds')}
      size="small"
      extra={
        <Link to={`/plans/${planId}/rounds/new`}>
          <Button type="primary" size="small">
            {t('workspace.newRound')}
          </Button>
        </Link>
      }
    >
      {rounds.isPending && <Skeleton active />}
      {rounds.isError && <ErrorAlert error={rounds.error} onRetry={() => void rounds.refetch()} />}
      {rounds.data?.length === 0 && <Empty description={t('workspace.noRounds')} />}
      {rounds.data && rounds.data.length > 0 && (
        <List
          size="small"
          dataSource={rounds.data}
          renderItem={(round) => (
            <List.Item>
              <List.Item.Meta
                title={<Link to={`/rounds/${round.id}`}>{round.title}</Link>}
                description={
                  <Flex gap={4} wrap>
                    <Tag color="blue">{t(`round.statuses.${round.status}`)}</Tag>
                    <span>
                      {t('round.deadlineOn', {
                        date: new Date(round.closesAt).toLocaleDateString(i18n.language),
                      })}
                    </span>
                  </Flex>
                }
              />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

/** The opened clause's submitted opinions, round by round, each round a page at a time. */
function ClauseOpinions({
  clause,
  total,
  countsPending,
  rounds,
  unitNames,
}: {
  clause: Clause;
  total: number;
  countsPending: boolean;
  rounds: Round[];
  unitNames: Map<string, string>;
}) {
  const { t } = useTranslation();
  const filter = useMemo(
    () => ({ clause: clause.stableId, status: 'submitted' as const }),
    [clause.stableId],
  );
  if (countsPending) {
    return <Skeleton active />;
  }
  return (
    <>
      <Typography.Title level={5}>{t('workspace.clauseOpinions', { count: total })}</Typography.Title>
      {total === 0 ? (
        <Empty description={t('workspace.noOpinions')} />
      ) : (
        rounds.map((round) => (
          <RoundOpinionList
            key={round.id}
            roundId={round.id}
            filter={filter}
            moreLabel={t('workspace.moreOpinions', { round: round.title })}
            unitName={(o) => (o.unitId ? unitNames.get(o.unitId) : undefined)}
            extra={(o) => <Link to={`/rounds/${o.roundId}`}>{t('workspace.toRound')}</Link>}
          />
        ))
      )}
    </>
  );
}

export function PlanWorkspacePage() {
  const { t } = useTranslation();
  const { planId = '' } = useParams();
  const plan = usePlan(planId);
  const versions = useVersions(planId);
  const rounds = usePlanRounds(planId);
  const units = useUnits();
  const unitNames = useMemo(() => new Map((units.data ?? []).map((u) => [u.id, u.name])), [units.data]);
  const [chosen, setChosen] = useState<string | undefined>();
  const versionId = chosen ?? versions.data?.at(-1)?.id;
  const version = useVersion(versionId);
  const clauseCounts = useClauseCounts(planId);
  const counts = useMemo(() => countsByClause(clauseCounts.data ?? []), [clauseCounts.data]);
  const [pickedClause, setPickedClause] = useState<Clause | null>(null);
  // `?clause=<stableId>` (where a mention's notification leads) opens that clause once its version is shown.
  const [searchParams, setSearchParams] = useSearchParams();
  const linkedClauseId = searchParams.get('clause');
  const linkedClause = useMemo(
    () => (linkedClauseId && version.data ? findClause(version.data.clauses, linkedClauseId) : null),
    [linkedClauseId, version.data],
  );
  const openClause = linkedClause ?? pickedClause;
  const closeClause = () => {
    setPickedClause(null);
    if (linkedClauseId !== null) {
      setSearchParams(
        (params) => {
          params.delete('clause');
          return params;
        },
        { replace: true },
      );
    }
  };
  // A clause is discussed in the plan's latest round: the one whose units are at the table now.
  const latestRound = useMemo(
    () => [...(rounds.data ?? [])].sort((a, b) => b.opensAt.localeCompare(a.opensAt))[0],
    [rounds.data],
  );

  if (plan.isPending) {
    return <Skeleton active />;
  }
  if (plan.isError) {
    return <ErrorAlert error={plan.error} onRetry={() => void plan.refetch()} />;
  }
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={plan.data.name}
        extra={
          <Space wrap>
            <Link to={`/plans/${planId}/metrics`}>
              <Button>{t('metrics.title')}</Button>
            </Link>
            <Link to={`/plans/${planId}/revision`}>
              <Button>{t('workspace.revision')}</Button>
            </Link>
            <Link to={`/plans/${planId}/topics`}>
              <Button>{t('analysis.topicsPage.title')}</Button>
            </Link>
          </Space>
        }
      >
        {plan.data.description && <Typography.Paragraph>{plan.data.description}</Typography.Paragraph>}
        <Link to="/plans">{t('workspace.backToPlans')}</Link>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Card
            title={t('workspace.draft')}
            extra={
              versions.data && versions.data.length > 0 ? (
                <Space wrap>
                  <Select
                    aria-label={t('workspace.version')}
                    value={versionId}
                    onChange={setChosen}
                    style={{ minWidth: 160, maxWidth: '100%' }}
                    options={versions.data.map((v) => ({ value: v.id, label: `v${v.seq} ${v.label}` }))}
                  />
                  {versions.data.length > 1 && versionId && (
                    <Link to={`/versions/${versionId}/compare`}>{t('compare.open')}</Link>
                  )}
                </Space>
              ) : null
            }
          >
            {versions.isError && (
              <ErrorAlert error={versions.error} onRetry={() => void versions.refetch()} />
            )}
            {versions.data?.length === 0 && <Empty description={t('workspace.noVersions')} />}
            {clauseCounts.isError && (
              <ErrorAlert error={clauseCounts.error} onRetry={() => void clauseCounts.refetch()} />
            )}
            {versionId && version.isPending && <Skeleton active />}
            {version.isError && <ErrorAlert error={version.error} onRetry={() => void version.refetch()} />}
            {version.data && (
              <>
                <Typography.Paragraph type="secondary">
                  {t('workspace.versionInfo', {
                    title: version.data.version.title ?? version.data.version.sourceName,
                    count: version.data.version.clauseCount,
                  })}
                  {clauseCounts.isPending && ` · ${t('workspace.countingOpinions')}`}
                </Typography.Paragraph>
                {version.data.clauses.length === 0 ? (
                  <Empty description={t('workspace.noClauses')} />
                ) : (
                  <ClauseTree clauses={version.data.clauses} counts={counts} onOpen={setPickedClause} />
                )}
              </>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <RoundsCard planId={planId} />
            <DraftUpload planId={planId} onImported={setChosen} />
          </Space>
        </Col>
      </Row>
      <Drawer
        open={openClause !== null}
        onClose={closeClause}
        title={openClause ? clauseLabel(openClause) : ''}
        size="large"
        styles={{ wrapper: { maxWidth: '100vw' } }}
      >
        {openClause && (
          <>
            {openClause.text && (
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>
                {openClause.text}
              </Typography.Paragraph>
            )}
            <PlanClauseSummary rounds={rounds.data ?? []} clauseStableId={openClause.stableId} />
            <ClauseOpinions
              clause={openClause}
              total={counts.get(openClause.stableId)?.total ?? 0}
              countsPending={clauseCounts.isPending}
              rounds={rounds.data ?? []}
              unitNames={unitNames}
            />
            {latestRound && (
              <DiscussionPanel
                roundId={latestRound.id}
                subject={{ clauseStableId: openClause.stableId }}
                defaultTitle={clauseLabel(openClause)}
              />
            )}
          </>
        )}
      </Drawer>
    </Space>
  );
}
