import { Alert, Card, Checkbox, Col, Empty, Flex, Row, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useVersionDiff } from '../../features/compare/api.ts';
import type { ClauseDiff, ClauseSnapshot, DiffStatus } from '../../features/compare/compare.ts';
import {
  DIFF_STATUSES,
  renumbering,
  sidePieces,
  summarize,
  visibleEntries,
} from '../../features/compare/compare.ts';
import { useVersion, useVersions } from '../../features/plans/api.ts';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';

const STATUS_COLOURS: Record<DiffStatus, string> = {
  changed: 'gold',
  added: 'green',
  removed: 'red',
  renumbered: 'blue',
  unchanged: 'default',
};

function Side({ entry, side }: { entry: ClauseDiff; side: 'previous' | 'next' }) {
  const { t } = useTranslation();
  const snapshot: ClauseSnapshot | undefined = entry[side];
  if (!snapshot) {
    return <Typography.Text type="secondary">{t('compare.absent')}</Typography.Text>;
  }
  return (
    <div>
      <Typography.Text strong>
        {[snapshot.number, snapshot.heading].filter(Boolean).join(' ')}
      </Typography.Text>
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
        {sidePieces(entry, side).map((piece, index) =>
          piece.mark === 'deleted' ? (
            <del key={index} style={{ color: '#cf1322', background: '#fff1f0' }}>
              {piece.text}
            </del>
          ) : piece.mark === 'inserted' ? (
            <ins key={index} style={{ color: '#237804', background: '#f6ffed' }}>
              {piece.text}
            </ins>
          ) : (
            <span key={index}>{piece.text}</span>
          ),
        )}
      </Typography.Paragraph>
    </div>
  );
}

function DiffRow({ entry }: { entry: ClauseDiff }) {
  const { t } = useTranslation();
  const renumbered = renumbering(entry);
  return (
    <Card size="small" data-testid="diff-row" data-status={entry.status}>
      <Space size={4} wrap style={{ marginBottom: 8 }}>
        <Tag color={STATUS_COLOURS[entry.status]}>{t(`compare.status.${entry.status}`)}</Tag>
        {renumbered && <Tag>{t('compare.renumbered', renumbered)}</Tag>}
        {entry.moved && <Tag>{t('compare.moved')}</Tag>}
      </Space>
      <Row gutter={[16, 8]}>
        <Col xs={24} md={12} aria-label={t('compare.previous')}>
          <Side entry={entry} side="previous" />
        </Col>
        <Col xs={24} md={12} aria-label={t('compare.next')}>
          <Side entry={entry} side="next" />
        </Col>
      </Row>
    </Card>
  );
}

export function VersionComparePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { versionId = '' } = useParams();
  const [search] = useSearchParams();
  const current = useVersion(versionId);
  const planId = current.data?.version.planId ?? '';
  const versions = useVersions(planId);
  const against = search.get('against') ?? current.data?.version.previousVersionId ?? undefined;
  const diff = useVersionDiff(versionId, against);
  const [shown, setShown] = useState<DiffStatus[]>(['changed', 'added', 'removed', 'renumbered']);

  const go = (next: string, previous: string | undefined) =>
    void navigate(`/versions/${next}/compare${previous ? `?against=${previous}` : ''}`);
  const options = (versions.data ?? []).map((v) => ({ value: v.id, label: `v${v.seq} ${v.label}` }));

  if (current.isPending) {
    return <Skeleton active />;
  }
  if (current.isError) {
    return <ErrorAlert error={current.error} onRetry={() => void current.refetch()} />;
  }
  const summary = diff.data ? summarize(diff.data) : null;
  const entries = diff.data ? visibleEntries(diff.data, shown) : [];

  return (
    <Flex vertical gap={16}>
      <Space wrap align="baseline">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('compare.title')}
        </Typography.Title>
        <Link to={`/plans/${planId}`}>{t('compare.back')}</Link>
      </Space>
      <Row gutter={[16, 8]}>
        <Col xs={24} md={12}>
          <Select
            aria-label={t('compare.pickPrevious')}
            placeholder={t('compare.pickPrevious')}
            style={{ width: '100%' }}
            value={against}
            options={options}
            loading={versions.isPending}
            onChange={(value: string) => go(versionId, value)}
          />
        </Col>
        <Col xs={24} md={12}>
          <Select
            aria-label={t('compare.pickNext')}
            placeholder={t('compare.pickNext')}
            style={{ width: '100%' }}
            value={versionId}
            options={options}
            loading={versions.isPending}
            onChange={(value: string) => go(value, against)}
          />
        </Col>
      </Row>
      {!against && <Alert type="info" showIcon title={t('compare.noPrevious')} />}
      {against === versionId && <Alert type="warning" showIcon title={t('compare.sameVersion')} />}
      {diff.isError && <ErrorAlert error={diff.error} onRetry={() => void diff.refetch()} />}
      {diff.isLoading && <Skeleton active />}
      {summary && diff.data && (
        <>
          <Typography.Text data-testid="diff-summary">
            {t('compare.summary', { total: diff.data.length, ...summary })}
          </Typography.Text>
          <Space wrap>
            <Typography.Text id="compare-show">{t('compare.show')}</Typography.Text>
            <Checkbox.Group
              aria-labelledby="compare-show"
              value={shown}
              onChange={(values) => setShown(values)}
              options={DIFF_STATUSES.map((status) => ({
                value: status,
                label: `${t(`compare.status.${status}`)} (${summary[status]})`,
              }))}
            />
          </Space>
          <Typography.Text type="secondary">{t('compare.legend')}</Typography.Text>
          {entries.length === 0 ? (
            <Empty description={t('compare.empty')} />
          ) : (
            <Flex vertical gap={8}>
              {entries.map((entry, index) => (
                <DiffRow key={entry.stableId ?? `new-${index}`} entry={entry} />
              ))}
            </Flex>
          )}
        </>
      )}
    </Flex>
  );
}
