import { Alert, Empty, Flex, Input, Select, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../features/auth/api.ts';
import type { Level } from '../../features/unit-assessment/api.ts';
import { useUnitAssessment } from '../../features/unit-assessment/api.ts';
import { RankingTable } from '../../features/unit-assessment/components/RankingTable.tsx';
import { WeightsEditor } from '../../features/unit-assessment/components/WeightsEditor.tsx';
import { defaultPeriod } from '../../features/unit-assessment/figures.ts';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';

const LEVELS: readonly Level[] = ['province', 'city', 'county'];

/** 部门考核: the period's weighted score per unit, its ranking, the weights and a report per unit. */
export function UnitAssessmentPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [period, setPeriod] = useState(() => defaultPeriod(new Date()));
  const [level, setLevel] = useState<Level | null>(null);
  const query = { ...period, level };
  const assessment = useUnitAssessment(query);
  const roles = me.data?.roles ?? [];
  const isAdmin = roles.includes('admin');
  const mayEditWeights = isAdmin || (roles.includes('organizer') && Boolean(me.data?.unitId));
  const setDate = (key: 'from' | 'to') => (event: React.ChangeEvent<HTMLInputElement>) => {
    if (event.target.value) {
      setPeriod({ ...period, [key]: event.target.value });
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('unitAssessment.title')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('unitAssessment.intro')}</Typography.Text>
      <Flex gap={12} wrap align="end">
        <label style={{ display: 'flex', flexDirection: 'column', gap: 4 }}>
          <span>{t('unitAssessment.from')}</span>
          <Input type="date" value={period.from} max={period.to} onChange={setDate('from')} />
        </label>
        <label style={{ display: 'flex', flexDirection: 'column', gap: 4 }}>
          <span>{t('unitAssessment.to')}</span>
          <Input type="date" value={period.to} min={period.from} onChange={setDate('to')} />
        </label>
        <label style={{ display: 'flex', flexDirection: 'column', gap: 4, minWidth: 140 }}>
          <span>{t('unitAssessment.level')}</span>
          <Select<Level | 'all'>
            value={level ?? 'all'}
            aria-label={t('unitAssessment.level')}
            onChange={(value) => setLevel(value === 'all' ? null : value)}
            options={[
              { value: 'all', label: t('unitAssessment.allLevels') },
              ...LEVELS.map((l) => ({ value: l, label: t(`unitAssessment.levels.${l}`) })),
            ]}
          />
        </label>
      </Flex>
      {mayEditWeights && <WeightsEditor unitId={me.data?.unitId ?? null} isAdmin={isAdmin} />}
      {assessment.isPending ? (
        <Skeleton active />
      ) : assessment.isError ? (
        <ErrorAlert error={assessment.error} onRetry={() => void assessment.refetch()} />
      ) : (
        <>
          <Typography.Text>
            {t('unitAssessment.rounds', { count: assessment.data.roundCount })}
            {' · '}
            {t(`unitAssessment.weights.source.${assessment.data.weights.source}`)}
          </Typography.Text>
          {assessment.data.ownUnitOnly && (
            <Alert type="info" showIcon title={t('unitAssessment.ownUnitOnly')} />
          )}
          {assessment.data.units.length === 0 ? (
            <Empty description={t('unitAssessment.empty')} />
          ) : (
            <RankingTable rows={assessment.data.units} query={query} />
          )}
          <Typography.Text type="secondary">{t('unitAssessment.note')}</Typography.Text>
        </>
      )}
    </Space>
  );
}
