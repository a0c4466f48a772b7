import { Alert, Button, Card, Empty, Flex, Skeleton, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api.ts';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { ItemList } from '../../ui/ItemList.tsx';
import type { LanguageModelDraft } from './api.ts';
import { STANCES, useClauseSummary, useLanguageModelDraft } from './api.ts';
import { analysisHref, opinionName } from './links.ts';
import { STANCE_COLORS } from './stance.ts';

const notConfigured = (error: unknown): boolean => error instanceof ApiError && error.status === 503;

/**
 * The language model's wording of the summary or of a revised clause, on request. Its output is shown as
 * a draft for a person to check against the opinions it cites; without a configured model the server
 * answers 503 and the page says so calmly.
 */
function LanguageModelDrafts({ roundId, stableId }: { roundId: string; stableId: string }) {
  const { t } = useTranslation();
  const draft = useLanguageModelDraft(roundId, stableId);
  const [shown, setShown] = useState<LanguageModelDraft | null>(null);
  const ask = (kind: 'summary' | 'revision') => draft.mutate(kind, { onSuccess: setShown });
  return (
    <Flex vertical gap={8}>
      <Flex gap={8} wrap>
        <Button loading={draft.isPending && draft.variables === 'summary'} onClick={() => ask('summary')}>
          {t('analysis.draft.summary')}
        </Button>
        <Button loading={draft.isPending && draft.variables === 'revision'} onClick={() => ask('revision')}>
          {t('analysis.draft.revision')}
        </Button>
      </Flex>
      {draft.isError &&
        (notConfigured(draft.error) ? (
          <Alert
            type="info"
            showIcon
            title={t('analysis.draft.notConfigured')}
            data-testid="llm-not-configured"
          />
        ) : (
          <ErrorAlert error={draft.error} />
        ))}
      {shown && (
        <Card
          size="small"
          data-testid="llm-draft"
          title={
            <Flex gap={6} wrap align="center">
              <Tag color="orange">{t('analysis.draft.tag')}</Tag>
              <span>{t('analysis.draft.title')}</span>
            </Flex>
          }
          extra={
            <Button size="small" onClick={() => setShown(null)}>
              {t('analysis.draft.discard')}
            </Button>
          }
          style={{ borderStyle: 'dashed' }}
        >
          <Typography.Paragraph
            copyable={{ text: shown.text, tooltips: [t('analysis.draft.copy'), t('analysis.draft.copied')] }}
            style={{ whiteSpace: 'pre-wrap' }}
          >
            {shown.text}
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
            {t('analysis.draft.note', { model: shown.model })}
          </Typography.Paragraph>
          {shown.sources.length > 0 && (
            <Typography.Text type="secondary">
              {t('analysis.draft.sources', { list: shown.sources.map((s) => s.cited).join('、') })}
            </Typography.Text>
          )}
        </Card>
      )}
    </Flex>
  );
}

/**
 * A clause's 核心诉求 in a round: its key phrases, stance counts, and a summary made only of sentences
 * quoted from the opinions, each a link to the opinion it comes from.
 */
export function ClauseSummary({
  roundId,
  stableId,
  canEdit,
  showClauseText = true,
}: {
  roundId: string;
  stableId: string;
  canEdit: boolean;
  showClauseText?: boolean;
}) {
  const { t } = useTranslation();
  const summary = useClauseSummary(roundId, stableId);
  if (summary.isPending) {
    return <Skeleton active />;
  }
  if (summary.isError) {
    return summary.error instanceof ApiError && summary.error.status === 404 ? (
      <Alert type="info" showIcon title={t('analysis.summaries.notInDraft')} />
    ) : (
      <ErrorAlert error={summary.error} onRetry={() => void summary.refetch()} />
    );
  }
  const s = summary.data;
  return (
    <Flex vertical gap={12} data-testid="clause-summary">
      {showClauseText && s.clauseText && (
        <Typography.Paragraph
          type="secondary"
          style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}
          ellipsis={{ rows: 3, expandable: 'collapsible' }}
        >
          {[s.clauseNumber, s.clauseText].filter(Boolean).join(' ')}
        </Typography.Paragraph>
      )}
      <Flex gap={6} wrap align="center">
        <Typography.Text strong>{t('analysis.summaries.opinions', { count: s.opinions })}</Typography.Text>
        {STANCES.map((st) => (
          <Tag key={st} color={STANCE_COLORS[st]}>
            {t(`analysis.stances.${st}`)} {s.stance[st]}
          </Tag>
        ))}
        {s.stance.unknown > 0 && (
          <Tag>
            {t('analysis.stances.unknown')} {s.stance.unknown}
          </Tag>
        )}
      </Flex>
      <Flex vertical gap={4}>
        <Typography.Text strong>{t('analysis.summaries.keyphrases')}</Typography.Text>
        {s.keyphrases.length === 0 ? (
          <Typography.Text type="secondary">{t('analysis.summaries.noKeyphrases')}</Typography.Text>
        ) : (
          <Flex gap={4} wrap data-testid="clause-keyphrases">
            {s.keyphrases.map((k) => (
              <Tag key={k.text} color="purple">
                {k.text}
              </Tag>
            ))}
          </Flex>
        )}
      </Flex>
      <Flex vertical gap={4}>
        <Typography.Text strong>{t('analysis.summaries.sentences')}</Typography.Text>
        {s.sentences.length === 0 ? (
          <Empty description={t('analysis.summaries.noSentences')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
        ) : (
          <ItemList
            items={s.sentences}
            itemKey={(x) => `${x.opinionId}:${x.start}`}
            itemProps={() => ({ 'data-testid': 'summary-sentence' })}
            render={(x) => {
              const name = opinionName({ id: x.opinionId, regNo: x.regNo });
              return (
                <Flex vertical gap={2}>
                  <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>“{x.text}”</Typography.Text>
                  <Flex gap={8} wrap align="center">
                    <Link
                      to={analysisHref(roundId, { tab: 'summaries', clause: stableId, opinion: x.opinionId })}
                      aria-label={t('analysis.summaries.openOpinion', { name })}
                    >
                      {name}
                    </Link>
                    {x.supporting.length > 0 && (
                      <Typography.Text type="secondary">
                        {t('analysis.summaries.supporting', { count: x.supporting.length })}
                      </Typography.Text>
                    )}
                  </Flex>
                </Flex>
              );
            }}
          />
        )}
      </Flex>
      {canEdit && s.opinions > 0 && <LanguageModelDrafts roundId={roundId} stableId={stableId} />}
    </Flex>
  );
}
