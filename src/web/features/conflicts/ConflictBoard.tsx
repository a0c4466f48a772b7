import { Card, Empty, Flex, Segmented, Select, Skeleton, Statistic, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { ItemList } from '../../ui/ItemList.tsx';
import type { BoardFilter, ConflictStatus, ConflictSummary } from './api.ts';
import { CONFLICT_STATUSES, useConflictBoard, useConflictMetrics } from './api.ts';
import { ageTone, groupByClause, groupByUnitPair, wholeDays } from './board.ts';

export const STATUS_COLORS: Record<ConflictStatus, string> = {
  open: 'red',
  in_resolution: 'processing',
  escalated: 'orange',
  resolved: 'green',
  decided: 'green',
};

export function StatusTag({ status, levelName }: { status: ConflictStatus; levelName?: string | null }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="conflict-status">
      {t(`integration.conflicts.status.${status}`)}
      {status === 'escalated' && levelName ? ` · ${levelName}` : ''}
    </Tag>
  );
}

function Row({ c }: { c: ConflictSummary }) {
  const { t } = useTranslation();
  const settled = c.settledAt !== null;
  const tone = ageTone(c.ageDays, settled);
  return (
    <Flex vertical gap={4}>
      <Flex gap={8} wrap align="center">
        <Link to={`/conflicts/${c.id}`}>{c.title}</Link>
        <StatusTag status={c.status} levelName={c.levelName} />
        <Tag color={tone === 'default' ? undefined : tone} data-testid="conflict-age">
          {t('integration.conflicts.age', { count: wholeDays(c.ageDays) })}
        </Tag>
      </Flex>
      <Typography.Text type="secondary">
        {[c.clauseNumber, c.units.map((u) => u.name).join(' ↔ ')].filter(Boolean).join(' · ')}
        {' · '}
        {t('integration.conflicts.methodCount', { count: c.methods })}
      </Typography.Text>
    </Flex>
  );
}

function Metrics({ roundId }: { roundId: string }) {
  const { t } = useTranslation();
  const metrics = useConflictMetrics(roundId);
  if (!metrics.data) {
    return null;
  }
  const m = metrics.data;
  return (
    <Flex gap={24} wrap>
      <Statistic title={t('integration.conflicts.metrics.total')} value={m.total} />
      <Statistic
        title={t('integration.conflicts.metrics.unsettled')}
        value={m.counts.open + m.counts.in_resolution + m.counts.escalated}
      />
      <Statistic title={t('integration.conflicts.metrics.escalated')} value={m.everEscalated} />
      <Statistic
        title={t('integration.conflicts.metrics.median')}
        value={m.resolutionDays.median ?? '—'}
        precision={m.resolutionDays.median === null ? undefined : 1}
      />
    </Flex>
  );
}

/** A round's conflicts by clause or by unit pair, with status and age; filters by status, clause and unit. */
export function ConflictBoard({
  roundId,
  clauses,
  units,
}: {
  roundId: string;
  clauses: { value: string; label: string }[];
  units: { value: string; label: string }[];
}) {
  const { t } = useTranslation();
  const [view, setView] = useState<'clause' | 'pair'>('clause');
  const [filter, setFilter] = useState<BoardFilter>({});
  const board = useConflictBoard(roundId, filter);
  const groups = useMemo(
    () =>
      view === 'clause' ? groupByClause(board.data?.items ?? []) : groupByUnitPair(board.data?.items ?? []),
    [board.data, view],
  );
  const set = (patch: BoardFilter) => setFilter((f) => ({ ...f, ...patch }));
  return (
    <Flex vertical gap={12}>
      <Metrics roundId={roundId} />
      <Flex gap={8} wrap align="center">
        <Segmented<'clause' | 'pair'>
          value={view}
          onChange={(v) => setView(v)}
          options={[
            { value: 'clause', label: t('integration.conflicts.byClause') },
            { value: 'pair', label: t('integration.conflicts.byPair') },
          ]}
        />
        <Select
          aria-label={t('integration.conflicts.filterStatus')}
          placeholder={t('integration.conflicts.filterStatus')}
          allowClear
          value={filter.status}
          onChange={(status?: ConflictStatus) => set({ status })}
          options={CONFLICT_STATUSES.map((s) => ({
            value: s,
            label: t(`integration.conflicts.status.${s}`),
          }))}
          style={{ minWidth: 120 }}
        />
        <Select
          aria-label={t('integration.conflicts.filterClause')}
          placeholder={t('integration.conflicts.filterClause')}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          value={filter.clauseStableId}
          onChange={(clauseStableId?: string) => set({ clauseStableId })}
          options={clauses}
          style={{ minWidth: 160, maxWidth: '100%' }}
        />
        <Select
          aria-label={t('integration.conflicts.filterUnit')}
          placeholder={t('integration.conflicts.filterUnit')}
          allowClear
          value={filter.unitId}
          onChange={(unitId?: string) => set({ unitId, ...(unitId ? {} : { otherUnitId: undefined }) })}
          options={units}
          style={{ minWidth: 140, maxWidth: '100%' }}
        />
        {filter.unitId && (
          <Select
            aria-label={t('integration.conflicts.filterOtherUnit')}
            placeholder={t('integration.conflicts.filterOtherUnit')}
            allowClear
            value={filter.otherUnitId}
            onChange={(otherUnitId?: string) => set({ otherUnitId })}
            options={units.filter((u) => u.value !== filter.unitId)}
            style={{ minWidth: 140, maxWidth: '100%' }}
          />
        )}
      </Flex>
      {board.isPending && <Skeleton active />}
      {board.isError && <ErrorAlert error={board.error} onRetry={() => void board.refetch()} />}
      {board.data?.items.length === 0 && <Empty description={t('integration.conflicts.empty')} />}
      {groups.map((g) => (
        <Card key={g.key} size="small" title={g.label} data-testid="conflict-group">
          <ItemList
            items={g.items}
            itemKey={(c) => c.id}
            itemProps={() => ({ 'data-testid': 'conflict-row' })}
            render={(c) => <Row c={c} />}
          />
        </Card>
      ))}
    </Flex>
  );
}
