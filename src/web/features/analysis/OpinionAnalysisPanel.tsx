import { Alert, Card, Descriptions, Flex, Form, Select, Skeleton, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { ItemList } from '../../ui/ItemList.tsx';
import { PlainText } from '../../ui/PlainText.tsx';
import type { OpinionAnalysis, SimilarOpinion } from './api.ts';
import { useCanReviewAnalysis, useLabelTopics, useOpinionAnalysis, useTaxonomy } from './api.ts';
import { analysisHref } from './links.ts';
import { presentTopicIds, topicChanges } from './review.ts';
import { scoreText } from './stance.ts';
import { StanceEditor } from './StanceReview.tsx';
import { ClusterStatusTag, FigureTags, SourceTag, StanceTag } from './Tags.tsx';
import { TopicLabelTags } from './TopicReview.tsx';

function TopicEditor({
  analysis,
  planId,
  name,
}: {
  analysis: OpinionAnalysis;
  planId: string;
  name: string;
}) {
  const { t } = useTranslation();
  const taxonomy = useTaxonomy(planId);
  const label = useLabelTopics(analysis.roundId);
  const present = presentTopicIds(analysis.topics);
  const id = `opinion-topics-${analysis.opinionId}`;
  if (!taxonomy.data || taxonomy.data.topics.length === 0) {
    return null;
  }
  return (
    <Form layout="vertical">
      <Form.Item label={t('analysis.topics.changeLabel', { name })} htmlFor={id} style={{ marginBottom: 0 }}>
        <Select
          id={id}
          mode="multiple"
          value={present}
          loading={label.isPending}
          onChange={(next: string[]) => {
            const changes = topicChanges(present, next);
            if (changes.length > 0) {
              label.mutate({ opinionId: analysis.opinionId, topics: changes });
            }
          }}
          options={taxonomy.data.topics.map((tp) => ({ value: tp.id, label: tp.label }))}
          showSearch={{ optionFilterProp: 'label' }}
        />
      </Form.Item>
      {label.isError && <ErrorAlert error={label.error} />}
    </Form>
  );
}

function Similar({ items }: { items: readonly SimilarOpinion[] }) {
  const { t } = useTranslation();
  if (items.length === 0) {
    return <Typography.Text type="secondary">{t('analysis.opinion.noSimilar')}</Typography.Text>;
  }
  return (
    <ItemList
      items={items}
      itemKey={(s) => s.opinionId}
      itemProps={() => ({ 'data-testid': 'similar-opinion' })}
      render={(s) => (
        <Flex vertical gap={2}>
          <Flex gap={6} wrap align="center">
            <Typography.Text strong>{s.planName}</Typography.Text>
            <Typography.Text type="secondary">
              {s.roundTitle}
              {s.regNo ? ` · ${s.regNo}` : ''}
            </Typography.Text>
            <Tag>{t('analysis.opinion.similarity', { score: scoreText(s.score) })}</Tag>
            {s.dispositionCode ? (
              <Tag color="blue">
                {t(`assessment.codes.${s.dispositionCode}`, { defaultValue: s.dispositionCode })}
              </Tag>
            ) : (
              <Tag>{t('analysis.opinion.pending')}</Tag>
            )}
          </Flex>
          <PlainText text={s.excerpt} type="secondary" />
        </Flex>
      )}
    />
  );
}

/**
 * What the machine read in one opinion, for the person assessing it: stance and topics with who gave them
 * (organizers correct both), key phrases, figures, quality, its near-duplicate cluster, and similar
 * opinions of earlier plans with what became of them.
 */
export function OpinionAnalysisPanel({
  opinionId,
  planId,
  name,
}: {
  opinionId: string;
  planId: string;
  /** How the opinion is named in labels (its registration number). */
  name: string;
}) {
  const { t, i18n } = useTranslation();
  const canEdit = useCanReviewAnalysis();
  const analysis = useOpinionAnalysis(opinionId);
  if (analysis.isPending) {
    return <Skeleton active />;
  }
  if (analysis.isError) {
    return <ErrorAlert error={analysis.error} onRetry={() => void analysis.refetch()} />;
  }
  const a = analysis.data;
  return (
    <Card
      size="small"
      title={t('analysis.opinion.title')}
      style={{ marginBottom: 8 }}
      data-testid="opinion-analysis"
    >
      <Flex vertical gap={8}>
        {!a.analyzed && <Alert type="info" showIcon title={t('analysis.opinion.notAnalyzed')} />}
        {a.analyzedAt && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('analysis.opinion.analyzedAt', { time: new Date(a.analyzedAt).toLocaleString(i18n.language) })}
          </Typography.Text>
        )}
        <Descriptions size="small" column={1} bordered styles={{ label: { width: 110 } }}>
          <Descriptions.Item label={t('analysis.opinion.stance')}>
            <Flex vertical gap={6}>
              <Flex gap={4} wrap align="center" data-testid="opinion-stance">
                <StanceTag stance={a.stance?.label} />
                {a.stance && <SourceTag source={a.stance.source} score={a.stance.score} />}
              </Flex>
              {canEdit && (
                <StanceEditor opinionId={a.opinionId} name={name} roundId={a.roundId} analysis={a} />
              )}
            </Flex>
          </Descriptions.Item>
          <Descriptions.Item label={t('analysis.opinion.topics')}>
            <Flex vertical gap={6}>
              {a.topics.length === 0 ? (
                <Typography.Text type="secondary">{t('analysis.opinion.noTopics')}</Typography.Text>
              ) : (
                <TopicLabelTags labels={a.topics} />
              )}
              {canEdit && <TopicEditor analysis={a} planId={planId} name={name} />}
            </Flex>
          </Descriptions.Item>
          <Descriptions.Item label={t('analysis.opinion.keyphrases')}>
            {a.keyphrases.length === 0 ? (
              t('analysis.opinion.none')
            ) : (
              <Flex gap={4} wrap>
                {a.keyphrases.map((k) => (
                  <Tag key={k} color="purple">
                    {k}
                  </Tag>
                ))}
              </Flex>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('analysis.opinion.figures')}>
            {a.figures.length === 0 ? t('analysis.opinion.none') : <FigureTags figures={a.figures} />}
          </Descriptions.Item>
          <Descriptions.Item label={t('analysis.opinion.quality')}>
            <Flex gap={4} wrap align="center">
              <Typography.Text>
                {t('analysis.opinion.qualityScore', { score: a.quality.score.toFixed(2) })}
              </Typography.Text>
              {a.quality.flags.length === 0 ? (
                <Tag color="green">{t('analysis.opinion.qualityOk')}</Tag>
              ) : (
                a.quality.flags.map((f) => (
                  <Tag key={f} color="orange">
                    {t(`assessment.flags.${f}`, { defaultValue: f })}
                  </Tag>
                ))
              )}
            </Flex>
          </Descriptions.Item>
          <Descriptions.Item label={t('analysis.opinion.cluster')}>
            {a.cluster ? (
              <Flex gap={4} wrap align="center">
                <Link to={analysisHref(a.roundId, { tab: 'clusters' })}>
                  {t('analysis.opinion.clusterLink', { count: a.cluster.size })}
                </Link>
                <ClusterStatusTag status={a.cluster.status} />
                {a.duplicateOf && <Tag color="cyan">{t('analysis.opinion.duplicate')}</Tag>}
              </Flex>
            ) : (
              t('analysis.opinion.none')
            )}
          </Descriptions.Item>
        </Descriptions>
        <Typography.Text strong>{t('analysis.opinion.similar')}</Typography.Text>
        <Similar items={a.similar} />
      </Flex>
    </Card>
  );
}
