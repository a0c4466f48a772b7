import { DeleteOutlined } from '@ant-design/icons';
import { Button, Card, Checkbox, Empty, Flex, Input, Skeleton, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { ItemList } from '../../ui/ItemList.tsx';
import type { Routing } from './api.ts';
import { useRouting } from './api.ts';
import { clauseName } from './clauses.ts';
import type { QuestionsByUnit } from './routing.ts';
import {
  MAX_QUESTION_CHARS,
  hasQuestion,
  questionCount,
  rewordQuestion,
  toggleQuestion,
  unitsToInvite,
} from './routing.ts';

type RoutedClause = Routing['clauses'][number];

function ClauseRoutes({
  clause,
  invited,
  questions,
  onInvite,
  onQuestions,
}: {
  clause: RoutedClause;
  invited: readonly string[];
  questions: QuestionsByUnit;
  onInvite: (unitIds: string[]) => void;
  onQuestions: (next: QuestionsByUnit) => void;
}) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={6}>
      <Typography.Text strong>{clauseName({ ...clause, text: clause.excerpt })}</Typography.Text>
      <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ marginBottom: 0 }}>
        {clause.excerpt}
      </Typography.Paragraph>
      {clause.units.map((unit) => (
        <Flex
          key={unit.unitId}
          vertical
          gap={4}
          style={{ paddingInlineStart: 12 }}
          data-testid="routing-unit"
        >
          <Flex gap={6} wrap align="center">
            <Typography.Text>{unit.unitName}</Typography.Text>
            {invited.includes(unit.unitId) && <Tag color="green">{t('analysis.routing.invited')}</Tag>}
            <Typography.Text type="secondary">{t('analysis.routing.matched')}</Typography.Text>
            {unit.matched.map((m) => (
              <Tag key={m} color="blue">
                {m}
              </Tag>
            ))}
          </Flex>
          {unit.questions.map((question) => {
            const draft = { clauseStableId: clause.stableId, question, suggestion: question };
            return (
              <Checkbox
                key={question}
                checked={hasQuestion(questions, unit.unitId, draft)}
                onChange={(e) => {
                  onQuestions(toggleQuestion(questions, unit.unitId, draft, e.target.checked));
                  // Asking a unit a question means inviting it.
                  if (e.target.checked && !invited.includes(unit.unitId)) {
                    onInvite([unit.unitId]);
                  }
                }}
              >
                {question}
              </Checkbox>
            );
          })}
        </Flex>
      ))}
    </Flex>
  );
}

/** The questions chosen for the invited units, each editable and removable before the round is created. */
function ChosenQuestions({
  questions,
  invited,
  unitNames,
  clauseNames,
  onQuestions,
}: {
  questions: QuestionsByUnit;
  invited: readonly string[];
  unitNames: ReadonlyMap<string, string>;
  clauseNames: ReadonlyMap<string, string>;
  onQuestions: (next: QuestionsByUnit) => void;
}) {
  const { t } = useTranslation();
  const rows = invited.flatMap((unitId) =>
    (questions[unitId] ?? []).map((q, index) => ({ unitId, index, q })),
  );
  if (rows.length === 0) {
    return null;
  }
  return (
    <Card
      size="small"
      title={t('analysis.routing.chosen', { count: rows.length })}
      data-testid="chosen-questions"
    >
      <Typography.Paragraph type="secondary">{t('analysis.routing.chosenHint')}</Typography.Paragraph>
      <ItemList
        items={rows}
        itemKey={(r) => `${r.unitId}:${r.index}`}
        render={(r) => {
          const label = t('analysis.routing.question', {
            unit: unitNames.get(r.unitId) ?? r.unitId,
            clause: clauseNames.get(r.q.clauseStableId) ?? r.q.clauseStableId,
          });
          return (
            <Flex vertical gap={4}>
              <Flex justify="space-between" align="center" gap={8}>
                <Typography.Text type="secondary">{label}</Typography.Text>
                <Button
                  size="small"
                  type="text"
                  icon={<DeleteOutlined />}
                  aria-label={t('analysis.routing.remove')}
                  onClick={() => onQuestions(toggleQuestion(questions, r.unitId, r.q, false))}
                />
              </Flex>
              <Input.TextArea
                aria-label={label}
                autoSize={{ minRows: 1, maxRows: 4 }}
                maxLength={MAX_QUESTION_CHARS}
                value={r.q.question}
                onChange={(e) => onQuestions(rewordQuestion(questions, r.unitId, r.index, e.target.value))}
              />
            </Flex>
          );
        }}
      />
    </Card>
  );
}

