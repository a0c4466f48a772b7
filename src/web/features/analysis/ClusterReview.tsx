import { Button, Checkbox, Empty, Flex, Popconfirm, Skeleton, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { ItemList } from '../../ui/ItemList.tsx';
import { PlainText } from '../../ui/PlainText.tsx';
import type { Cluster, RelatedCluster } from './api.ts';
import {
  useClusterMembers,
  useClusters,
  useConfirmCluster,
  useMergeClusters,
  useSplitCluster,
} from './api.ts';
import { canMerge, canSplit, mergeOrder, toggleId } from './clusters.ts';
import { opinionName } from './links.ts';
import { ClusterStatusTag, OpinionWho } from './Tags.tsx';

/**
 * Near-duplicates of a cluster's members that the cluster left out (clusters never chain texts): other
 * clusters, which organizers may merge into it, and opinions in none.
 */
function Related({
  cluster,
  related,
  canEdit,
}: {
  cluster: Cluster;
  related: readonly RelatedCluster[];
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const merge = useMergeClusters(cluster.roundId);
  if (related.length === 0) {
    return null;
  }
  return (
    <Flex vertical gap={6} data-testid="cluster-related">
      <Typography.Text strong>{t('analysis.clusters.related', { count: related.length })}</Typography.Text>
      <Typography.Text type="secondary">{t('analysis.clusters.relatedHint')}</Typography.Text>
      <ItemList
        items={related}
        itemKey={(r) => r.clusterId ?? r.representative.id}
        itemProps={() => ({ 'data-testid': 'cluster-related-item' })}
        render={(r) => (
          <Flex vertical style={{ minWidth: 0 }}>
            <Flex gap={6} wrap align="center">
              {r.clusterId === null ? (
                <Tag>{t('analysis.clusters.relatedAlone')}</Tag>
              ) : (
                <Tag color="blue">{t('analysis.clusters.size', { count: r.size })}</Tag>
              )}
              <OpinionWho opinion={r.representative} roundId={cluster.roundId} tab="clusters" />
              <Tag color="gold">{t('analysis.clusters.relatedLinks', { count: r.links })}</Tag>
              {canEdit && r.clusterId !== null && (
                <Popconfirm
                  title={t('analysis.clusters.mergeRelatedConfirm', { count: r.size })}
                  okText={t('common.confirm')}
                  cancelText={t('common.cancel')}
                  onConfirm={() => merge.mutate([cluster.id, r.clusterId!])}
                >
                  <Button size="small" loading={merge.isPending}>
                    {t('analysis.clusters.mergeRelated')}
                  </Button>
                </Popconfirm>
              )}
            </Flex>
            <PlainText text={r.representative.excerpt} type="secondary" />
          </Flex>
        )}
      />
      {merge.isError && <ErrorAlert error={merge.error} />}
    </Flex>
  );
}

/** A cluster's members, a page at a time; organizers pick some to take out of it. */
function Members({ cluster, canEdit }: { cluster: Cluster; canEdit: boolean }) {
  const { t } = useTranslation();
  const members = useClusterMembers(cluster.id);
  const split = useSplitCluster(cluster.roundId);
  const [picked, setPicked] = useState<string[]>([]);
  const [singletons, setSingletons] = useState(false);
  const rows = useMemo(() => members.data?.pages.flatMap((p) => p.members) ?? [], [members.data]);
  const names = useMemo(() => new Map(rows.map((m) => [m.id, opinionName(m)])), [rows]);
  if (members.isPending) {
    return <Skeleton active />;
  }
  if (members.isError) {
    return <ErrorAlert error={members.error} onRetry={() => void members.refetch()} />;
  }
  return (
    <Flex vertical gap={8} style={{ paddingInlineStart: 12 }} data-testid="cluster-members">
      <Typography.Text strong>{t('analysis.clusters.members', { count: cluster.size })}</Typography.Text>
      <ItemList
        items={rows}
        itemKey={(m) => m.id}
        render={(m) => (
          <Flex gap={8} align="flex-start">
            {canEdit && (
              <Checkbox
                checked={picked.includes(m.id)}
                onChange={(e) => setPicked((list) => toggleId(list, m.id, e.target.checked))}
                aria-label={t('analysis.clusters.pickMember', { name: opinionName(m) })}
              />
            )}
            <Flex vertical style={{ minWidth: 0, flex: 1 }}>
              <Flex gap={6} wrap align="center">
                <OpinionWho opinion={m} roundId={cluster.roundId} tab="clusters" />
                {m.id === cluster.representative.id && <Tag>{t('analysis.clusters.representative')}</Tag>}
                {m.duplicateOf && (
                  <Tag color="cyan">
                    {t('analysis.clusters.duplicateOf', {
                      name: names.get(m.duplicateOf) ?? m.duplicateOf.slice(0, 8),
                    })}
                  </Tag>
                )}
              </Flex>
              <PlainText text={m.excerpt} type="secondary" />
            </Flex>
          </Flex>
        )}
      />
      {members.hasNextPage && (
        <Button
          loading={members.isFetchingNextPage}
          onClick={() => void members.fetchNextPage({ cancelRefetch: false })}
        >
          {t('analysis.loadMore')}
        </Button>
      )}
      {canEdit && (
        <Flex gap={8} wrap align="center">
          <Checkbox checked={singletons} onChange={(e) => setSingletons(e.target.checked)}>
            {t('analysis.clusters.singletons')}
          </Checkbox>
          <Popconfirm
            title={t('analysis.clusters.splitConfirm', { count: picked.length })}
            okText={t('common.confirm')}
            cancelText={t('common.cancel')}
            disabled={!canSplit(picked.length, cluster.size)}
            onConfirm={() =>
              split.mutate(
                { clusterId: cluster.id, opinionIds: picked, singletons },
                { onSuccess: () => setPicked([]) },
              )
            }
          >
            <Button disabled={!canSplit(picked.length, cluster.size)} loading={split.isPending}>
              {t('analysis.clusters.split', { count: picked.length })}
            </Button>
          </Popconfirm>
        </Flex>
      )}
      {split.isError && <ErrorAlert error={split.error} />}
      <Related cluster={cluster} related={members.data.pages[0]?.related ?? []} canEdit={canEdit} />
    </Flex>
  );
}

function ClusterRow({
  cluster,
  canEdit,
  picked,
  onPick,
}: {
  cluster: Cluster;
  canEdit: boolean;
  picked: boolean;
  onPick: (on: boolean) => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const confirm = useConfirmCluster(cluster.roundId);
  const name = opinionName(cluster.representative);
  return (
    <Flex vertical gap={6}>
      <Flex gap={8} align="flex-start">
        {canEdit && (
          <Checkbox
            checked={picked}
            onChange={(e) => onPick(e.target.checked)}
            aria-label={t('analysis.clusters.pickCluster', { name })}
          />
        )}
        <Flex vertical gap={4} style={{ minWidth: 0, flex: 1 }}>
          <Flex gap={6} wrap align="center">
            <Tag color="blue" data-testid="cluster-size">
              {t('analysis.clusters.size', { count: cluster.size })}
            </Tag>
            <span data-testid="cluster-status">
              <ClusterStatusTag status={cluster.status} />
            </span>
            <Typography.Text type="secondary">{t('analysis.clusters.representative')}</Typography.Text>
            <OpinionWho opinion={cluster.representative} roundId={cluster.roundId} tab="clusters" />
          </Flex>
          <PlainText text={cluster.representative.excerpt} />
          <Flex gap={8} wrap>
            <Button size="small" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
              {open ? t('analysis.clusters.hideMembers') : t('analysis.clusters.showMembers')}
            </Button>
            {canEdit && cluster.status !== 'confirmed' && (
              <Popconfirm
                title={t('analysis.clusters.confirmConfirm', { count: cluster.size })}
                okText={t('common.confirm')}
                cancelText={t('common.cancel')}
                onConfirm={() => confirm.mutate(cluster.id)}
              >
                <Button size="small" type="primary" loading={confirm.isPending}>
                  {t('analysis.clusters.confirm')}
                </Button>
              </Popconfirm>
            )}
          </Flex>
          {confirm.isError && <ErrorAlert error={confirm.error} />}
        </Flex>
      </Flex>
      {open && <Members cluster={cluster} canEdit={canEdit} />}
    </Flex>
  );
}

/**
 * A round's near-duplicate clusters, largest first, a page at a time: representative, size and status;
 * members on demand. Organizers confirm a cluster, take members out of one, or merge several.
 */
export function ClusterReview({ roundId, canEdit }: { roundId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const clusters = useClusters(roundId);
  const merge = useMergeClusters(roundId);
  const [picked, setPicked] = useState<string[]>([]);
  const rows = useMemo(() => clusters.data?.pages.flatMap((p) => p.items) ?? [], [clusters.data]);
  const order = mergeOrder(picked, rows);
  if (clusters.isPending) {
    return <Skeleton active />;
  }
  if (clusters.isError) {
    return <ErrorAlert error={clusters.error} onRetry={() => void clusters.refetch()} />;
  }
  if (rows.length === 0) {
    return <Empty description={t('analysis.clusters.empty')} />;
  }
  return (
    <Flex vertical gap={8}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Text type="secondary" data-testid="cluster-count">
          {t('analysis.clusters.count', { count: rows.length })}
        </Typography.Text>
        {canEdit && (
          <Flex gap={8} wrap align="center">
            <Typography.Text>{t('analysis.clusters.picked', { count: order.length })}</Typography.Text>
            {picked.length > 0 && (
              <Button onClick={() => setPicked([])}>{t('analysis.clusters.clear')}</Button>
            )}
            <Popconfirm
              title={t('analysis.clusters.mergeConfirm', { count: order.length })}
              okText={t('common.confirm')}
              cancelText={t('common.cancel')}
              disabled={!canMerge(order.length)}
              onConfirm={() => merge.mutate(order, { onSuccess: () => setPicked([]) })}
            >
              <Button type="primary" disabled={!canMerge(order.length)} loading={merge.isPending}>
                {t('analysis.clusters.merge')}
              </Button>
            </Popconfirm>
          </Flex>
        )}
      </Flex>
      {merge.isError && <ErrorAlert error={merge.error} />}
      <ItemList
        items={rows}
        itemKey={(c) => c.id}
        itemProps={() => ({ 'data-testid': 'cluster-row' })}
        render={(c) => (
          <ClusterRow
            cluster={c}
            canEdit={canEdit}
            picked={picked.includes(c.id)}
            onPick={(on) => setPicked((list) => toggleId(list, c.id, on))}
          />
        )}
      />
      {clusters.hasNextPage && (
        <Button
          block
          loading={clusters.isFetchingNextPage}
          onClick={() => void clusters.fetchNextPage({ cancelRefetch: false })}
        >
          {t('analysis.loadMore')}
        </Button>
      )}
    </Flex>
  );
}
