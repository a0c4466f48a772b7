import { Card, Skeleton } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ConflictBoard } from '../../features/conflicts/ConflictBoard.tsx';
import { useVersion, type Clause } from '../../features/plans/api.ts';
import { useInvitations, useRound } from '../../features/rounds/api.ts';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';

function flatten(clauses: Clause[]): Clause[] {
  return clauses.flatMap((c) => [c, ...flatten(c.children)]);
}

/** A round's conflict board (分歧看板). */
export function ConflictBoardPage() {
  const { t } = useTranslation();
  const { roundId = '' } = useParams();
  const round = useRound(roundId);
  const invitations = useInvitations(roundId);
  const version = useVersion(round.data?.versionId);
  const clauses = useMemo(
    () =>
      flatten(version.data?.clauses ?? []).map((c) => ({
        value: c.stableId,
        label: [c.number, c.heading].filter(Boolean).join(' ') || c.stableId,
      })),
    [version.data],
  );
  const units = useMemo(
    () => (invitations.data ?? []).map((i) => ({ value: i.unitId, label: i.unitName })),
    [invitations.data],
  );
  if (round.isPending) {
    return <Skeleton active />;
  }
  if (round.isError) {
    return <ErrorAlert error={round.error} onRetry={() => void round.refetch()} />;
  }
  return (
    <Card
      title={t('integration.conflicts.board', { round: round.data.title })}
      extra={<Link to={`/rounds/${roundId}`}>{t('integration.conflicts.toRound')}</Link>}
    >
      <ConflictBoard roundId={roundId} clauses={clauses} units={units} />
    </Card>
  );
}
