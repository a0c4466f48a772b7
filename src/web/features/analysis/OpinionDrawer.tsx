import { Drawer, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { OpinionCard } from '../assessment/OpinionCard.tsx';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { useOpinion } from './api.ts';
import { opinionName } from './links.ts';
import { OpinionAnalysisPanel } from './OpinionAnalysisPanel.tsx';

/** One opinion opened from an analysis view: its text as the unit wrote it, and its analysis. */
export function OpinionDrawer({
  opinionId,
  planId,
  unitNames,
  onClose,
}: {
  opinionId: string | null;
  planId: string;
  unitNames: ReadonlyMap<string, string>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const query = useOpinion(opinionId);
  const opinion = query.data;
  const name = opinion ? opinionName(opinion) : '';
  return (
    <Drawer
      open={opinionId !== null}
      onClose={onClose}
      title={opinion ? t('analysis.opinion.drawerTitle', { name }) : t('common.loading')}
      size="large"
      styles={{ wrapper: { maxWidth: '100vw' } }}
      destroyOnHidden
    >
      {opinionId && query.isPending && <Skeleton active />}
      {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
      {opinion && (
        <div data-testid="analysis-opinion-drawer">
          <OpinionCard
            opinion={opinion}
            unitName={opinion.unitId ? unitNames.get(opinion.unitId) : undefined}
          />
          <OpinionAnalysisPanel opinionId={opinion.id} planId={planId} name={name} />
        </div>
      )}
    </Drawer>
  );
}
