import { Card, Col, Empty, Flex, Form, Row, Select, Skeleton, Tag, Typography } from 'antd';
import { ConfirmConflictButton } from '../conflicts/ConfirmConflictButton.tsx';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { ItemList } from '../../ui/ItemList.tsx';
import { PlainText } from '../../ui/PlainText.tsx';
import type { ConflictCandidate, ConflictSide } from './api.ts';
import { useConflictCandidates } from './api.ts';
import { scoreText } from './stance.ts';
import { FigureTags, OpinionWho, ReasonTag, StanceTag } from './Tags.tsx';

function Side({ side, roundId }: { side: ConflictSide; roundId: string }) {
  const { t } = useTranslation();
  return (
    <Card size="small" style={{ height: '100%' }}>
      <Flex vertical gap={4}>
        <Flex gap={6} wrap align="center">
          <OpinionWho opinion={side} roundId={roundId} tab="conflicts" />
          <StanceTag stance={side.stance} />
        </Flex>
        <PlainText text={side.excerpt} />
        {side.proposedText && (
          <>
            <Typography.Text type="secondary">{t('analysis.conflicts.proposedText')}</Typography.Text>
            <PlainText text={side.proposedText} />
          </>
        )}
        {side.figures.length > 0 && <FigureTags figures={side.figures} />}
      </Flex>
    </Card>
  );
}

function Candidate({
  candidate,
  roundId,
  clauseName,
}: {
  candidate: ConflictCandidate;
  roundId: string;
  clauseName: (stableId: string) => string;
}) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={8}>
      <Flex gap={6} wrap align="center">
        <Typography.Text strong>{clauseName(candidate.clauseStableId)}</Typography.Text>
        {candidate.reasons.map((r) => (
          <ReasonTag key={r} reason={r} />
        ))}
        <Typography.Text type="secondary">
          {t('analysis.conflicts.score', { score: scoreText(candidate.score) })}
        </Typography.Text>
        {candidate.textSimilarity !== null && (
          <Typography.Text type="secondary">
            {t('analysis.conflicts.textSimilarity', { score: scoreText(candidate.textSimilarity) })}
          </Typography.Text>
        )}
      </Flex>
      <Row gutter={[8, 8]}>
        <Col xs={24} md={12}>
          <Side side={candidate.a} roundId={roundId} />
        </Col>
        <Col xs={24} md={12}>
          <Side side={candidate.b} roundId={roundId} />
        </Col>
      </Row>
      {candidate.figures.length > 0 && (
        <Flex gap={6} wrap align="center">
          <Typography.Text type="secondary">{t('analysis.conflicts.figures')}</Typography.Text>
          {candidate.figures.map((pair, i) => (
            <Tag key={i} color="geekblue">
              {pair.a.text} ↔ {pair.b.text}
            </Tag>
          ))}
        </Flex>
      )}
      <ConfirmConflictButton
        roundId={roundId}
        opinionIds={[candidate.a.id, candidate.b.id]}
        title={clauseName(candidate.clauseStableId)}
      />
    </Flex>
  );
}

/**
 * Pairs of opinions from different units that may disagree on a clause, most likely first, side by side
 * with why: for a person to confirm as a conflict (分歧) or set aside.
 */
export function ConflictCandidates({
  roundId,
  clause,
  onClause,
  clauses,
  clauseName,
}: {
  roundId: string;
  clause: string | undefined;
  onClause: (stableId: string | undefined) => void;
  clauses: { value: string; label: string }[];
  clauseName: (stableId: string) => string;
}) {
  const { t } = useTranslation();
  const candidates = useConflictCandidates(roundId, clause);
  return (
    <Flex vertical gap={12}>
      <Typography.Text type="secondary">{t('analysis.conflicts.hint')}</Typography.Text>
      <Form layout="vertical">
        <Form.Item
          label={t('analysis.conflicts.clause')}
          htmlFor="conflict-clause"
          style={{ marginBottom: 0 }}
        >
          <Select
            id="conflict-clause"
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            value={clause}
            onChange={(v: string | undefined) => onClause(v)}
            options={clauses}
            style={{ maxWidth: 480 }}
          />
        </Form.Item>
      </Form>
      {candidates.isPending && <Skeleton active />}
      {candidates.isError && (
        <ErrorAlert error={candidates.error} onRetry={() => void candidates.refetch()} />
      )}
      {candidates.data?.items.length === 0 && <Empty description={t('analysis.conflicts.empty')} />}
      {candidates.data && (
        <ItemList
          items={candidates.data.items}
          itemKey={(c) => `${c.a.id}|${c.b.id}`}
          itemProps={() => ({ 'data-testid': 'conflict-candidate' })}
          render={(c) => <Candidate candidate={c} roundId={roundId} clauseName={clauseName} />}
        />
      )}
    </Flex>
  );
}
