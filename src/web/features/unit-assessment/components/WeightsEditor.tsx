import { Alert, Button, Card, Flex, InputNumber, Segmented, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssessmentWeightSet } from '../../../../domain/unit-assessment.ts';
import { ASSESSMENT_COMPONENTS } from '../../../../domain/unit-assessment.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { useAssessmentWeights, useClearWeights, useSaveWeights } from '../api.ts';
import { weightsProblem, weightsSum } from '../figures.ts';

/**
 * The weights editor: administrators edit the global default, organizers their own unit's override.
 * The sum is checked as people type; the server checks again and names the field it refuses.
 */
export function WeightsEditor({ unitId, isAdmin }: { unitId: string | null; isAdmin: boolean }) {
  const { t } = useTranslation();
  const scopes = [
    ...(isAdmin ? [{ value: 'global', label: t('unitAssessment.weights.global') }] : []),
    ...(unitId ? [{ value: 'unit', label: t('unitAssessment.weights.ownUnit') }] : []),
  ];
  const [scope, setScope] = useState<'global' | 'unit'>(unitId ? 'unit' : 'global');
  const target = scope === 'unit' ? unitId : null;
  const current = useAssessmentWeights(target);
  const save = useSaveWeights();
  const clear = useClearWeights();
  const [draft, setDraft] = useState<AssessmentWeightSet | null>(null);
  useEffect(() => {
    setDraft(current.data ? { ...current.data.weights } : null);
  }, [current.data]);

  if (current.isError) {
    return <ErrorAlert error={current.error} onRetry={() => void current.refetch()} />;
  }
  const problem = draft ? weightsProblem(draft) : null;
  const sum = draft ? weightsSum(draft) : 0;
  return (
    <Card size="small" title={t('unitAssessment.weights.title')} loading={!draft}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        {scopes.length > 1 && (
          <Flex gap={8} align="center" wrap>
            <Typography.Text>{t('unitAssessment.weights.scope')}</Typography.Text>
            <Segmented
              value={scope}
              options={scopes}
              onChange={(value) => {
                setScope(value as 'global' | 'unit');
                save.reset();
              }}
            />
          </Flex>
        )}
        {current.data && (
          <Typography.Text type="secondary">
            {t(`unitAssessment.weights.source.${current.data.source}`)}
          </Typography.Text>
        )}
        {draft && (
          <Flex gap={12} wrap>
            {ASSESSMENT_COMPONENTS.map((key) => (
              <label key={key} style={{ display: 'flex', flexDirection: 'column', gap: 4, minWidth: 140 }}>
                <span>{t(`unitAssessment.components.${key}`)}</span>
                <InputNumber
                  min={0}
                  max={100}
                  step={5}
                  suffix="%"
                  value={draft[key]}
                  status={problem === key ? 'error' : undefined}
                  onChange={(value) =>
                    setDraft({ ...draft, [key]: typeof value === 'number' ? value : Number.NaN })
                  }
                  style={{ width: '100%' }}
                />
              </label>
            ))}
          </Flex>
        )}
        <Typography.Text type={problem === 'sum' ? 'danger' : 'secondary'} aria-live="polite">
          {problem === 'sum'
            ? t('unitAssessment.weights.sumWrong', { sum })
            : problem
              ? t('unitAssessment.weights.outOfRange', { field: t(`unitAssessment.components.${problem}`) })
              : t('unitAssessment.weights.sum', { sum })}
        </Typography.Text>
        {save.isError && <ErrorAlert error={save.error} />}
        {clear.isError && <ErrorAlert error={clear.error} />}
        {save.isSuccess && <Alert type="success" showIcon title={t('unitAssessment.weights.saved')} />}
        <Flex gap={8} wrap>
          <Button
            type="primary"
            disabled={!draft || problem !== null}
            loading={save.isPending}
            onClick={() => draft && save.mutate({ unitId: target, weights: draft })}
          >
            {t('unitAssessment.weights.save')}
          </Button>
          {target && current.data?.source === 'unit' && (
            <Button loading={clear.isPending} onClick={() => clear.mutate(target)}>
              {t('unitAssessment.weights.reset')}
            </Button>
          )}
        </Flex>
      </Space>
    </Card>
  );
}
