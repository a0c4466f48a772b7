import { Badge, Card, Empty, Flex, Skeleton, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ObjectionItem, RevisionItem, UrgentRoundItem } from '../../features/dashboard/ApprovalItems.tsx';
import { useDashboard } from '../../features/dashboard/api.ts';
import { countApprovals, oldestFirst } from '../../features/dashboard/figures.ts';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';

function Section({
  title,
  count,
  empty,
  testId,
  children,
}: {
  title: string;
  count: number;
  empty: string;
  testId: string;
  children: ReactNode;
}) {
  return (
    <Card
      data-testid={testId}
      title={
        <Flex gap={8} align="center" wrap>
          <span style={{ whiteSpace: 'normal' }}>{title}</span>
          <Badge count={count} showZero color={count > 0 ? '#fa8c16' : '#bfbfbf'} />
        </Flex>
      }
    >
      {count === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} />
      ) : (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          {children}
        </Space>
      )}
    </Card>
  );
}

/** 待审批: urgent rounds, revisions and escalated objections waiting for this leader, oldest first. */
export function ApprovalsPage() {
  const { t } = useTranslation();
  const dashboard = useDashboard();
  const title = (
    <Typography.Title level={3} style={{ margin: 0 }}>
      {t('leader.approvals.title')}
    </Typography.Title>
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
  const { pending } = dashboard.data;
  const counts = countApprovals(pending);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {title}
      <Typography.Text type="secondary" data-testid="approval-count">
        {counts.total === 0
          ? t('leader.approvals.empty')
          : t('leader.approvals.count', { count: counts.total })}
      </Typography.Text>
      <Section
        testId="urgent-rounds"
        title={t('leader.approvals.urgent.title')}
        count={counts.urgentRounds}
        empty={t('leader.approvals.urgent.empty')}
      >
        {oldestFirst(pending.urgentRounds, (r) => r.createdAt).map((round) => (
          <UrgentRoundItem key={round.roundId} round={round} />
        ))}
      </Section>
      <Section
        testId="revisions"
        title={t('leader.approvals.revision.title')}
        count={counts.revisions}
        empty={t('leader.approvals.revision.empty')}
      >
        {oldestFirst(pending.revisions, (r) => r.submittedAt).map((revision) => (
          <RevisionItem key={revision.revisionId} revision={revision} />
        ))}
      </Section>
      <Section
        testId="objections"
        title={t('leader.approvals.objection.title')}
        count={counts.objections}
        empty={t('leader.approvals.objection.empty')}
      >
        {oldestFirst(pending.objections, (o) => o.reviewedAt ?? o.raisedAt).map((objection) => (
          <ObjectionItem key={objection.objectionId} objection={objection} />
        ))}
      </Section>
    </Space>
  );
}
