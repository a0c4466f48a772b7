import { Alert, Card, Empty, Flex, Form, Select, Skeleton, Tabs, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { AnalysisOverview } from '../../features/analysis/AnalysisOverview.tsx';
import { useCanReviewAnalysis, useRoundAnalysis } from '../../features/analysis/api.ts';
import { ClauseSummary } from '../../features/analysis/ClauseSummary.tsx';
import { clauseChoices, clauseName, flattenClauses } from '../../features/analysis/clauses.ts';
import { ClusterReview } from '../../features/analysis/ClusterReview.tsx';
import { ConflictCandidates } from '../../features/analysis/ConflictCandidates.tsx';
import type { AnalysisTab } from '../../features/analysis/links.ts';
import { tabOf } from '../../features/analysis/links.ts';
import { OpinionDrawer } from '../../features/analysis/OpinionDrawer.tsx';
import { StanceReview } from '../../features/analysis/StanceReview.tsx';
import { TopicReview } from '../../features/analysis/TopicReview.tsx';
import { useClauseCounts, useVersion } from '../../features/plans/api.ts';
import { useInvitations, useRound } from '../../features/rounds/api.ts';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';

/** The summaries tab: a clause picker (clauses with opinions first) and the chosen clause's summary. */
function Summaries({
  roundId,
  clause,
  onClause,
  choices,
  canEdit,
}: {
  roundId: string;
  clause: string | undefined;
  onClause: (stableId: string | undefined) => void;
  choices: { value: string; label: string; count: number }[];
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const chosen = clause ?? choices.find((c) => c.count > 0)?.value ?? choices[0]?.value;
  if (choices.length === 0) {
    return <Empty description={t('analysis.summaries.noClauses')} />;
  }
  return (
    <Flex vertical gap={12}>
      <Form layout="vertical">
        <Form.Item
          label={t('analysis.summaries.clause')}
          htmlFor="summary-clause"
          style={{ marginBottom: 0 }}
        >
          <Select
            id="summary-clause"
            showSearch={{ optionFilterProp: 'label' }}
            value={chosen}
            onChange={(v: string) => onClause(v)}
            placeholder={t('analysis.summaries.pick')}
            style={{ maxWidth: 480 }}
            options={choices.map((c) => ({
              value: c.value,
              label:
                c.count > 0
                  ? t('analysis.summaries.withOpinions', { label: c.label, count: c.count })
                  : c.label,
            }))}
          />
        </Form.Item>
      </Form>
      {chosen && <ClauseSummary roundId={roundId} stableId={chosen} canEdit={canEdit} />}
    </Flex>
  );
}

/**
 * A round's machine analysis for the plan's side: overview and re-runs, near-duplicate clusters, topic
 * review, stances, conflict candidates and clause summaries. The tab, the clause and an open opinion live
 * in the address, so that every view links to any other.
 */
export function RoundAnalysisPage() {
  const { t } = useTranslation();
  const { roundId = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const tab = tabOf(search.get('tab'));
  const clause = search.get('clause') ?? undefined;
  const opinionId = search.get('opinion');
  const canEdit = useCanReviewAnalysis();
  const round = useRound(roundId);
  const overview = useRoundAnalysis(roundId);
  const invitations = useInvitations(roundId);
  const version = useVersion(round.data?.versionId);
  const counts = useClauseCounts(round.data?.planId ?? '');
  const unitNames = useMemo(
    () => new Map((invitations.data ?? []).map((i) => [i.unitId, i.unitName])),
    [invitations.data],
  );
  const clauses = useMemo(() => flattenClauses(version.data?.clauses ?? []), [version.data]);
  const choices = useMemo(
    () => clauseChoices(clauses, new Map((counts.data ?? []).map((c) => [c.clauseStableId, c.total]))),
    [clauses, counts.data],
  );
  const names = useMemo(() => new Map(clauses.map((c) => [c.stableId, clauseName(c)])), [clauses]);
  const nameOf = (stableId: string) => names.get(stableId) ?? t('analysis.wholeDraft');

  /** Changes some of the address's parameters, keeping the others. */
  const go = (patch: Partial<Record<'tab' | 'clause' | 'opinion', string | undefined>>) =>
    setSearch((current) => {
      const next = new URLSearchParams(current);
      for (const [key, value] of Object.entries(patch)) {
        if (value) {
          next.set(key, value);
        } else {
          next.delete(key);
        }
      }
      return next;
    });

  if (round.isPending) {
    return <Skeleton active />;
  }
  if (round.isError) {
    return <ErrorAlert error={round.error} onRetry={() => void round.refetch()} />;
  }
  const r = round.data;
  const items: { key: AnalysisTab; label: string; children: ReactNode }[] = overview.data
    ? [
        {
          key: 'overview',
          label: t('analysis.tabs.overview'),
          children: <AnalysisOverview overview={overview.data} canEdit={canEdit} />,
        },
        {
          key: 'clusters',
          label: t('analysis.tabs.clusters'),
          children: <ClusterReview roundId={roundId} canEdit={canEdit} />,
        },
        {
          key: 'topics',
          label: t('analysis.tabs.topics'),
          children: <TopicReview roundId={roundId} planId={r.planId} canEdit={canEdit} />,
        },
        {
          key: 'stance',
          label: t('analysis.tabs.stance'),
          children: (
            <StanceReview
              roundId={roundId}
              counts={overview.data.stance}
              clauses={choices}
              unitNames={unitNames}
              canEdit={canEdit}
            />
          ),
        },
        {
          key: 'conflicts',
          label: t('analysis.tabs.conflicts'),
          children: (
            <ConflictCandidates
              roundId={roundId}
              clause={clause}
              onClause={(v) => go({ clause: v })}
              clauses={choices}
              clauseName={nameOf}
            />
          ),
        },
        {
          key: 'summaries',
          label: t('analysis.tabs.summaries'),
          children: (
            <Summaries
              roundId={roundId}
              clause={clause}
              onClause={(v) => go({ clause: v })}
              choices={choices}
              canEdit={canEdit}
            />
          ),
        },
      ]
    : [];
  return (
    <Flex vertical gap={16}>
      <Card
        title={
          <Flex gap={8} wrap align="center">
            <span>{t('analysis.title')}</span>
            <Typography.Text type="secondary">{r.title}</Typography.Text>
            <Tag color="blue">{t(`round.statuses.${r.status}`)}</Tag>
          </Flex>
        }
        extra={<Link to={`/rounds/${r.id}`}>{t('analysis.backToRound')}</Link>}
      >
        {!canEdit && (
          <Alert type="info" showIcon title={t('analysis.readOnly')} style={{ marginBottom: 12 }} />
        )}
        {overview.isPending && <Skeleton active />}
        {overview.isError && <ErrorAlert error={overview.error} onRetry={() => void overview.refetch()} />}
        {version.isError && <ErrorAlert error={version.error} onRetry={() => void version.refetch()} />}
        {overview.data && (
          <Tabs activeKey={tab} onChange={(key) => go({ tab: key, clause: undefined })} items={items} />
        )}
      </Card>
      <OpinionDrawer
        opinionId={opinionId}
        planId={r.planId}
        unitNames={unitNames}
        onClose={() => go({ opinion: undefined })}
      />
    </Flex>
  );
}