/**
 * Routing suggestions for a new round: per clause of the chosen draft, the units it concerns by their
 * responsibility keywords, with suggested questions. A button invites the suggested units; a question
 * ticked joins the invitation's targeted questions (and invites its unit).
 */
export function RoutingSuggestions({
  versionId,
  invited,
  questions,
  onInvite,
  onQuestions,
}: {
  versionId: string | undefined;
  invited: readonly string[];
  questions: QuestionsByUnit;
  onInvite: (unitIds: string[]) => void;
  onQuestions: (next: QuestionsByUnit) => void;
}) {
  const { t } = useTranslation();
  const routing = useRouting(versionId);
  const unitNames = useMemo(
    () => new Map((routing.data?.invitees ?? []).map((i) => [i.unitId, i.unitName])),
    [routing.data],
  );
  const clauseNames = useMemo(
    () =>
      new Map((routing.data?.clauses ?? []).map((c) => [c.stableId, clauseName({ ...c, text: c.excerpt })])),
    [routing.data],
  );
  if (!versionId) {
    return null;
  }
  const toAdd = routing.data ? unitsToInvite(routing.data, invited) : [];
  return (
    <Card
      size="small"
      title={t('analysis.routing.title')}
      style={{ marginBottom: 16 }}
      data-testid="routing-suggestions"
    >
      <Flex vertical gap={12}>
        <Typography.Text type="secondary">{t('analysis.routing.hint')}</Typography.Text>
        {routing.isPending && <Skeleton active />}
        {routing.isError && <ErrorAlert error={routing.error} onRetry={() => void routing.refetch()} />}
        {routing.data && routing.data.invitees.length === 0 && (
          <Empty description={t('analysis.routing.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
        )}
        {routing.data && routing.data.invitees.length > 0 && (
          <>
            <Flex gap={6} wrap align="center">
              <Typography.Text strong>{t('analysis.routing.invitees')}</Typography.Text>
              {routing.data.invitees.map((i) => (
                <Tag key={i.unitId} color={invited.includes(i.unitId) ? 'green' : 'default'}>
                  {i.unitName} · {t('analysis.routing.clauses', { count: i.clauses })}
                </Tag>
              ))}
            </Flex>
            <Button
              type="primary"
              ghost
              disabled={toAdd.length === 0}
              onClick={() => onInvite(toAdd)}
              style={{ alignSelf: 'flex-start' }}
            >
              {toAdd.length === 0
                ? t('analysis.routing.allAdded')
                : t('analysis.routing.addAll', { count: toAdd.length })}
            </Button>
            <Typography.Text strong>{t('analysis.routing.questions')}</Typography.Text>
            <ItemList
              items={routing.data.clauses}
              itemKey={(c) => c.stableId}
              render={(c) => (
                <ClauseRoutes
                  clause={c}
                  invited={invited}
                  questions={questions}
                  onInvite={onInvite}
                  onQuestions={onQuestions}
                />
              )}
            />
          </>
        )}
        {questionCount(questions, invited) > 0 && (
          <ChosenQuestions
            questions={questions}
            invited={invited}
            unitNames={unitNames}
            clauseNames={clauseNames}
            onQuestions={onQuestions}
          />
        )}
      </Flex>
    </Card>
  );
}
