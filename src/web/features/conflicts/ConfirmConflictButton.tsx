import { Button, Flex, Popconfirm } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError } from '../../api.ts';
import { useCanReviewAnalysis } from '../analysis/api.ts';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { useOpenConflict } from './api.ts';

/**
 * Confirms an analysis candidate as a conflict (分歧) and opens it. When the opinions already are in an
 * open conflict, the server says which: that one is opened instead.
 */
export function ConfirmConflictButton({
  roundId,
  opinionIds,
  title,
}: {
  roundId: string;
  opinionIds: string[];
  title: string;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const canReview = useCanReviewAnalysis();
  const open = useOpenConflict(roundId);
  if (!canReview) {
    return null;
  }
  const existing =
    open.error instanceof ApiError && open.error.status === 409
      ? ((open.error.details as { conflictIds?: string[] } | undefined)?.conflictIds?.[0] ?? null)
      : null;
  return (
    <Flex gap={8} wrap align="center">
      <Popconfirm
        title={t('integration.conflicts.confirmCandidate')}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
        onConfirm={() =>
          open.mutate(
            {
              opinionIds,
              createdFrom: 'candidate',
              title: t('integration.conflicts.candidateTitle', { clause: title }),
            },
            { onSuccess: (conflict) => void navigate(`/conflicts/${conflict.id}`) },
          )
        }
      >
        <Button size="small" type="primary" ghost loading={open.isPending}>
          {t('integration.conflicts.confirmAsConflict')}
        </Button>
      </Popconfirm>
      {existing ? (
        <Button size="small" type="link" onClick={() => void navigate(`/conflicts/${existing}`)}>
          {t('integration.conflicts.openExisting')}
        </Button>
      ) : (
        open.isError && <ErrorAlert error={open.error} />
      )}
    </Flex>
  );
}
