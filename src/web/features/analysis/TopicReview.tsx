import { Button, Card, Empty, Flex, Form, Select, Skeleton, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { ItemList } from '../../ui/ItemList.tsx';
import { PlainText } from '../../ui/PlainText.tsx';
import type { OpinionBrief, Topic, TopicLabel } from './api.ts';
import { useLabelTopics, useTaxonomy, useTopicReview } from './api.ts';
import { opinionName } from './links.ts';
import type { ReviewGroup } from './review.ts';
import { groupReview, topicDecision } from './review.ts';
import { scoreText } from './stance.ts';
import { OpinionWho, SourceTag } from './Tags.tsx';

interface Reviewed {
  opinion: OpinionBrief;
  labels: TopicLabel[];
}

/** An opinion's labels after a review: each with who gave it; rejected ones struck through. */
export function TopicLabelTags({ labels }: { labels: readonly TopicLabel[] }) {
  const { t } = useTranslation();
  return (
    <Flex gap={4} wrap>
      {labels.map((l) => (
        <Flex
          key={l.topicId}
          gap={0}
          align="center"
          data-testid={`topic-label-${l.key}`}
          data-source={l.source}
        >
          <Tag
            color={l.rejected ? 'default' : 'blue'}
            style={l.rejected ? { textDecoration: 'line-through' } : {}}
          >
            {l.label}
            {l.rejected ? ` · ${t('analysis.topics.rejected')}` : ''}
          </Tag>
          <SourceTag source={l.source} score={l.score} />
        </Flex>
      ))}
    </Flex>
  );
}

function ReviewItem({
  group,
  topics,
  roundId,
  canEdit,
  onReviewed,
}: {
  group: ReviewGroup;
  topics: readonly Topic[];
  roundId: string;
  canEdit: boolean;
  onReviewed: (reviewed: Reviewed) => void;
}) {
  const { t } = useTranslation();
  const label = useLabelTopics(roundId);
  const [editing, setEditing] = useState(false);
  const [chosen, setChosen] = useState<string[]>(group.labels.map((l) => l.topicId));
  const name = opinionName(group.opinion);
  const send = (decision: { topicId: string; present: boolean }[]) =>
    label.mutate(
      { opinionId: group.opinion.id, topics: decision },
      { onSuccess: (labels) => onReviewed({ opinion: group.opinion, labels }) },
    );
  const selectId = `topic-change-${group.opinion.id}`;
  return (
    <Flex vertical gap={6} data-testid="topic-review-item">
      <OpinionWho opinion={group.opinion} roundId={roundId} tab="topics" />
      <PlainText text={group.opinion.excerpt} />
      <Flex gap={8} wrap align="center">
        {group.labels.map((l) => (
          <Flex key={l.topicId} gap={4} wrap align="center">
            <Tag color="blue">{l.label}</Tag>
            <Typography.Text type="secondary">
              {t('analysis.score', { score: scoreText(l.score) })}
            </Typography.Text>
            {canEdit && (
              <>
                <Button
                  size="small"
                  loading={label.isPending}
                  onClick={() => send([{ topicId: l.topicId, present: true }])}
                >
                  {t('analysis.topics.accept', { label: l.label })}
                </Button>
                <Button
                  size="small"
                  danger
                  loading={label.isPending}
                  onClick={() => send([{ topicId: l.topicId, present: false }])}
                >
                  {t('analysis.topics.reject', { label: l.label })}
                </Button>
              </>
            )}
          </Flex>
        ))}
      </Flex>
      {canEdit && !editing && (
        <Button size="small" style={{ alignSelf: 'flex-start' }} onClick={() => setEditing(true)}>
          {t('analysis.topics.change')}
        </Button>
      )}
      {canEdit && editing && (
        <Form layout="vertical">
          <Form.Item
            label={t('analysis.topics.changeLabel', { name })}
            htmlFor={selectId}
            style={{ marginBottom: 8 }}
          >
            <Flex gap={8} wrap>
              <Select
                id={selectId}
                mode="multiple"
                value={chosen}
                onChange={setChosen}
                style={{ flex: '1 1 220px', minWidth: 0 }}
                options={topics.map((tp) => ({ value: tp.id, label: tp.label }))}
                showSearch={{ optionFilterProp: 'label' }}
              />
              <Button
                type="primary"
                loading={label.isPending}
                onClick={() =>
                  send(
                    topicDecision(
                      group.labels.map((l) => l.topicId),
                      chosen,
                    ),
                  )
                }
              >
                {t('analysis.topics.save')}
              </Button>
              <Button onClick={() => setEditing(false)}>{t('common.cancel')}</Button>
            </Flex>
          </Form.Item>
        </Form>
      )}
      {label.isError && <ErrorAlert error={label.error} />}
    </Flex>
  );
}

/**
 * The machine's topic labels of a round, least confident first, one entry per opinion: a person confirms
 * or rejects each label, or picks the topics that apply. Reviewed opinions leave the queue and are listed
 * above it, marked as a person's labels.
 */
export function TopicReview({
  roundId,
  planId,
  canEdit,
}: {
  roundId: string;
  planId: string;
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const taxonomy = useTaxonomy(planId);
  const [topicId, setTopicId] = useState<string | undefined>();
  const review = useTopicReview(roundId, topicId);
  const [reviewed, setReviewed] = useState<Reviewed[]>([]);
  const groups = useMemo(() => {
    const done = new Set(reviewed.map((r) => r.opinion.id));
    return groupReview(review.data?.pages.flatMap((p) => p.items) ?? []).filter(
      (g) => !done.has(g.opinion.id),
    );
  }, [review.data, reviewed]);
  const topics = taxonomy.data?.topics ?? [];
  return (
    <Flex vertical gap={12}>
      <Typography.Text type="secondary">{t('analysis.topics.hint')}</Typography.Text>
      {taxonomy.isError && <ErrorAlert error={taxonomy.error} onRetry={() => void taxonomy.refetch()} />}
      {taxonomy.data && topics.length === 0 && (
        <Typography.Text type="warning">{t('analysis.topics.noTaxonomy')}</Typography.Text>
      )}
      <Form layout="vertical">
        <Form.Item
          label={t('analysis.topics.filter')}
          htmlFor="topic-review-filter"
          style={{ marginBottom: 0 }}
        >
          <Select
            id="topic-review-filter"
            allowClear
            value={topicId}
            onChange={(v: string | undefined) => setTopicId(v)}
            options={topics.map((tp) => ({ value: tp.id, label: tp.label }))}
            style={{ maxWidth: 320 }}
          />
        </Form.Item>
      </Form>
      {reviewed.length > 0 && (
        <Card size="small" title={t('analysis.topics.reviewed', { count: reviewed.length })}>
          <ItemList
            items={reviewed}
            itemKey={(r) => r.opinion.id}
            itemProps={() => ({ 'data-testid': 'topic-reviewed' })}
            render={(r) => (
              <Flex vertical gap={4}>
                <OpinionWho opinion={r.opinion} roundId={roundId} tab="topics" />
                <TopicLabelTags labels={r.labels} />
              </Flex>
            )}
          />
        </Card>
      )}
      {review.isPending && <Skeleton active />}
      {review.isError && <ErrorAlert error={review.error} onRetry={() => void review.refetch()} />}
      {review.data && groups.length === 0 && <Empty description={t('analysis.topics.empty')} />}
      <ItemList
        items={groups}
        itemKey={(g) => g.opinion.id}
        render={(g) => (
          <ReviewItem
            group={g}
            topics={topics}
            roundId={roundId}
            canEdit={canEdit}
            onReviewed={(r) =>
              setReviewed((list) => [r, ...list.filter((x) => x.opinion.id !== r.opinion.id)])
            }
          />
        )}
      />
      {review.hasNextPage && (
        <Button
          block
          loading={review.isFetchingNextPage}
          onClick={() => void review.fetchNextPage({ cancelRefetch: false })}
        >
          {t('analysis.loadMore')}
        </Button>
      )}
    </Flex>
  );
}
