import { Empty, List, Skeleton, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { useRevision } from './api.ts';
import { ChangeView } from './ChangeView.tsx';
import { clauseLabel } from './revision-state.ts';

const statusColor: Record<string, string> = { edited: 'blue', inserted: 'green', deleted: 'red' };

/** The tracked changes of a revision, clause by clause, for reading before a decision. */
export function ChangeSummary({ revisionId }: { revisionId: string }) {
  const { t } = useTranslation();
  const revision = useRevision(revisionId);
  if (revision.isPending) {
    return <Skeleton active />;
  }
  if (revision.isError) {
    return <ErrorAlert error={revision.error} onRetry={() => void revision.refetch()} />;
  }
  const changes = new Map(revision.data.changes.map((c) => [c.id, c]));
  const changed = revision.data.clauses.filter((c) => c.changeId && changes.has(c.changeId));
  if (changed.length === 0) {
    return <Empty description={t('leader.approvals.revision.noChanges')} />;
  }
  return (
    <List
      size="small"
      dataSource={changed}
      renderItem={(clause) => (
        <List.Item style={{ display: 'block' }}>
          <Typography.Text strong>{clauseLabel(clause)}</Typography.Text>{' '}
          <Tag color={statusColor[clause.status] ?? 'blue'}>
            {t(`revision.clauseStatuses.${clause.status}`, { defaultValue: clause.status })}
          </Tag>
          <ChangeView change={changes.get(clause.changeId!)!} />
        </List.Item>
      )}
    />
  );
}
