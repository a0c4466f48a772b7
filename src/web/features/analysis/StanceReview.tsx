import { Button, Col, Empty, Flex, Form, Row, Select, Skeleton, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { ItemList } from '../../ui/ItemList.tsx';
import type { LabelSource, OpinionAnalysis, Stance, StanceCounts, StanceRow } from './api.ts';
import { STANCES, useLabelStance, useRoundStances } from './api.ts';
import { opinionName } from './links.ts';
import type { StanceFilter } from './stance.ts';
import { STANCE_COLORS } from './stance.ts';
import { OpinionWho, SourceTag, StanceTag } from './Tags.tsx';

/** A person's stance for an opinion, or the stance handed back to the machine. */
export function StanceEditor({
  opinionId,
  name,
  roundId,
  analysis,
}: {
  opinionId: string;
  name: string;
  roundId: string;
  analysis: Pick<OpinionAnalysis, 'stance'> | undefined;
}) {
  const { t } = useTranslation();
  const label = useLabelStance(roundId);
  const id = `stance-${opinionId}`;
  const human = analysis?.stance?.source === 'human';
  return (
    <Flex vertical gap={4}>
      <Flex gap={8} wrap align="center">
        <Typography.Text type="secondary">{t('analysis.stance.set')}</Typography.Text>
        <Select<Stance>
          id={id}
          aria-label={t('analysis.stance.setFor', { name })}
          value={human ? analysis?.stance?.label : undefined}
          loading={label.isPending}
          onChange={(stance) => label.mutate({ opinionId, stance })}
          style={{ width: 150 }}
          options={STANCES.map((s) => ({ value: s, label: t(`analysis.stances.${s}`) }))}
        />
        {human && (
          <Button
            size="small"
            loading={label.isPending}
            onClick={() => label.mutate({ opinionId, stance: null })}
          >
            {t('analysis.stance.reset')}
          </Button>
        )}
      </Flex>
      {label.isError && <ErrorAlert error={label.error} />}
    </Flex>
  );
}

/**
 * Stances of a round: the counts, and its opinions a page at a time with each one's stance, score and
 * who gave it, filtered by clause, stance and who gave it (by the server, over the whole round).
 * Organizers set a stance by hand or hand it back to the machine.
 */
export function StanceReview({
  roundId,
  counts,
  clauses,
  unitNames,
  canEdit,
}: {
  roundId: string;
  counts: StanceCounts;
  clauses: { value: string; label: string }[];
  unitNames: ReadonlyMap<string, string>;
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const [clause, setClause] = useState<string | undefined>();
  const [filter, setFilter] = useState<StanceFilter>({});
  const stances = useRoundStances(roundId, { ...filter, ...(clause ? { clause } : {}) });
  const rows = useMemo(() => stances.data?.pages.flatMap((p) => p.items) ?? [], [stances.data]);
  return (
    <Flex vertical gap={12}>
      <Typography.Text type="secondary">{t('analysis.stance.hint')}</Typography.Text>
      <Flex gap={8} wrap>
        {STANCES.map((s) => (
          <Tag key={s} color={STANCE_COLORS[s]} data-testid={`stance-count-${s}`}>
            {t(`analysis.stances.${s}`)} {counts[s]}
          </Tag>
        ))}
      </Flex>
      <Form layout="vertical">
        <Row gutter={8}>
          <Col xs={24} md={10}>
            <Form.Item label={t('analysis.stance.filterClause')} htmlFor="stance-filter-clause">
              <Select
                id="stance-filter-clause"
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                value={clause}
                onChange={(v: string | undefined) => setClause(v)}
                options={clauses}
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={7}>
            <Form.Item label={t('analysis.stance.filterStance')} htmlFor="stance-filter-stance">
              <Select
                id="stance-filter-stance"
                allowClear
                value={filter.stance}
                onChange={(v: StanceFilter['stance']) => setFilter((f) => ({ ...f, stance: v }))}
                options={[...STANCES, 'unknown' as const].map((s) => ({
                  value: s,
                  label: t(`analysis.stances.${s}`),
                }))}
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={7}>
            <Form.Item label={t('analysis.stance.filterSource')} htmlFor="stance-filter-source">
              <Select
                id="stance-filter-source"
                allowClear
                value={filter.source}
                onChange={(v: LabelSource | undefined) => setFilter((f) => ({ ...f, source: v }))}
                options={(['machine', 'human'] as const).map((s) => ({
                  value: s,
                  label: t(`analysis.source.${s}`),
                }))}
              />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      {stances.isPending && <Skeleton active />}
      {stances.isError && <ErrorAlert error={stances.error} onRetry={() => void stances.refetch()} />}
      {stances.data && rows.length === 0 && <Empty description={t('analysis.stance.empty')} />}
      <ItemList
        items={rows}
        itemKey={(o) => o.id}
        itemProps={() => ({ 'data-testid': 'stance-row' })}
        render={(o: StanceRow) => (
          <Flex vertical gap={4}>
            <Flex gap={6} wrap align="center">
              <OpinionWho
                opinion={{
                  id: o.id,
                  regNo: o.regNo,
                  unitId: o.unitId,
                  unitName: o.unitName ?? (o.unitId ? (unitNames.get(o.unitId) ?? null) : null),
                }}
                roundId={roundId}
                tab="stance"
              />
              <StanceTag stance={o.stance?.label} />
              {o.stance && <SourceTag source={o.stance.source} score={o.stance.score} />}
            </Flex>
            <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>
              {o.excerpt}
            </Typography.Paragraph>
            {canEdit && (
              <StanceEditor opinionId={o.id} name={opinionName(o)} roundId={roundId} analysis={o} />
            )}
          </Flex>
        )}
      />
      {stances.hasNextPage && (
        <Button
          block
          loading={stances.isFetchingNextPage}
          onClick={() => void stances.fetchNextPage({ cancelRefetch: false })}
        >
          {t('analysis.loadMore')}
        </Button>
      )}
    </Flex>
  );
}
