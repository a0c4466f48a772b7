import {
  Button,
  Card,
  Col,
  Drawer,
  Empty,
  Flex,
  Form,
  Row,
  Select,
  Space,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { Table } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { OpinionAnalysisPanel } from '../analysis/OpinionAnalysisPanel.tsx';
import type { Clause } from '../plans/api.ts';
import type { Invitation, Round } from '../rounds/api.ts';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { PlainText } from '../../ui/PlainText.tsx';
import type { Opinion } from './api.ts';
import { useOpinionCount, useRoundOpinions } from './api.ts';
import { BULK_MAX, isSelectable, selectableIds } from './bulk.ts';
import { BulkDispositionModal } from './BulkDisposition.tsx';
import { DispositionPanel } from './DispositionPanel.tsx';
import type { OpinionFilter } from './opinion-filter.ts';
import { activeFilters, QUALITY_FILTERS, withFilter } from './opinion-filter.ts';
import { OpinionCard } from './OpinionCard.tsx';
import { ReasonTemplatesModal } from './ReasonTemplates.tsx';

/** Round states in which opinions take dispositions (the server's rule). */
const ASSESSABLE: ReadonlySet<string> = new Set(['open', 'closed', 'assessing']);

/** Rows from the end of what is loaded at which the next page is fetched. */
const PREFETCH_ROWS = 60;

const dispositionColor: Record<string, string> = { pending: 'default', proposed: 'blue', approved: 'green' };

/** Mounted when a row near the end of the loaded rows is rendered: the virtual table is scrolled there. */
function LoadMore({ onVisible }: { onVisible: () => void }) {
  useEffect(() => {
    onVisible();
  }, [onVisible]);
  return null;
}

/** A filter: a labelled select whose value is one key of the filter. */
function FilterSelect<K extends keyof OpinionFilter>({
  id,
  label,
  filter,
  field,
  options,
  onChange,
  search,
}: {
  id: string;
  label: string;
  filter: OpinionFilter;
  field: K;
  options: { value: NonNullable<OpinionFilter[K]>; label: string }[];
  onChange: (next: OpinionFilter) => void;
  search?: boolean;
}) {
  return (
    <Form.Item label={label} htmlFor={id} style={{ marginBottom: 8 }}>
      <Select
        id={id}
        allowClear
        {...(search ? { showSearch: { optionFilterProp: 'label' } } : {})}
        value={filter[field]}
        onChange={(v: OpinionFilter[K] | undefined) => onChange(withFilter(filter, field, v))}
        options={options}
      />
    </Form.Item>
  );
}

/**
 * The organizer's opinion table of a round: filters (clause, unit, level, status, kind, priority, quality,
 * disposition), a virtual table loading a page at a time as it scrolls, row selection for bulk
 * dispositions with reason templates, and a drawer to assess one opinion.
 */
export function OpinionTable({
  round,
  clauses,
  invitations,
  unitNames,
}: {
  round: Round;
  clauses: Clause[];
  invitations: Invitation[];
  unitNames: Map<string, string>;
}) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<OpinionFilter>({});
  const opinions = useRoundOpinions(round.id, filter);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  const [bulkOpen, setBulkOpen] = useState(false);
  const [templatesOpen, setTemplatesOpen] = useState(false);
  const [pickingAll, setPickingAll] = useState(false);
  const clauseById = useMemo(() => new Map(clauses.map((c) => [c.stableId, c])), [clauses]);
  const rows = useMemo(() => opinions.data?.pages.flatMap((p) => p.items) ?? [], [opinions.data]);
  const firstPage = opinions.data?.pages[0];
  const counted = useOpinionCount(round.id, filter, firstPage !== undefined && firstPage.nextCursor !== null);
  // One page holds them all, or the count says how many there are (null while it is on its way).
  const total = firstPage && firstPage.nextCursor === null ? rows.length : (counted.data?.total ?? null);
  const assessable = ASSESSABLE.has(round.status);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = opinions;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) {
      void fetchNextPage({ cancelRefetch: false });
    }
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const changeFilter = (next: OpinionFilter) => {
    setFilter(next);
    setPicked([]);
  };

  /** Picks every submitted opinion matching the filter, loading the pages not loaded yet. */
  const pickAllMatching = async () => {
    setPickingAll(true);
    try {
      let data = opinions.data;
      let more = opinions.hasNextPage;
      while (more) {
        // Waits for a page already on its way instead of asking for it twice.
        const result = await opinions.fetchNextPage({ cancelRefetch: false });
        data = result.data;
        more = result.hasNextPage && !result.isError;
      }
      setPicked(selectableIds(data?.pages.flatMap((p) => p.items) ?? []).slice(0, BULK_MAX));
    } finally {
      setPickingAll(false);
    }
  };

  const clauseName = (id: string | null) => {
    const c = id ? clauseById.get(id) : undefined;
    return c ? [c.path, c.heading].filter(Boolean).join(' ') : t('assessment.wholeDraft');
  };
  const byId = useMemo(() => new Map(rows.map((o) => [o.id, o])), [rows]);
  const drawerOpinion = selectedId ? byId.get(selectedId) : undefined;
  const pickedRows = picked.map((id) => ({ id, regNo: byId.get(id)?.regNo ?? null }));

  const columns: TableColumnsType<Opinion> = [
    {
      title: t('assessment.regNo'),
      dataIndex: 'regNo',
      width: 110,
      render: (v: string | null, _o, index) => (
        <>
          {v ?? '—'}
          {hasNextPage && index >= rows.length - PREFETCH_ROWS && <LoadMore onVisible={loadMore} />}
        </>
      ),
    },
    {
      title: t('assessment.clause'),
      dataIndex: 'clauseStableId',
      width: 150,
      ellipsis: true,
      render: clauseName,
    },
    {
      title: t('assessment.unit'),
      dataIndex: 'unitId',
      width: 150,
      ellipsis: true,
      render: (id: string | null) => (id ? (unitNames.get(id) ?? id) : '—'),
    },
    {
      title: t('assessment.kind'),
      dataIndex: 'kind',
      width: 100,
      render: (k: Opinion['kind'], o) => (
        <>
          {t(`assessment.kinds.${k}`)}
          {o.blocking && <Tag color="red">{t('assessment.blocking')}</Tag>}
        </>
      ),
    },
    {
      title: t('assessment.priority'),
      dataIndex: 'priority',
      width: 80,
      render: (p: Opinion['priority']) =>
        p ? <Tag color={p === 'core' ? 'red' : 'default'}>{t(`assessment.priorities.${p}`)}</Tag> : '—',
    },
    {
      title: t('assessment.quality'),
      key: 'quality',
      width: 150,
      render: (_, o) =>
        o.quality.flags.length === 0 ? (
          <Tag color="green">{t('assessment.qualityOk', { score: o.quality.score.toFixed(2) })}</Tag>
        ) : (
          <Tooltip
            title={o.quality.flags.map((f) => t(`assessment.flags.${f}`, { defaultValue: f })).join('、')}
          >
            <Flex gap={2} wrap>
              {o.quality.flags.slice(0, 2).map((f) => (
                <Tag key={f} color="orange">
                  {t(`assessment.flags.${f}`, { defaultValue: f })}
                </Tag>
              ))}
              {o.quality.flags.length > 2 && <Tag>+{o.quality.flags.length - 2}</Tag>}
            </Flex>
          </Tooltip>
        ),
    },
    { title: t('assessment.suggestion'), dataIndex: 'suggestion', ellipsis: true, width: 300 },
    {
      title: t('assessment.dispositionStatus'),
      dataIndex: 'dispositionStatus',
      width: 100,
      render: (s: Opinion['dispositionStatus'], o) =>
        s && o.status === 'submitted' ? (
          <Tag color={dispositionColor[s]}>{t(`assessment.queue.${s}`)}</Tag>
        ) : (
          '—'
        ),
    },
    {
      title: t('assessment.actions'),
      key: 'actions',
      width: 90,
      render: (_, o) => (
        <Button
          size="small"
          onClick={() => setSelectedId(o.id)}
          aria-label={`${t('assessment.assess')} ${o.regNo ?? ''}`}
        >
          {t('assessment.assess')}
        </Button>
      ),
    },
  ];

  const levelOptions = (['province', 'city', 'county'] as const).map((l) => ({
    value: l,
    label: t(`assessment.levels.${l}`),
  }));
  const unitOptions = invitations.map((inv) => ({ value: inv.unitId, label: inv.unitName }));
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Form layout="vertical">
        <Row gutter={8}>
          <Col xs={24} sm={12} md={6}>
            <FilterSelect
              id="opinion-filter-clause"
              label={t('assessment.filter.clause')}
              filter={filter}
              field="clause"
              search
              onChange={changeFilter}
              options={clauses.map((c) => ({
                value: c.stableId,
                label: [c.path, c.heading].filter(Boolean).join(' '),
              }))}
            />
          </Col>
          <Col xs={24} sm={12} md={6}>
            <FilterSelect
              id="opinion-filter-unit"
              label={t('assessment.filter.unit')}
              filter={filter}
              field="unit"
              search
              onChange={changeFilter}
              options={unitOptions}
            />
          </Col>
          <Col xs={12} md={3}>
            <FilterSelect
              id="opinion-filter-level"
              label={t('assessment.filter.level')}
              filter={filter}
              field="level"
              onChange={changeFilter}
              options={levelOptions}
            />
          </Col>
          <Col xs={12} md={3}>
            <FilterSelect
              id="opinion-filter-status"
              label={t('assessment.filter.status')}
              filter={filter}
              field="status"
              onChange={changeFilter}
              options={(['submitted', 'withdrawn'] as const).map((s) => ({
                value: s,
                label: t(`assessment.statuses.${s}`),
              }))}
            />
          </Col>
          <Col xs={12} md={3}>
            <FilterSelect
              id="opinion-filter-kind"
              label={t('assessment.filter.kind')}
              filter={filter}
              field="kind"
              onChange={changeFilter}
              options={(['substantive', 'editorial', 'question'] as const).map((k) => ({
                value: k,
                label: t(`assessment.kinds.${k}`),
              }))}
            />
          </Col>
          <Col xs={12} md={3}>
            <FilterSelect
              id="opinion-filter-priority"
              label={t('assessment.filter.priority')}
              filter={filter}
              field="priority"
              onChange={changeFilter}
              options={(['core', 'secondary', 'none'] as const).map((p) => ({
                value: p,
                label: t(`assessment.priorities.${p}`),
              }))}
            />
          </Col>
          <Col xs={12} md={6}>
            <FilterSelect
              id="opinion-filter-quality"
              label={t('assessment.filter.quality')}
              filter={filter}
              field="quality"
              onChange={changeFilter}
              options={QUALITY_FILTERS.map((q) => ({
                value: q,
                label:
                  q === 'valid' || q === 'invalid'
                    ? t(`assessment.qualityFilters.${q}`)
                    : t(`assessment.qualityFilters.flag`, { flag: t(`assessment.flags.${q}`) }),
              }))}
            />
          </Col>
          <Col xs={12} md={6}>
            <FilterSelect
              id="opinion-filter-disposition"
              label={t('assessment.filter.disposition')}
              filter={filter}
              field="dispositionStatus"
              onChange={changeFilter}
              options={(['pending', 'proposed', 'approved'] as const).map((s) => ({
                value: s,
                label: t(`assessment.queue.${s}`),
              }))}
            />
          </Col>
          {activeFilters(filter) > 0 && (
            <Col xs={24} md={6} style={{ display: 'flex', alignItems: 'center' }}>
              <Button onClick={() => changeFilter({})}>{t('assessment.filter.clear')}</Button>
            </Col>
          )}
        </Row>
      </Form>
      {opinions.isError && <ErrorAlert error={opinions.error} onRetry={() => void opinions.refetch()} />}
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Text type="secondary" data-testid="opinion-count">
          {total !== null && t('assessment.count', { count: total })}
          {total !== null && rows.length < total && ' · '}
          {(total === null || rows.length < total) && t('assessment.loaded', { count: rows.length })}
          {isFetchingNextPage && ` · ${t('common.loading')}`}
        </Typography.Text>
        <Space wrap>
          {assessable && (
            <>
              <Typography.Text data-testid="picked-count">
                {t('assessment.bulk.picked', { count: picked.length })}
              </Typography.Text>
              {total !== null && total > 0 && total <= BULK_MAX && picked.length < total && (
                <Button loading={pickingAll} onClick={() => void pickAllMatching()}>
                  {t('assessment.bulk.pickAll', { count: total })}
                </Button>
              )}
              {total !== null && total > BULK_MAX && (
                <Typography.Text type="secondary">
                  {t('assessment.bulk.tooMany', { max: BULK_MAX })}
                </Typography.Text>
              )}
              {picked.length > 0 && (
                <Button onClick={() => setPicked([])}>{t('assessment.bulk.clear')}</Button>
              )}
              <Button type="primary" disabled={picked.length === 0} onClick={() => setBulkOpen(true)}>
                {t('assessment.bulk.open')}
              </Button>
            </>
          )}
          <Button onClick={() => setTemplatesOpen(true)}>{t('assessment.templates.manage')}</Button>
        </Space>
      </Flex>
      <Table<Opinion>
        rowKey="id"
        size="small"
        virtual
        scroll={{ x: 1290, y: 600 }}
        loading={opinions.isPending}
        columns={columns}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: <Empty description={t('assessment.empty')} /> }}
        {...(assessable
          ? {
              rowSelection: {
                selectedRowKeys: picked,
                preserveSelectedRowKeys: true,
                onChange: (keys) => setPicked(keys.map(String).slice(0, BULK_MAX)),
                getCheckboxProps: (o: Opinion) => ({
                  disabled: !isSelectable(o),
                  'aria-label': `${t('assessment.bulk.pickOne')} ${o.regNo ?? ''}`,
                }),
              },
            }
          : {})}
      />
      {bulkOpen && (
        <BulkDispositionModal
          open
          roundId={round.id}
          planId={round.planId}
          picked={pickedRows}
          onClose={() => setBulkOpen(false)}
          onApplied={(ids) => {
            const done = new Set(ids);
            setPicked((current) => current.filter((id) => !done.has(id)));
          }}
        />
      )}
      {templatesOpen && (
        <ReasonTemplatesModal open planId={round.planId} onClose={() => setTemplatesOpen(false)} />
      )}
      <Drawer
        open={drawerOpinion !== undefined}
        onClose={() => setSelectedId(null)}
        title={
          drawerOpinion ? `${drawerOpinion.regNo ?? ''} ${clauseName(drawerOpinion.clauseStableId)}` : ''
        }
        size="large"
        destroyOnHidden
      >
        {drawerOpinion && (
          <>
            {drawerOpinion.clauseStableId && clauseById.get(drawerOpinion.clauseStableId)?.text && (
              <Card size="small" title={t('assessment.clauseText')} style={{ marginBottom: 8 }}>
                <PlainText text={clauseById.get(drawerOpinion.clauseStableId)?.text} />
              </Card>
            )}
            <OpinionCard
              opinion={drawerOpinion}
              unitName={drawerOpinion.unitId ? unitNames.get(drawerOpinion.unitId) : undefined}
            />
            <OpinionAnalysisPanel
              opinionId={drawerOpinion.id}
              planId={round.planId}
              name={drawerOpinion.regNo ?? drawerOpinion.id.slice(0, 8)}
            />
            <DispositionPanel opinion={drawerOpinion} roundId={round.id} planId={round.planId} />
          </>
        )}
      </Drawer>
    </Space>
  );
}
