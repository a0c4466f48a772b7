import { Skeleton } from 'antd';
import { useParams } from 'react-router';
import { useConflict } from '../../features/conflicts/api.ts';
import { ConflictDetail } from '../../features/conflicts/ConflictDetail.tsx';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';

export function ConflictPage() {
  const { conflictId = '' } = useParams();
  const conflict = useConflict(conflictId);
  if (conflict.isPending) {
    return <Skeleton active />;
  }
  if (conflict.isError) {
    return <ErrorAlert error={conflict.error} onRetry={() => void conflict.refetch()} />;
  }
  return <ConflictDetail conflict={conflict.data} />;
}
