import { Card, Flex, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useCanReviewAnalysis, useTaxonomy } from '../../features/analysis/api.ts';
import { ModelTraining, TaxonomyEditor } from '../../features/analysis/TaxonomyEditor.tsx';
import { usePlan } from '../../features/plans/api.ts';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';

/** A plan's topic taxonomy (议题分类) and the models learned from the labels people gave its opinions. */
export function PlanTopicsPage() {
  const { t } = useTranslation();
  const { planId = '' } = useParams();
  const canEdit = useCanReviewAnalysis();
  const plan = usePlan(planId);
  const taxonomy = useTaxonomy(planId);
  return (
    <Flex vertical gap={16}>
      <Card
        title={
          <Flex gap={8} wrap align="center">
            <span>{t('analysis.topicsPage.title')}</span>
            {plan.data && <Typography.Text type="secondary">{plan.data.name}</Typography.Text>}
          </Flex>
        }
        extra={<Link to={`/plans/${planId}`}>{t('analysis.topicsPage.backToPlan')}</Link>}
      >
        {taxonomy.isPending && <Skeleton active />}
        {taxonomy.isError && <ErrorAlert error={taxonomy.error} onRetry={() => void taxonomy.refetch()} />}
        {taxonomy.data && (
          <Flex vertical gap={12}>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
              {t('analysis.topicsPage.intro', { count: taxonomy.data.minLabels })}
            </Typography.Paragraph>
            <TaxonomyEditor key={taxonomy.data.planId} taxonomy={taxonomy.data} canEdit={canEdit} />
          </Flex>
        )}
      </Card>
      <Card title={t('analysis.topicsPage.models')}>
        <ModelTraining planId={planId} canEdit={canEdit} />
      </Card>
    </Flex>
  );
}
